// Tests of LetterWriter and PdfDocument on rendered sample letters: where
// the address, letterhead and text land on the page, page breaks with the
// reference and "Page 2 of 3" on continuation pages, large-print sizes,
// Urdu aligned right; the PDF file's structure and determinism; and the
// messages for bad settings, fonts and images.
#include "duly/engine/InputError.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/pdf/FontSet.h"
#include "duly/pdf/LetterSettings.h"
#include "duly/pdf/LetterWriter.h"
#include "duly/pdf/PdfDocument.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <fstream>

using namespace duly::pdf;
using duly::engine::BlockKind;
using duly::engine::Document;
using duly::engine::InputError;

namespace {

const FontSet& fonts() {
    static FontSet set{FontFiles{}};
    return set;
}

const duly::engine::Renderer& renderer() {
    static duly::engine::Renderer r{DULY_SOURCE_HOME};
    return r;
}

Document sample(const std::string& name, const std::string& locale, const std::string& format) {
    return renderer().render(name, locale, format, duly::engine::sampleContext(name));
}

std::string utf8(const std::u32string& s) {
    icu::UnicodeString u;
    for (char32_t c : s) u.append(UChar32(c));
    std::string out;
    u.toUTF8String(out);
    return out;
}

// Every word on a page with where it is (x from the left, y from the bottom).
struct PageWord {
    std::string text;
    double x0, x1, y, size;
};
std::vector<PageWord> wordsOf(const PageContent& page) {
    std::vector<PageWord> out;
    for (const auto& pw : page.words)
        for (const auto& w : pw.words) out.push_back({utf8(w.text), pw.x + w.x0, pw.x + w.x1, pw.y, pw.size});
    return out;
}
const PageWord* find(const std::vector<PageWord>& words, const std::string& text) {
    for (const auto& w : words)
        if (w.text == text) return &w;
    return nullptr;
}

constexpr double kMm = 72.0 / 25.4, kPageHeight = 841.89;

std::string tempFile(const std::string& name, const std::string& content) {
    auto p = std::filesystem::temp_directory_path() / ("duly-pdf-test-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
}

}  // namespace

TEST(LetterWriter, AddressSitsInsideTheEnvelopeWindow) {
    LetterSettings settings;
    LetterWriter writer(fonts(), settings);
    PdfDocument pdf(fonts());
    for (const char* locale : {"en-GB", "ur", "yue-Hant"}) {
        for (const char* format : {"standard", "large-print"}) {
            auto pages = writer.layoutLetter(sample("acknowledgement", locale, format), {}, pdf);
            auto words = wordsOf(pages.at(0));
            const auto& w = settings.window;
            for (const char* part : {"Nasreen", "Moss", "Lane", "3AB"}) {
                const PageWord* pw = find(words, part);
                ASSERT_TRUE(pw) << part << " in " << locale << " " << format;
                EXPECT_GE(pw->x0, w.leftMm * kMm) << part;
                EXPECT_LE(pw->x1, (w.leftMm + w.widthMm) * kMm) << part;
                const double fromTop = kPageHeight - pw->y;
                EXPECT_GT(fromTop, w.topMm * kMm) << part << " " << locale << " " << format;
                EXPECT_LT(fromTop, (w.topMm + w.heightMm) * kMm) << part << " " << locale << " " << format;
            }
        }
    }
}

TEST(LetterWriter, LargePrintIsNeverUnderSixteenPoints) {
    LetterWriter writer(fonts(), LetterSettings{});
    PdfDocument pdf(fonts());
    for (const char* locale : {"en-GB", "ur", "yue-Hant"}) {
        auto pages = writer.layoutLetter(sample("holding-reply", locale, "large-print"), {}, pdf);
        for (const auto& page : pages) {
            for (const auto& r : page.runs) EXPECT_GE(r.run.size, 16.0) << locale;
            for (const auto& w : page.words) EXPECT_GE(w.size, 16.0) << locale;
        }
        // Body text at the profile's 18pt.
        const PageWord* dear = nullptr;
        auto words = wordsOf(pages.at(0));
        if (std::string(locale) == "en-GB") dear = find(words, "Dear");
        if (dear) {
            EXPECT_DOUBLE_EQ(dear->size, 18.0);
        }
    }
}

TEST(LetterWriter, UrduParagraphsAreAlignedRightEnglishLeft) {
    LetterWriter writer(fonts(), LetterSettings{});
    PdfDocument pdf(fonts());
    const double margin = 20 * kMm, right = 595.28 - margin;
    auto ur = writer.layoutLetter(sample("acknowledgement", "ur", "standard"), {}, pdf);
    auto en = writer.layoutLetter(sample("acknowledgement", "en-GB", "standard"), {}, pdf);
    // The greeting line: Urdu ends at the right margin, English starts at the left.
    auto urWords = wordsOf(ur.at(0));
    double maxX = 0;
    for (const auto& w : urWords)
        if (w.text == "،" || w.text.find("Khan") != std::string::npos) maxX = std::max(maxX, w.x1);
    auto enWords = wordsOf(en.at(0));
    const PageWord* dear = find(enWords, "Dear");
    ASSERT_TRUE(dear);
    EXPECT_NEAR(dear->x0, margin, 0.5);
    // Some Urdu word reaches the right margin (within a point).
    double rightmost = 0;
    for (const auto& w : urWords)
        if (kPageHeight - w.y > 100 * kMm) rightmost = std::max(rightmost, w.x1);
    EXPECT_NEAR(rightmost, right, 1.0);
}

TEST(LetterWriter, ContinuationPagesCarryTheReferenceAndPageOfPages) {
    LetterWriter writer(fonts(), LetterSettings{});
    PdfDocument pdf(fonts());
    Document doc = sample("acknowledgement", "en-GB", "large-print");
    // Make it long: repeat the paragraphs.
    std::vector<duly::engine::Block> extra;
    for (const auto& b : doc.blocks)
        if (b.kind == BlockKind::Paragraph) extra.push_back(b);
    std::vector<duly::engine::Block> blocks;
    for (const auto& b : doc.blocks) {
        if (b.kind == BlockKind::Signature)
            for (int i = 0; i < 4; ++i) blocks.insert(blocks.end(), extra.begin(), extra.end());
        blocks.push_back(b);
    }
    doc.blocks = blocks;
    LetterOptions options;
    options.pageOfPattern = "Page {page} of {pages}";
    auto pages = writer.layoutLetter(doc, options, pdf);
    ASSERT_GE(pages.size(), 3u);
    const std::string total = std::to_string(pages.size());
    for (std::size_t n = 0; n < pages.size(); ++n) {
        auto words = wordsOf(pages[n]);
        // "Page N of M" at the foot of every page.
        int pageWords = 0, ofWords = 0, totals = 0;
        for (const auto& w : words) {
            pageWords += w.text == "Page";
            ofWords += w.text == "of";
            totals += w.text == total;
        }
        EXPECT_GE(pageWords, 1) << "page " << n + 1;
        EXPECT_TRUE(find(words, std::to_string(n + 1))) << "page " << n + 1;
        if (n == 0) continue;
        // Continuation pages: the reference at the top.
        const PageWord* ref = find(words, "PHG-2026-00042");
        ASSERT_TRUE(ref) << "page " << n + 1;
        EXPECT_LT(kPageHeight - ref->y, 25 * kMm);
        // Nothing of the flow is drawn over the header or footer.
        for (const auto& w : words) {
            const double fromTop = kPageHeight - w.y;
            if (w.size == 18.0) {
                EXPECT_GT(fromTop, 25 * kMm) << w.text;
                EXPECT_LT(fromTop, 297 * kMm - 20 * kMm) << w.text;
            }
        }
    }
}

namespace {

// A paragraph of `words` words "pNwK" (N the paragraph, K the word).
duly::engine::Block numberedParagraph(int n, int words, const Document& doc) {
    std::string text;
    for (int k = 1; k <= words; ++k) text += (k > 1 ? " p" : "p") + std::to_string(n) + "w" + std::to_string(k);
    duly::engine::Block b;
    b.kind = BlockKind::Paragraph;
    b.lang = doc.lang;
    b.dir = doc.dir;
    duly::engine::Line l;
    l.lang = doc.lang;
    l.dir = doc.dir;
    l.runs.push_back({text, doc.lang, doc.dir, false});
    b.lines.push_back(l);
    return b;
}

// Printed lines of paragraph `n` on each page (distinct baselines of its words).
std::vector<int> linesPerPage(const std::vector<PageContent>& pages, int n) {
    std::vector<int> out;
    const std::string prefix = "p" + std::to_string(n) + "w";
    for (const auto& page : pages) {
        std::set<long> baselines;
        for (const auto& w : wordsOf(page))
            if (w.text.rfind(prefix, 0) == 0) baselines.insert(std::lround(w.y * 100));
        out.push_back(int(baselines.size()));
    }
    return out;
}

}  // namespace

// Widow and orphan control: after 0 to 40 one-line paragraphs, a paragraph
// of about eight lines either sits on one page or is split with two or more
// lines on each page. Each filler moves it down by about a line and a half,
// so across the 41 letters it is split several times (two or more lines
// each side) and moved whole at least once (when one line would be alone).
TEST(LetterWriter, AParagraphIsSplitWithTwoLinesOrMoreOnEachPage) {
    LetterWriter writer(fonts(), LetterSettings{});
    PdfDocument pdf(fonts());
    for (const char* format : {"standard", "large-print"}) {
        Document base = sample("acknowledgement", "en-GB", format);
        int splits = 0, movedWhole = 0;
        for (int fillers = 0; fillers <= 40; ++fillers) {
            Document doc = base;
            std::vector<duly::engine::Block> blocks;
            bool inserted = false;
            for (const auto& b : doc.blocks) {
                if (!inserted && b.kind == BlockKind::Paragraph) {
                    for (int i = 0; i < fillers; ++i) blocks.push_back(numberedParagraph(100 + i, 3, doc));
                    blocks.push_back(numberedParagraph(1, format == std::string("standard") ? 110 : 60, doc));
                    inserted = true;
                }
                blocks.push_back(b);
            }
            doc.blocks = blocks;
            auto pages = writer.layoutLetter(doc, {}, pdf);
            auto counts = linesPerPage(pages, 1);
            int pagesWithIt = 0, total = 0;
            for (int c : counts) {
                if (c > 0) {
                    ++pagesWithIt;
                    EXPECT_GE(c, 2) << format << ", " << fillers << " fillers";
                }
                total += c;
            }
            ASSERT_GE(total, 6) << format;
            EXPECT_LE(pagesWithIt, 2) << format << ", " << fillers << " fillers";
            if (pagesWithIt == 2) ++splits;
            // Moved whole: it starts a page whose previous page had room left.
            if (pagesWithIt == 1 && counts.front() == 0) ++movedWhole;
        }
        EXPECT_GE(splits, 3) << format;
        EXPECT_GT(movedWhole, 0) << format;
    }
}

TEST(PdfDocument, IsDeterministicWithSubsetFontsAndLanguage) {
    LetterWriter writer(fonts(), LetterSettings{});
    LetterOptions options;
    options.author = "Jane Smith";
    options.reference = "PHG-2026-00042";
    options.creationDate = "D:20261110090000Z";
    Document doc = sample("acknowledgement", "ur", "standard");
    const std::string a = writer.write(doc, options), b = writer.write(doc, options);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.rfind("%PDF-1.7\n", 0), 0u);
    EXPECT_EQ(a.substr(a.size() - 6), "%%EOF\n");
    EXPECT_NE(a.find("/Lang <FEFF00750072>"), std::string::npos);  // "ur"
    EXPECT_NE(a.find("+NotoNastaliqUrdu-Regular"), std::string::npos);
    EXPECT_NE(a.find("+NotoSans-Regular"), std::string::npos);
    EXPECT_NE(a.find("/FontFile2"), std::string::npos);
    // The author and subject in UTF-16BE.
    EXPECT_NE(a.find("/Author <FEFF004A0061006E006500200053006D006900740068>"), std::string::npos);
    // A different letter is a different file (and a different /ID).
    Document other = sample("holding-reply", "ur", "standard");
    EXPECT_NE(writer.write(other, options), a);
}

TEST(PdfDocument, FontSubsetsAreSmall) {
    LetterWriter writer(fonts(), LetterSettings{});
    const std::string en = writer.write(sample("acknowledgement", "en-GB", "standard"), {});
    // Whole Noto Sans alone is 500 KB; a one-page letter with subsets of
    // four faces stays well under 100 KB.
    EXPECT_LT(en.size(), 100u * 1024u);
}

TEST(LetterSettings, DefaultsWhenTheFileIsMissingAndMessagesForMistakes) {
    auto s = loadLetterSettings("/nonexistent/letters.toml", "/");
    EXPECT_EQ(s.fonts.chinese.index, 1u);
    EXPECT_DOUBLE_EQ(s.window.leftMm, 20.0);

    auto file = tempFile("letters.toml", "[fonts]\nchinese = \"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0\"\n"
                                         "[window]\nleft-mm = 25\n[signatures]\njsmith = \"sig/jsmith.png\"\n");
    s = loadLetterSettings(file, "/srv/duly");
    EXPECT_EQ(s.fonts.chinese.path, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc");
    EXPECT_EQ(s.fonts.chinese.index, 0u);
    EXPECT_DOUBLE_EQ(s.window.leftMm, 25.0);
    EXPECT_EQ(s.signatures.at("jsmith"), "/srv/duly/sig/jsmith.png");

    struct Case {
        std::string toml, message;
    };
    const std::vector<Case> cases = {
        {"[window]\nleft-mm = \"twenty\"\n", ":2: window.left-mm: expected a number of millimetres, found \"twenty\""},
        {"[window]\nwidth-mm = 10\n", ":1: window: the window must be at least 30 mm wide and 20 mm high to hold an address"},
        {"[fonts]\nchinese = \"uming.ttc#one\"\n", ":2: fonts.chinese: expected a font file, or FILE.ttc#N for face N of a collection, found \"uming.ttc#one\""},
        {"[fonts]\nklingon = \"x.ttf\"\n", ":2: fonts.klingon: unknown key (accepted: latin, latin-bold, urdu, urdu-bold, chinese, chinese-bold)"},
        {"[signatures]\njsmith = 3\n", ":2: signatures.jsmith: expected the path of a PNG image in quotes, found 3"},
    };
    for (const auto& c : cases) {
        auto f = tempFile("bad.toml", c.toml);
        try {
            loadLetterSettings(f, "/");
            ADD_FAILURE() << "accepted: " << c.toml;
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), f + c.message);
        }
    }
}

TEST(FontSet, NamesTheMissingFileAndTheKey) {
    FontFiles files;
    files.urdu.path = "/nonexistent/Nastaliq.ttf";
    try {
        FontSet set(files);
        ADD_FAILURE() << "a missing font was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "/nonexistent/Nastaliq.ttf (fonts.urdu): font file not found; install it "
                                         "(scripts/setup) or set fonts.urdu in config/letters.toml");
    }
    files = FontFiles{};
    files.chinese.index = 9;
    try {
        FontSet set(files);
        ADD_FAILURE() << "face 9 of a 4-face collection was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "/usr/share/fonts/truetype/arphic/uming.ttc (fonts.chinese): the collection has 4 "
                                         "faces (0 to 3), not face 9");
    }
}

namespace {

// A 2×1 RGB PNG made here: red, then blue (filter 0 row).
std::string twoPixelPng() {
    auto crc = [](const std::string& s) {
        return std::uint32_t(::crc32(0, reinterpret_cast<const Bytef*>(s.data()), uInt(s.size())));
    };
    auto be = [](std::uint32_t v) {
        return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    };
    auto chunk = [&](const std::string& type, const std::string& body) {
        return be(std::uint32_t(body.size())) + type + body + be(crc(type + body));
    };
    std::string raw = std::string("\0\xFF\0\0\0\0\xFF", 7);
    uLongf zlen = compressBound(uLong(raw.size()));
    std::string z(zlen, '\0');
    compress(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()));
    z.resize(zlen);
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", be(2) + be(1) + std::string("\x08\x02\0\0\0", 5)) +
           chunk("IDAT", z) + chunk("IEND", "");
}

}  // namespace

TEST(PngImage, ReadsAnRgbImageAndRefusesOthersByName) {
    const std::string png = twoPixelPng();
    auto file = tempFile("logo.png", png);
    Image img = readPng(file);
    EXPECT_EQ(img.width, 2);
    EXPECT_EQ(img.height, 1);
    EXPECT_EQ(img.pixels, std::string("\xFF\0\0\0\0\xFF", 6));
    EXPECT_TRUE(img.alpha.empty());

    auto notPng = tempFile("logo.jpg", "\xFF\xD8\xFF\xE0 not a png");
    try {
        readPng(notPng);
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), notPng + ": not a PNG image");
    }
}

TEST(PdfDocument, PrintRunModeWritesPagesAsTheyComeWithTheSameText) {
    LetterWriter writer(fonts(), LetterSettings{});
    PdfDocument run(fonts(), true), kept(fonts(), false);
    std::size_t pages = 0;
    for (const char* locale : {"en-GB", "ur", "yue-Hant"}) {
        Document doc = sample("acknowledgement", locale, "standard");
        pages += writer.addLetter(run, doc, {});
        writer.addLetter(kept, doc, {});
    }
    EXPECT_EQ(run.pageCount(), pages);
    const std::string a = run.write({}), b = kept.write({});
    EXPECT_NE(a.find("/Count " + std::to_string(pages) + " "), std::string::npos);
    EXPECT_NE(a.find("+NotoNastaliqUrdu-Regular"), std::string::npos);
    EXPECT_NE(a.find("+UMingHK"), std::string::npos);
    // The same text layer (ToUnicode map) in both modes.
    auto cmap = [](const std::string& pdf) {
        const auto at = pdf.find("/ToUnicode ");
        return at == std::string::npos ? std::string() : pdf.substr(at, 12);
    };
    EXPECT_FALSE(cmap(a).empty());
    EXPECT_FALSE(cmap(b).empty());
}

TEST(LetterWriter, OneLayoutGivesTheSameFileAndPrintPagesAsLayingOutAgain) {
    LetterWriter writer(fonts(), LetterSettings{});
    LetterOptions options;
    options.reference = "PHG-2026-00042";
    for (const char* locale : {"en-GB", "ur"}) {
        const Document doc = sample("acknowledgement", locale, "standard");
        const LaidOutLetter laid = writer.layout(doc, options);
        EXPECT_EQ(writer.write(laid, doc, options), writer.write(doc, options)) << locale;
        PdfDocument once(fonts(), true), again(fonts(), true);
        EXPECT_EQ(writer.addLetter(once, laid), writer.addLetter(again, doc, options)) << locale;
        EXPECT_EQ(once.write({}), again.write({})) << locale;
    }
}

TEST(LetterWriter, EveryFileOfAnOfficerCarriesTheirSignatureImage) {
    // Each PDF gets the image it draws, however many files one writer makes
    // (one after another, each PdfDocument where the last one was).
    LetterSettings settings;
    settings.signatures["jsmith"] = tempFile("signature.png", twoPixelPng());
    LetterWriter writer(fonts(), settings);
    LetterOptions options;
    options.officerId = "jsmith";
    const Document doc = sample("acknowledgement", "en-GB", "standard");
    for (int i = 0; i < 2; ++i) {
        const std::string pdf = writer.write(doc, options);
        EXPECT_NE(pdf.find("/Subtype /Image"), std::string::npos) << "file " << i;
        EXPECT_NE(pdf.find("/XObject << /Im0 "), std::string::npos) << "file " << i;
    }
    for (int i = 0; i < 2; ++i) {
        PdfDocument run(fonts(), true);
        writer.addLetter(run, doc, options);
        writer.addLetter(run, doc, options);
        const std::string pdf = run.write({});
        std::size_t images = 0;
        for (auto at = pdf.find("/Subtype /Image"); at != std::string::npos; at = pdf.find("/Subtype /Image", at + 1))
            ++images;
        EXPECT_EQ(images, 1u) << "print run " << i << ": the image once, for both letters";
    }
}
