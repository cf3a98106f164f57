// HtmlText: a small linear tag scanner, not a DOM. See HtmlText.h.
#include "duly/mail/HtmlText.h"

#include "AsciiText.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace duly::mail {
namespace {

using ascii::lower;

void appendCodePoint(std::string& out, std::uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    char buf[4];
    std::int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<std::uint8_t*>(buf), n, 4, static_cast<UChar32>(cp), error);
    if (!error) out.append(buf, static_cast<std::size_t>(n));
}

struct Entity {
    const char* name;
    std::uint32_t cp;
};
constexpr Entity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},         {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},     {"pound", 0xA3},    {"euro", 0x20AC},    {"copy", 0xA9},     {"reg", 0xAE},
    {"hellip", 0x2026}, {"mdash", 0x2014},  {"ndash", 0x2013},   {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bull", 0x2022},    {"middot", 0xB7},   {"deg", 0xB0},
    {"frac12", 0xBD},   {"times", 0xD7},    {"eacute", 0xE9},    {"egrave", 0xE8},   {"agrave", 0xE0},
    {"ouml", 0xF6},     {"uuml", 0xFC},     {"auml", 0xE4},      {"szlig", 0xDF},    {"ccedil", 0xE7},
    {"zwnj", 0x200C},   {"zwj", 0x200D},    {"shy", 0xAD},       {"trade", 0x2122},  {"sect", 0xA7},
};

// Block-level elements: a line break before and after.
bool isBlock(const std::string& tag) {
    static const char* kBlocks[] = {"p",     "div",   "br",     "li",      "tr",    "h1",      "h2",
                                    "h3",    "h4",    "h5",     "h6",      "ul",    "ol",      "table",
                                    "blockquote", "hr", "pre",  "address", "section", "article", "header",
                                    "footer", "dl",   "dt",     "dd",      "center", "form",   "fieldset",
                                    "tbody", "thead", "main",   "nav",     "aside", "figure",  "title"};
    return std::any_of(std::begin(kBlocks), std::end(kBlocks), [&](const char* b) { return tag == b; });
}

}  // namespace

std::string htmlToText(std::string_view html) {
    std::string out;
    out.reserve(html.size() / 2);
    bool pendingSpace = false;
    int pre = 0;
    auto newline = [&](int count) {
        // At most `count` consecutive line breaks, none at the start.
        pendingSpace = false;
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (out.empty()) return;
        int have = 0;
        for (auto it = out.rbegin(); it != out.rend() && *it == '\n' && have < count; ++it) ++have;
        while (have < count) {
            out += '\n';
            ++have;
        }
    };
    auto text = [&](char c) {
        if (!pre && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f')) {
            pendingSpace = true;
            return;
        }
        if (pendingSpace && !out.empty() && out.back() != '\n' && out.back() != '\t') out += ' ';
        pendingSpace = false;
        if (pre && c == '\r') return;
        out += c;
    };
    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '<') {
            if (html.compare(i, 4, "<!--") == 0) {
                const auto end = html.find("-->", i + 4);
                i = end == std::string_view::npos ? html.size() : end + 3;
                continue;
            }
            if (html.compare(i, 2, "<!") == 0 || html.compare(i, 2, "<?") == 0) {
                const auto end = html.find('>', i);
                i = end == std::string_view::npos ? html.size() : end + 1;
                continue;
            }
            // The tag name.
            std::size_t j = i + 1;
            const bool closing = j < html.size() && html[j] == '/';
            if (closing) ++j;
            std::size_t nameStart = j;
            while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == ':')) ++j;
            if (j == nameStart) {  // "<" that starts no tag is text
                text('<');
                ++i;
                continue;
            }
            const std::string tag = lower(html.substr(nameStart, std::min<std::size_t>(j - nameStart, 16)));
            // The end of the tag, respecting quoted attribute values.
            char quote = 0;
            while (j < html.size()) {
                if (quote) {
                    if (html[j] == quote) quote = 0;
                } else if (html[j] == '"' || html[j] == '\'') {
                    quote = html[j];
                } else if (html[j] == '>') {
                    break;
                }
                ++j;
            }
            i = j < html.size() ? j + 1 : html.size();
            if (!closing && (tag == "script" || tag == "style" || tag == "head")) {
                // Everything up to the matching end tag is not text.
                const std::string endTag = "</" + tag;
                std::size_t k = i;
                for (;;) {
                    k = html.find("</", k);
                    if (k == std::string_view::npos) {
                        i = html.size();
                        break;
                    }
                    if (lower(html.substr(k, endTag.size())) == endTag) {
                        const auto gt = html.find('>', k);
                        i = gt == std::string_view::npos ? html.size() : gt + 1;
                        break;
                    }
                    k += 2;
                }
                continue;
            }
            if (tag == "pre") pre = closing ? std::max(0, pre - 1) : pre + 1;
            if (tag == "td" || tag == "th") {
                if (!closing && !out.empty() && out.back() != '\n') {
                    out += '\t';
                    pendingSpace = false;
                }
            } else if (tag == "li" && !closing) {
                newline(1);
                out += "- ";
            } else if (tag == "br") {
                pendingSpace = false;
                while (!out.empty() && out.back() == ' ') out.pop_back();
                if (!out.empty() && !out.ends_with("\n\n\n")) out += '\n';  // blank lines, but not pages of them
            } else if (tag == "p" || tag == "blockquote" || (tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6')) {
                newline(2);
            } else if (isBlock(tag)) {
                newline(1);
            }
            continue;
        }
        if (c == '&') {
            // A character reference, up to 32 characters long.
            // Looked for within 32 bytes only: "&&&&…" must not scan to the end each time.
            const auto near = html.substr(i, 33).find(';');
            const auto semi = near == std::string_view::npos ? near : i + near;
            if (semi != std::string_view::npos) {
                const std::string_view ref = html.substr(i + 1, semi - i - 1);
                std::uint32_t cp = 0;
                bool ok = false;
                if (!ref.empty() && ref[0] == '#') {
                    const bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
                    const std::string_view digits = ref.substr(hex ? 2 : 1);
                    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
                    ok = ec == std::errc() && p == digits.data() + digits.size() && !digits.empty();
                    if (ec == std::errc::result_out_of_range) {
                        cp = 0xFFFD;
                        ok = true;
                    }
                } else {
                    const std::string name = lower(ref);  // HTML names are case-sensitive; mail is not careful
                    for (const auto& e : kEntities)
                        if (name == e.name) {
                            cp = e.cp;
                            ok = true;
                        }
                }
                if (ok) {
                    if (pendingSpace && !out.empty() && out.back() != '\n') out += ' ';
                    pendingSpace = false;
                    if (cp == 0xA0) cp = ' ';  // a non-breaking space reads as a space
                    if (cp == 0xAD) {
                        i = semi + 1;
                        continue;
                    }
                    appendCodePoint(out, cp);
                    i = semi + 1;
                    continue;
                }
            }
        }
        text(c);
        ++i;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace duly::mail
