// LetterWriter: the page layout of a letter — letterhead, window address,
// the flow of blocks with page breaks (widow and orphan control,
// PageBreaks.h), signature, footer, continuation
// headers and page numbers — onto PageContent, then PdfDocument. Owns the
// images it has read (logos, signatures) for the life of the writer. Fails
// with InputError for a logo or signature image that cannot be read; text
// never fails (see ParagraphLayout).
#include "duly/pdf/LetterWriter.h"

#include "duly/pdf/PageBreaks.h"

#include <algorithm>
#include <cmath>

namespace duly::pdf {

using engine::Block;
using engine::BlockKind;
using engine::Direction;
using engine::Document;
using engine::Line;

namespace {

constexpr double kPageWidth = 595.28, kPageHeight = 841.89;
constexpr double kMm = 72.0 / 25.4;

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

// Lays out the flow of one letter; `y` is measured down from the page top.
class Composer {
public:
    Composer(ParagraphLayout& layout, const FontSet& fonts, const engine::RenderProfile& profile)
        : _layout(layout), _fonts(fonts), _p(profile) {
        _margin = _p.marginMm * kMm;
        _left = _margin;
        _right = kPageWidth - _margin;
        _footerSpace = _p.minFontSizePt * _p.lineSpacing * 2.2;
        _bottom = kPageHeight - _margin - _footerSpace;
    }

    std::vector<PageContent> pages;
    double y = 0;
    int element = -1;  // the structure element the words placed now belong to (tagged PDF)

    double left() const { return _left; }
    double right() const { return _right; }
    double margin() const { return _margin; }

    double advance(const LaidLine& l, double size, double spacing) const {
        return size * spacing * std::max(1.0, l.lineHeightEm / _fonts.referenceLineHeightEm());
    }

    // Puts one laid line with its baseline at `baseline` (from the top).
    // align: -1 start of the line's direction, 0 centre, 1 right, 2 left.
    void place(PageContent& page, const LaidLine& l, double left, double right, double baseline, int align,
               const std::string& lang, double size) {
        double x = left;
        if (align == -1) x = l.rtl ? right - l.width : left;
        else if (align == 0) x = (left + right - l.width) / 2;
        else if (align == 1) x = right - l.width;
        const double py = kPageHeight - baseline;
        for (const auto& r : l.runs) page.runs.push_back({r, x, py});
        if (!l.words.empty()) page.words.push_back({l.words, x, py, size, lang, element});
    }

    void newPage() {
        pages.emplace_back();
        _pageHasFlow = false;
        // Continuation pages leave room for the reference and page number.
        y = _margin + _p.minFontSizePt * _p.lineSpacing * 2.0;
    }

    // Lines of `line` in the flow, a paragraph of their own (widow and
    // orphan control, PageBreaks.h).
    void flowLine(const Line& line, const TextStyle& style, double spacing, double indentStart = 0,
                  const LaidLine* marker = nullptr) {
        flowLines({&line}, style, spacing, indentStart, marker);
    }

    // The lines of one paragraph, which may be several Lines of a block set
    // one after the other: split between pages only so that at least two
    // printed lines stay on each page, else moved whole to the next.
    void flowLines(const std::vector<const Line*>& lines, const TextStyle& style, double spacing,
                   double indentStart = 0, const LaidLine* marker = nullptr) {
        const double measure = _right - _left - indentStart;
        std::vector<LaidLine> laid;
        std::vector<const std::string*> langs;
        for (const Line* line : lines)
            for (auto& l : _layout.layout(*line, style, measure)) {
                laid.push_back(std::move(l));
                langs.push_back(&line->lang);
            }
        std::vector<double> advances;
        for (const auto& l : laid) advances.push_back(advance(l, style.size, spacing));
        std::size_t next = 0;
        bool first = true;
        while (next < laid.size()) {
            const std::vector<double> rest(advances.begin() + std::ptrdiff_t(next), advances.end());
            const std::size_t here = linesOnThisPage(rest, _bottom - y, !_pageHasFlow);
            if (here == 0) {
                newPage();
                continue;
            }
            for (std::size_t k = next; k < next + here; ++k) {
                const LaidLine& l = laid[k];
                const double adv = advances[k];
                const double baseline = y + adv * 0.75;
                const bool rtl = l.rtl;
                const double lft = rtl ? _left : _left + indentStart;
                const double rgt = rtl ? _right - indentStart : _right;
                place(pages.back(), l, lft, rgt, baseline, -1, *langs[k], style.size);
                if (first && marker) {
                    // The bullet is drawn, not read: the list item says it is one.
                    const int item = element;
                    element = -1;
                    if (rtl) place(pages.back(), *marker, _right - indentStart * 0.6, _right, baseline, 1, *langs[k], style.size);
                    else place(pages.back(), *marker, _left, _left + indentStart, baseline, 2, *langs[k], style.size);
                    element = item;
                }
                first = false;
                y += adv;
            }
            _pageHasFlow = true;
            next += here;
            if (next < laid.size()) newPage();
        }
    }

    // Room for `points` more on this page (something set outside the flow
    // of lines, such as the space for a signature).
    void skip(double points) {
        y += points;
        _pageHasFlow = true;
    }

    // Height the lines of `block` would take (for keeping blocks together).
    double height(const Block& b, const TextStyle& style, double spacing) {
        double h = 0;
        for (const auto& line : b.lines)
            for (const auto& l : _layout.layout(line, style, _right - _left)) h += advance(l, style.size, spacing);
        return h;
    }

    void ensure(double h) {
        if (y + h > _bottom && y > _margin + _p.minFontSizePt * _p.lineSpacing * 2.0 + 1) newPage();
    }

private:
    ParagraphLayout& _layout;
    const FontSet& _fonts;
    const engine::RenderProfile& _p;
    double _margin, _left, _right, _bottom, _footerSpace;
    // False on a continuation page until a line is set on it: a paragraph
    // that does not fit is not moved from a page where it is the first.
    bool _pageHasFlow = true;
};

Line textLine(const std::string& text, const Document& doc) {
    Line l;
    l.lang = doc.lang;
    l.dir = doc.dir;
    l.runs.push_back({text, doc.lang, doc.dir, false});
    return l;
}

}  // namespace

LetterWriter::LetterWriter(const FontSet& fonts, const LetterSettings& settings)
    : _fonts(fonts), _settings(settings), _layout(fonts) {}

const Image& LetterWriter::image(const std::filesystem::path& file) {
    auto cached = _imageCache.find(file);
    if (cached == _imageCache.end()) cached = _imageCache.emplace(file, readPng(file)).first;
    return cached->second;
}

LaidOutLetter LetterWriter::layout(const Document& doc, const LetterOptions& options) {
    LaidOutLetter out;
    const engine::RenderProfile& p = doc.profile;
    Composer c(_layout, _fonts, p);
    c.pages.emplace_back();
    PageContent& first = c.pages.front();
    const auto& win = _settings.window;
    const double winLeft = win.leftMm * kMm, winTop = win.topMm * kMm;
    const double winRight = winLeft + win.widthMm * kMm, winBottom = winTop + win.heightMm * kMm;
    const double body = p.fontSizePt;
    const double small = std::max(p.minFontSizePt, body - 1.0);
    // The structure tree (used when the PDF is tagged), in reading order.
    auto element = [&](const std::string& type, const std::string& lang, const std::string& title, int parent,
                       const std::string& alt = "") {
        out.elements.push_back({type, lang.empty() ? doc.lang : lang, title, alt, parent});
        return int(out.elements.size()) - 1;
    };
    // An image file's index in out.images.
    auto imageIndex = [&](const std::filesystem::path& file) {
        const auto at = std::find(out.images.begin(), out.images.end(), file);
        if (at != out.images.end()) return int(at - out.images.begin());
        out.images.push_back(file);
        return int(out.images.size()) - 1;
    };
    const int root = element("Document", doc.lang, "", -1);
    std::string orgName;
    for (const auto& b : doc.blocks)
        if (b.kind == BlockKind::Letterhead && !b.lines.empty() && orgName.empty()) orgName = b.lines.front().plainText();
    const int letterhead = orgName.empty() ? -1 : element("Sect", doc.lang, "Letterhead", root);

    // Letterhead: logo on the left above the window, the organisation's name
    // and contact details on the right, clear of the window.
    double letterheadBottom = c.margin();
    const double headTop = c.margin() * 0.6;
    auto head = _settings.letterheads.find(options.brand);
    if (head != _settings.letterheads.end() && !head->second.logo.empty()) {
        const Image& im = image(head->second.logo);
        const int img = imageIndex(head->second.logo);
        double w = head->second.logoWidthMm * kMm;
        double h = w * im.height / std::max(1, im.width);
        const double maxH = winTop - headTop - 4 * kMm;
        if (h > maxH) w *= maxH / h, h = maxH;
        first.images.push_back({img, c.left(), kPageHeight - headTop - h, w, h,
                                element("Figure", doc.lang, "", letterhead, orgName.empty() ? "Logo" : orgName)});
    }
    const double headLeft = winRight + 6 * kMm;
    double y = headTop;
    bool firstHeadLine = true;
    c.element = letterhead;
    for (const auto& b : doc.blocks) {
        if (b.kind != BlockKind::Letterhead) continue;
        for (const auto& line : b.lines) {
            const TextStyle st{firstHeadLine ? p.headingSizePt : small, firstHeadLine && p.boldHeadings};
            for (const auto& l : _layout.layout(line, st, c.right() - headLeft)) {
                const double adv = c.advance(l, st.size, 1.15);
                c.place(first, l, headLeft, c.right(), y + adv * 0.75, 1, line.lang, st.size);
                y += adv;
            }
            if (firstHeadLine) y += small * 0.4;
            firstHeadLine = false;
        }
    }
    letterheadBottom = y;

    // The address, left aligned inside the window whatever the letter's
    // language (it is read by the post), made smaller (never under the
    // profile's minimum) until it fits.
    if (options.windowOutline)
        first.rules.push_back({winLeft, kPageHeight - winBottom, winRight, kPageHeight - winTop, 0.5, 0.5, true});
    const double pad = win.paddingMm * kMm;
    for (const auto& b : doc.blocks) {
        if (b.kind != BlockKind::Recipient) continue;
        c.element = element("Div", b.lang, "Address", root);
        double size = body;
        std::vector<LaidLine> laid;
        double total = 0;
        for (;;) {
            laid.clear();
            total = 0;
            for (const auto& line : b.lines)
                for (auto& l : _layout.layout(line, {size, false}, winRight - winLeft - 2 * pad, Direction::Ltr)) {
                    total += c.advance(l, size, 1.15);
                    laid.push_back(std::move(l));
                }
            if (total <= winBottom - winTop - 2 * pad || size <= p.minFontSizePt) break;
            size = std::max(p.minFontSizePt, size - 1.0);
        }
        double ay = winTop + pad;
        for (const auto& l : laid) {
            const double adv = c.advance(l, size, 1.15);
            c.place(first, l, winLeft + pad, winRight - pad, ay + adv * 0.75, 2, b.lang, size);
            ay += adv;
        }
    }

    // The flow.
    c.y = std::max(winBottom + 8 * kMm, letterheadBottom + 4 * kMm);
    const TextStyle bodyStyle{body, false};
    const TextStyle headingStyle{p.headingSizePt, p.boldHeadings};
    const LaidLine bullet = _layout.layoutSingle(textLine("\u2022", doc), bodyStyle);
    bool firstHeading = true;
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        const Block& b = doc.blocks[i];
        switch (b.kind) {
            case BlockKind::Letterhead:
            case BlockKind::Recipient: break;
            case BlockKind::DateLine: c.element = element("P", b.lang, "Date", root); break;
            case BlockKind::Reference: c.element = element("P", b.lang, "Reference", root); break;
            case BlockKind::Heading:
                c.element = element(firstHeading ? "H1" : "H2", b.lang, "", root);
                firstHeading = false;
                break;
            case BlockKind::Paragraph: c.element = element("P", b.lang, "", root); break;
            case BlockKind::List: c.element = element("L", b.lang, "", root); break;
            case BlockKind::Signature: c.element = element("Div", b.lang, "Signature", root); break;
            case BlockKind::Footer: c.element = element("Div", b.lang, "Footer", root); break;
        }
        switch (b.kind) {
            case BlockKind::Letterhead:
            case BlockKind::Recipient: break;
            case BlockKind::DateLine:
            case BlockKind::Reference:
                for (const auto& line : b.lines) c.flowLine(line, bodyStyle, p.lineSpacing);
                c.y += body * 0.3;
                break;
            case BlockKind::Heading: {
                c.y += body * 0.5;
                double next = 0;
                if (i + 1 < doc.blocks.size() && !doc.blocks[i + 1].lines.empty())
                    next = body * p.lineSpacing * 2;
                c.ensure(c.height(b, headingStyle, 1.2) + next);
                for (const auto& line : b.lines) c.flowLine(line, headingStyle, 1.2);
                c.y += body * 0.4;
                break;
            }
            case BlockKind::Paragraph: {
                std::vector<const Line*> lines;
                for (const auto& line : b.lines) lines.push_back(&line);
                c.flowLines(lines, bodyStyle, p.lineSpacing);
                c.y += body * 0.6;
                break;
            }
            case BlockKind::List: {
                const int list = c.element;
                for (const auto& line : b.lines) {
                    c.element = list >= 0 ? element("LI", line.lang.empty() ? b.lang : line.lang, "", list) : -1;
                    c.flowLine(line, bodyStyle, p.lineSpacing, body * 1.5, &bullet);
                    c.y += body * 0.2;
                }
                c.y += body * 0.4;
                break;
            }
            case BlockKind::Signature: {
                // The closing line, the officer's signature image (or room
                // to sign), their name, position and organisation are kept
                // on one page; the lines after them (direct phone, email)
                // follow as a paragraph, two or more to a page.
                const double sigHeight = 14 * kMm;
                constexpr std::size_t kKept = 4;
                Block kept = b;
                if (kept.lines.size() > kKept) kept.lines.resize(kKept);
                c.ensure(c.height(kept, bodyStyle, p.lineSpacing) + sigHeight);
                for (std::size_t k = 0; k < b.lines.size() && k < kKept; ++k) {
                    c.flowLine(b.lines[k], bodyStyle, p.lineSpacing);
                    if (k == 0) {
                        auto sig = _settings.signatures.find(options.officerId);
                        if (sig != _settings.signatures.end()) {
                            const Image& im = image(sig->second);
                            const int img = imageIndex(sig->second);
                            double h = sigHeight - 2 * kMm;
                            double w = h * im.width / std::max(1, im.height);
                            const double x = b.dir == Direction::Rtl ? c.right() - w : c.left();
                            c.pages.back().images.push_back({img, x, kPageHeight - c.y - h - 1 * kMm, w, h});
                        }
                        c.skip(sigHeight);
                    }
                }
                if (b.lines.size() > kKept) {
                    std::vector<const Line*> rest;
                    for (std::size_t k = kKept; k < b.lines.size(); ++k) rest.push_back(&b.lines[k]);
                    c.flowLines(rest, bodyStyle, p.lineSpacing);
                }
                c.y += body * 0.6;
                break;
            }
            case BlockKind::Footer: {
                const TextStyle st{p.minFontSizePt, false};
                c.y += body * 0.6;
                c.ensure(c.height(b, st, 1.2) + 4);
                c.pages.back().rules.push_back({c.left(), kPageHeight - c.y, c.right(), kPageHeight - c.y, 0.5, 0.4, false});
                c.y += st.size * 0.5;
                // Each line its own paragraph: they are in three languages.
                const int footer = c.element;
                for (const auto& line : b.lines) {
                    c.element = footer >= 0 ? element("P", line.lang.empty() ? b.lang : line.lang, "", footer) : -1;
                    c.flowLine(line, st, 1.2);
                    c.y += st.size * 0.3;
                }
                break;
            }
        }
    }

    // Page numbers, and the reference at the top of continuation pages:
    // artifacts, not part of the letter's structure.
    c.element = -1;
    const std::size_t total = c.pages.size();
    if (total > 1) {
        const Line* refLine = nullptr;
        for (const auto& b : doc.blocks)
            if (b.kind == BlockKind::Reference && !b.lines.empty()) refLine = &b.lines.front();
        const TextStyle st{p.minFontSizePt, false};
        for (std::size_t n = 0; n < total; ++n) {
            const std::string label = replaceAll(replaceAll(options.pageOfPattern, "{pages}", std::to_string(total)),
                                                 "{page}", std::to_string(n + 1));
            const LaidLine l = _layout.layoutSingle(textLine(label, doc), st);
            const double foot = kPageHeight - c.margin() * 0.6 - c.advance(l, st.size, 1.2) * 0.25;
            c.place(c.pages[n], l, c.left(), c.right(), foot, 0, doc.lang, st.size);
            if (n == 0) continue;
            const double top = c.margin() * 0.6 + c.advance(l, st.size, 1.2) * 0.75;
            c.place(c.pages[n], l, c.left(), c.right(), top, doc.dir == Direction::Rtl ? 2 : 1, doc.lang, st.size);
            if (refLine) {
                const LaidLine r = _layout.layoutSingle(*refLine, st);
                c.place(c.pages[n], r, c.left(), c.right(), top, doc.dir == Direction::Rtl ? 1 : 2, refLine->lang, st.size);
            }
        }
    }
    out.pages = std::move(c.pages);
    return out;
}

std::vector<PageContent> LetterWriter::place(PdfDocument& pdf, LaidOutLetter letter) {
    std::vector<int> imageIds;
    for (const auto& file : letter.images) imageIds.push_back(pdf.addImage(file, image(file)));
    // Elements come parents first, so each parent is already in `pdf`.
    std::vector<int> elementIds;
    if (pdf.tagged())
        for (auto& e : letter.elements) {
            if (e.parent >= 0) e.parent = elementIds[std::size_t(e.parent)];
            elementIds.push_back(pdf.addElement(std::move(e)));
        }
    auto elementIn = [&](int e) { return e >= 0 && pdf.tagged() ? elementIds[std::size_t(e)] : -1; };
    for (auto& page : letter.pages) {
        for (auto& im : page.images) {
            im.image = imageIds[std::size_t(im.image)];
            im.element = elementIn(im.element);
        }
        for (auto& w : page.words) w.element = elementIn(w.element);
    }
    return std::move(letter.pages);
}

std::vector<PageContent> LetterWriter::layoutLetter(const Document& doc, const LetterOptions& options, PdfDocument& pdf) {
    return place(pdf, layout(doc, options));
}

std::size_t LetterWriter::addLetter(PdfDocument& pdf, LaidOutLetter letter) {
    auto pages = place(pdf, std::move(letter));
    const std::size_t n = pages.size();
    for (auto& page : pages) pdf.addPage(std::move(page));
    return n;
}

std::size_t LetterWriter::addLetter(PdfDocument& pdf, const Document& doc, const LetterOptions& options) {
    return addLetter(pdf, layout(doc, options));
}

std::string LetterWriter::write(const Document& doc, const LetterOptions& options) {
    return write(layout(doc, options), doc, options);
}

std::string LetterWriter::write(LaidOutLetter letter, const Document& doc, const LetterOptions& options) {
    PdfDocument pdf(_fonts);
    pdf.setTagged(true);  // a letter on its own is read on screen: tag it
    addLetter(pdf, std::move(letter));
    DocumentInfo info;
    info.title = doc.subject;
    info.author = options.author;
    info.subject = options.reference;
    info.lang = doc.lang;
    info.creationDate = options.creationDate;
    return pdf.write(info);
}

}  // namespace duly::pdf
