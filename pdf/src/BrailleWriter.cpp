// BrailleWriter: Document → BRF with liblouis (see BrailleWriter.h). Owns
// the language → table map, the split of a line into script spans (Latin
// values in an Urdu or Cantonese letter are translated with uncontracted
// UEB), breaking lines in cells without splitting a word or a Chinese
// syllable, pagination with page numbers, and dots ↔ BRF. liblouis keeps
// its tables in global state and is not safe from two threads at once: every
// call into it holds louisMutex(). A table that does not load is
// BrailleUnavailable; characters a table does not define are left out of the
// Braille (never printed as liblouis's "\x2603" escapes, which read as
// nonsense) and listed in BrailleLetter::untranslated.
#include "duly/pdf/BrailleWriter.h"

#include "duly/engine/InputError.h"

#include <liblouis/liblouis.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>

namespace duly::pdf {

namespace {

static_assert(sizeof(widechar) == sizeof(char32_t), "liblouis built with 32-bit widechar (Debian's is)");

// North American ASCII Braille: the character for dots 0…63 (dot n is bit n-1).
constexpr std::string_view kBrf = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=";

constexpr char32_t kBlank = 0x2800;
constexpr char32_t kNumberSign = 0x2800 | 0x3C;  // dots 3456
// Digits 1…9, 0 after the number sign are the letters a…j.
constexpr unsigned char kDigitDots[10] = {0x1A, 0x01, 0x03, 0x09, 0x19, 0x11, 0x0B, 0x1B, 0x13, 0x0A};

const char* const kLatinTable = "en-ueb-g1.ctb";

std::mutex& louisMutex() {
    static std::mutex m;
    return m;
}

std::u32string toU32(std::string_view utf8) {
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), int32_t(utf8.size())));
    std::u32string out(size_t(s.countChar32()), U'\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = s.toUTF32(reinterpret_cast<UChar32*>(out.data()), int32_t(out.size()), status);
    out.resize(U_SUCCESS(status) ? size_t(n) : 0);
    return out;
}

std::string toUtf8(std::u32string_view text) {
    std::string out;
    icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()), int32_t(text.size())).toUTF8String(out);
    return out;
}

// One translated stretch: Braille cells (Unicode Braille) and, for each
// cell, the index of the print character it came from.
struct Cells {
    std::u32string dots;
    std::vector<int> from;
};

// Normalises liblouis's dot output (LOU_DOTS 0x8000 or Unicode Braille) to
// Unicode Braille. Caller holds louisMutex().
char32_t asUnicodeBraille(widechar c) {
    return char32_t(0x2800 | (c & 0xFF));
}

void checkTable(const std::string& table) {
    if (!lou_getTable(table.c_str()))
        throw BrailleUnavailable("liblouis table " + table + " does not load (is liblouis-bin's table set installed?)");
}

// Translates `text` with `table`; undefined characters produce no cells.
// Caller holds louisMutex().
Cells translateLocked(const std::string& table, std::u32string_view text) {
    Cells out;
    if (text.empty()) return out;
    const int inLen = int(text.size());
    for (int factor = 4;; factor *= 2) {
        int consumed = inLen;
        int outLen = inLen * factor + 16;
        std::vector<widechar> buf(static_cast<size_t>(outLen));
        std::vector<int> inputPos(static_cast<size_t>(outLen));
        if (!lou_translate(table.c_str(), reinterpret_cast<const widechar*>(text.data()), &consumed, buf.data(),
                           &outLen, nullptr, nullptr, nullptr, inputPos.data(), nullptr, dotsIO | ucBrl | noUndefined))
            throw BrailleUnavailable("liblouis could not translate with table " + table);
        if (consumed < inLen && factor < 64) continue;  // output buffer too small: try a larger one
        // Never a letter with its end silently cut off.
        if (consumed < inLen)
            throw BrailleUnavailable("liblouis translated " + std::to_string(consumed) + " of " + std::to_string(inLen) +
                                     " characters with table " + table);
        for (int i = 0; i < outLen; ++i) {
            out.dots.push_back(asUnicodeBraille(buf[size_t(i)]));
            out.from.push_back(inputPos[size_t(i)]);
        }
        return out;
    }
}

// Characters of `text` the table does not define (each once). Caller holds
// louisMutex(). Cached: a letter repeats the same characters.
std::vector<char32_t> undefinedLocked(const std::string& table, std::u32string_view text) {
    static std::map<std::pair<std::string, char32_t>, bool> known;
    std::vector<char32_t> out;
    for (char32_t c : text) {
        if (c == U' ' || u_isUWhiteSpace(UChar32(c))) continue;
        auto key = std::make_pair(table, c);
        auto it = known.find(key);
        if (it == known.end()) {
            const char32_t one[1] = {c};
            it = known.emplace(key, translateLocked(table, std::u32string_view(one, 1)).dots.empty()).first;
        }
        if (it->second && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
    return out;
}

bool isLatinLetter(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    return u_isalpha(UChar32(c)) && uscript_getScript(UChar32(c), &status) == USCRIPT_LATIN;
}

bool isLetter(char32_t c) { return u_isalpha(UChar32(c)) != 0; }

// Characters after which a line may break without a space: Chinese (and
// Japanese) ideographs and their punctuation.
bool breaksWithoutSpace(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(UChar32(c), &status);
    return sc == USCRIPT_HAN || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
}

// A line of Braille cells, with where it may break.
struct CellLine {
    std::u32string dots;
    std::vector<bool> breakAfter;  // a break may follow this cell (without losing a space)
};

std::string describe(char32_t c) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", unsigned(c));
    return std::string(hex) + " " + toUtf8(std::u32string_view(&c, 1));
}

// Translates one line of the document: spans of Latin letters (with the
// digits and punctuation between them) in a letter whose table is not
// English go through uncontracted UEB. Caller holds louisMutex().
CellLine translateLine(const engine::Line& line, const std::string& table, bool englishTable,
                       std::vector<std::string>& untranslated, const std::string& where) {
    std::u32string text = toU32(line.plainText());
    CellLine out;
    // Which table each character goes through: the line's, or uncontracted
    // UEB for Latin letters in a letter that is not English. Digits and
    // ASCII punctuation stay with the letters before them (with the letters
    // after them at the start of a line); other characters with the line's
    // table. A character one table lacks and the other has goes to the other
    // (the Urdu table has no ASCII colon).
    std::vector<bool> latin(text.size(), false);
    if (!englishTable) {
        int previous = -1;  // -1 none yet, 0 line's table, 1 Latin
        for (size_t k = 0; k < text.size(); ++k) {
            const char32_t c = text[k];
            if (isLetter(c)) previous = isLatinLetter(c) ? 1 : 0;
            if (isLetter(c)) latin[k] = previous == 1;
            else if (c >= 0x80) latin[k] = false;
            else if (previous != -1) latin[k] = previous == 1;
            else {
                size_t n = k;
                while (n < text.size() && !isLetter(text[n])) ++n;
                latin[k] = n < text.size() && isLatinLetter(text[n]);
            }
        }
        for (size_t k = 0; k < text.size(); ++k) {
            if (isLetter(text[k]) || text[k] == U' ') continue;
            const std::u32string_view one(text.data() + k, 1);
            const std::string mine = latin[k] ? kLatinTable : table, other = latin[k] ? table : kLatinTable;
            if (!undefinedLocked(mine, one).empty() && undefinedLocked(other, one).empty()) latin[k] = !latin[k];
        }
    }
    size_t i = 0;
    while (i < text.size()) {
        size_t j = i + 1;
        while (j < text.size() && latin[j] == latin[i]) ++j;
        const std::u32string_view span(text.data() + i, j - i);
        const std::string spanTable = latin[i] ? kLatinTable : table;
        for (char32_t c : undefinedLocked(spanTable, span))
            untranslated.push_back(describe(c) + " (" + spanTable + ") in " + where);
        Cells cells = translateLocked(spanTable, span);
        if (!out.dots.empty() && !cells.dots.empty()) out.breakAfter.back() = true;  // between spans
        for (size_t n = 0; n < cells.dots.size(); ++n) {
            out.dots.push_back(cells.dots[n]);
            const int from = cells.from[n];
            const bool lastOfChar = n + 1 == cells.dots.size() || cells.from[n + 1] != from;
            const bool cjk = from >= 0 && size_t(from) < span.size() && breaksWithoutSpace(span[size_t(from)]);
            out.breakAfter.push_back(lastOfChar && cjk);
        }
        i = j;
    }
    return out;
}

// Breaks `line` into rows of at most `width` cells: at blank cells (which
// are dropped), else after a Chinese character, else hard at the width.
// `indent` blank cells start every row after the first.
std::vector<std::u32string> wrap(const CellLine& line, int width, int indent) {
    std::vector<std::u32string> rows;
    size_t pos = 0;
    const size_t n = line.dots.size();
    while (pos < n && line.dots[pos] == kBlank) ++pos;
    bool first = true;
    while (pos < n) {
        const size_t room = size_t(width - (first ? 0 : indent));
        std::u32string row(first ? 0 : size_t(indent), kBlank);
        if (n - pos <= room) {
            row += line.dots.substr(pos);
            rows.push_back(row);
            break;
        }
        // The last break opportunity within room.
        size_t cut = 0;
        size_t next = 0;
        for (size_t k = pos; k <= pos + room && k < n; ++k) {
            if (line.dots[k] == kBlank && k > pos) { cut = k; next = k + 1; }
            else if (k < pos + room && line.breakAfter[k]) { cut = k + 1; next = k + 1; }
        }
        if (cut == 0) { cut = pos + room; next = cut; }  // one word longer than a line
        row += line.dots.substr(pos, cut - pos);
        while (!row.empty() && row.back() == kBlank) row.pop_back();
        rows.push_back(row);
        pos = next;
        while (pos < n && line.dots[pos] == kBlank) ++pos;
        first = false;
    }
    return rows;
}

std::u32string pageNumber(int page) {
    std::u32string s(1, kNumberSign);
    for (char c : std::to_string(page)) s += char32_t(0x2800 | kDigitDots[c - '0']);
    return s;
}

bool hasPrefix(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(0, p.size()) == p && (s.size() == p.size() || s[p.size()] == '-');
}

// Whether a row is the page number line: blanks then a number sign and
// digits only.
bool isPageNumberRow(std::u32string_view row) {
    size_t k = 0;
    while (k < row.size() && row[k] == kBlank) ++k;
    if (k == row.size() || row[k] != kNumberSign) return false;
    for (++k; k < row.size(); ++k)
        if (std::find(std::begin(kDigitDots), std::end(kDigitDots), char(row[k] & 0xFF)) == std::end(kDigitDots))
            return false;
    return true;
}

}  // namespace

std::optional<BrailleTable> brailleTableFor(std::string_view lang) {
    std::string tag(lang);
    std::replace(tag.begin(), tag.end(), '_', '-');
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (hasPrefix(tag, "en")) return BrailleTable{"en-ueb-g2.ctb", "Unified English Braille, grade 2 (contracted)"};
    if (hasPrefix(tag, "ur"))
        return BrailleTable{"ur-pk-g1.utb", "Urdu Braille, grade 1 (uncontracted; liblouis's Pakistan table)"};
    if (hasPrefix(tag, "yue") || hasPrefix(tag, "zh-hk") || hasPrefix(tag, "zh-hant-hk"))
        return BrailleTable{"zh-hk.ctb",
                            "Hong Kong Cantonese Braille (phonetic: initials, finals and tones; no contractions)"};
    return std::nullopt;
}

std::string brfFromDots(std::u32string_view dots) {
    std::string out;
    out.reserve(dots.size());
    for (char32_t c : dots) out += kBrf[(c >= 0x2800 && c <= 0x28FF) ? (c & 0x3F) : 0];
    return out;
}

std::u32string dotsFromBrf(std::string_view brf) {
    std::u32string out;
    out.reserve(brf.size());
    for (char ch : brf) {
        char c = char(std::toupper(static_cast<unsigned char>(ch)));
        if (c == '`') c = '@';  // some files write dot 4 as a backquote
        if (c == '{') c = '[';
        if (c == '|') c = '\\';
        if (c == '}') c = ']';
        if (c == '~') c = '^';
        const size_t k = kBrf.find(c);
        out += char32_t(0x2800 | (k == std::string_view::npos ? 0 : k));
    }
    return out;
}

BrailleLetter writeBraille(const engine::Document& doc, const BrailleSettings& settings) {
    if (settings.cellsPerLine < 10 || settings.cellsPerLine > 100)
        throw engine::InputError("braille.cells-per-line: expected a number of cells from 10 to 100, not " +
                                 std::to_string(settings.cellsPerLine));
    if (settings.linesPerPage < 5 || settings.linesPerPage > 100)
        throw engine::InputError("braille.lines-per-page: expected a number of lines from 5 to 100, not " +
                                 std::to_string(settings.linesPerPage));
    const auto table = brailleTableFor(doc.lang);
    if (!table) throw BrailleUnavailable("no Braille table for language " + doc.lang);
    const bool english = table->table.rfind("en-", 0) == 0;

    // The parts in reading order: sender, date, reference, body, signature, footer.
    const std::vector<const engine::Block*> blocks = engine::readingOrder(doc);

    BrailleLetter letter;
    letter.table = table->table;
    const int width = settings.cellsPerLine;
    std::vector<std::u32string> rows;  // every text row, blank rows between blocks
    {
        std::lock_guard lock(louisMutex());
        checkTable(table->table);
        if (!english) checkTable(kLatinTable);
        for (const engine::Block* b : blocks) {
            if (!rows.empty()) rows.emplace_back();
            const std::string where = b->source.empty() ? std::string(engine::blockKindName(b->kind)) : b->source;
            std::string previousLang;
            for (const auto& line : b->lines) {
                // Each line in its own language's table: the footer offers other
                // formats in English, Urdu and Chinese whatever the letter's
                // language. A change of language starts a new paragraph.
                const std::string lang = !line.lang.empty() ? line.lang : !b->lang.empty() ? b->lang : doc.lang;
                if (!previousLang.empty() && lang != previousLang) rows.emplace_back();
                previousLang = lang;
                const auto lineTable = brailleTableFor(lang).value_or(*table);
                const bool lineEnglish = lineTable.table.rfind("en-", 0) == 0;
                if (lineTable.table != table->table) checkTable(lineTable.table);
                if (!lineEnglish) checkTable(kLatinTable);
                CellLine cells = translateLine(line, lineTable.table, lineEnglish, letter.untranslated, where);
                // List items: runover lines start in cell 3, as Braille lists do.
                auto wrapped = wrap(cells, width, b->kind == engine::BlockKind::List ? 2 : 0);
                if (b->kind == engine::BlockKind::Heading && wrapped.size() == 1) {
                    // A one-row heading is centred.
                    const size_t pad = (size_t(width) - wrapped[0].size()) / 2;
                    wrapped[0].insert(0, pad, kBlank);
                }
                for (auto& r : wrapped) rows.push_back(std::move(r));
            }
        }
    }
    while (!rows.empty() && rows.back().empty()) rows.pop_back();

    // Pages: linesPerPage - 1 rows of text, then the page number at the right.
    const size_t perPage = size_t(settings.linesPerPage - 1);
    size_t at = 0;
    int page = 0;
    do {
        ++page;
        // A page does not start with a blank row.
        while (at < rows.size() && rows[at].empty()) ++at;
        for (size_t k = 0; k < perPage; ++k, ++at) {
            if (at < rows.size()) letter.brf += brfFromDots(rows[at]);
            letter.brf += "\r\n";
        }
        const std::u32string num = pageNumber(page);
        letter.brf += std::string(size_t(width) - num.size(), ' ') + brfFromDots(num) + "\r\n\f";
        while (at < rows.size() && rows[at].empty()) ++at;
    } while (at < rows.size());
    letter.pages = page;
    return letter;
}

std::string backTranslateBrf(std::string_view brf, const std::string& table, const BrailleSettings& settings) {
    // Paragraphs: runs of non-blank rows, page-number rows dropped.
    std::vector<std::u32string> paragraphs(1);
    size_t lineNo = 0;
    size_t start = 0;
    while (start < brf.size()) {
        size_t end = brf.find_first_of("\r\n\f", start);
        if (end == std::string_view::npos) end = brf.size();
        std::u32string row = dotsFromBrf(brf.substr(start, end - start));
        const bool pageBreak = end < brf.size() && brf[end] == '\f';
        if (end < brf.size() && brf[end] == '\r' && end + 1 < brf.size() && brf[end + 1] == '\n') ++end;
        start = end + 1;
        const bool numberRow = (int(lineNo % size_t(settings.linesPerPage)) == settings.linesPerPage - 1) && isPageNumberRow(row);
        if (!pageBreak) ++lineNo;
        if (pageBreak) { lineNo = 0; continue; }
        if (numberRow) continue;
        while (!row.empty() && row.front() == kBlank) row.erase(0, 1);
        if (row.empty()) {
            if (!paragraphs.back().empty()) paragraphs.emplace_back();
            continue;
        }
        if (!paragraphs.back().empty()) paragraphs.back() += kBlank;
        paragraphs.back() += row;
    }
    std::string out;
    std::lock_guard lock(louisMutex());
    checkTable(table);
    for (const auto& p : paragraphs) {
        if (p.empty()) continue;
        const int inLen = int(p.size());
        for (int factor = 4;; factor *= 2) {
            int consumed = inLen;
            int outLen = inLen * factor + 16;
            std::vector<widechar> buf(static_cast<size_t>(outLen));
            // liblouis reads dots as 0x8000 | dots (LOU_DOTS) when back-translating.
            std::vector<widechar> in(p.size());
            for (size_t k = 0; k < p.size(); ++k) in[k] = widechar(0x8000 | (p[k] & 0xFF));
            if (!lou_backTranslateString(table.c_str(), in.data(), &consumed,
                                         buf.data(), &outLen, nullptr, nullptr, dotsIO | ucBrl))
                throw BrailleUnavailable("liblouis could not back-translate with table " + table);
            if (consumed < inLen && factor < 64) continue;
            if (consumed < inLen)
                throw BrailleUnavailable("liblouis read back " + std::to_string(consumed) + " of " +
                                         std::to_string(inLen) + " cells with table " + table);
            if (!out.empty()) out += '\n';
            out += toUtf8(std::u32string_view(reinterpret_cast<const char32_t*>(buf.data()), size_t(outLen)));
            break;
        }
    }
    return out;
}

}  // namespace duly::pdf
