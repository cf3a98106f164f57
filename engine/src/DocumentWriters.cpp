// DocumentWriters: Document → text, HTML and JSON. See DocumentWriters.h.
#include "duly/engine/DocumentWriters.h"

#include <cstdio>

namespace duly::engine {
namespace {

void appendEscapedHtml(std::string& out, std::string_view text);

constexpr const char* kFsi = "\xe2\x81\xa8";  // U+2068
constexpr const char* kPdi = "\xe2\x81\xa9";  // U+2069

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string attrs(const std::string& lang, Direction dir) {
    std::string s = " lang=\"" + escapeHtml(lang) + "\"";
    if (dir != Direction::Auto) s += " dir=\"" + std::string(directionName(dir)) + "\"";
    return s;
}

void htmlRuns(std::string& out, const Line& line) {
    for (const auto& r : line.runs) {
        if (r.isolate) {
            out += "<bdi>";
            appendEscapedHtml(out, r.text);
            out += "</bdi>";
        } else if (r.lang != line.lang) {
            out += "<span" + attrs(r.lang, r.dir) + ">";
            appendEscapedHtml(out, r.text);
            out += "</span>";
        } else {
            appendEscapedHtml(out, r.text);
        }
    }
}

void jsonString(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"') out += "\\\"";
        else if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else out += c;
    }
    out += '"';
}

}  // namespace

namespace {
void appendEscapedHtml(std::string& out, std::string_view text) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char* rep = nullptr;
        switch (text[i]) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            default: continue;
        }
        out.append(text.substr(start, i - start));
        out += rep;
        start = i + 1;
    }
    out.append(text.substr(start));
}

}  // namespace

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    appendEscapedHtml(out, text);
    return out;
}

std::string writeText(const Document& doc) {
    std::string out;
    out.reserve(2048);
    for (const auto& b : doc.blocks) {
        if (!out.empty()) out += "\n";
        for (const auto& line : b.lines) {
            if (b.kind == BlockKind::List) out += "\xe2\x80\xa2 ";  // •
            for (const auto& r : line.runs) {
                if (r.isolate) {
                    out += kFsi;
                    out += r.text;
                    out += kPdi;
                } else {
                    out += r.text;
                }
            }
            out += "\n";
        }
    }
    return out;
}

std::string writeHtml(const Document& doc) {
    const RenderProfile& p = doc.profile;
    std::string family = p.fontFamily == "serif" ? "Georgia, 'Times New Roman', serif"
                                                 : "Arial, Helvetica, 'Noto Sans', 'Noto Naskh Arabic', sans-serif";
    std::string body = "font-family: " + family + "; font-size: " + number(p.fontSizePt) +
                       "pt; line-height: " + number(p.lineSpacing) +
                       "; text-align: start; font-style: normal; text-transform: none; max-width: 40em; "
                       "margin: 1em auto; padding: 0 1em; color: #000; background: #fff;";
    std::string small = "font-size: " + number(p.minFontSizePt) + "pt;";
    std::string heading = "font-size: " + number(p.headingSizePt) + "pt; font-weight: " +
                          (p.boldHeadings ? "bold" : "normal") + "; margin: 1em 0 0.5em;";
    std::string out;
    out.reserve(4096);
    out += "<!DOCTYPE html>\n<html" + attrs(doc.lang, doc.dir) + ">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           escapeHtml(doc.subject) + "</title>\n</head>\n<body style=\"" + body + "\">\n";
    auto blockAttrs = [&](const Block& b) {
        return b.lang == doc.lang ? std::string{} : attrs(b.lang, b.dir);
    };
    auto lines = [&](const Block& b, const char* sep) {
        std::string s;
        bool first = true;
        for (const auto& l : b.lines) {
            if (!first) s += sep;
            first = false;
            if (l.lang != b.lang) {
                s += "<span" + attrs(l.lang, l.dir) + ">";
                htmlRuns(s, l);
                s += "</span>";
            } else {
                htmlRuns(s, l);
            }
        }
        return s;
    };
    // One <main> landmark around everything between the letterhead and the
    // footer; the first heading is the page's <h1>, later ones <h2>.
    bool inMain = false;
    bool firstHeading = true;
    for (const auto& b : doc.blocks) {
        std::string a = blockAttrs(b);
        if (!inMain && b.kind != BlockKind::Letterhead && b.kind != BlockKind::Footer) {
            out += "<main>\n";
            inMain = true;
        } else if (inMain && b.kind == BlockKind::Footer) {
            out += "</main>\n";
            inMain = false;
        }
        switch (b.kind) {
            case BlockKind::Letterhead:
                out += "<header" + a + " style=\"margin-bottom: 1em;\"><p style=\"margin: 0;\">" + lines(b, "<br>\n") +
                       "</p></header>\n";
                break;
            case BlockKind::Recipient:
                out += "<address" + a + " style=\"font-style: normal; margin: 1em 0;\">" + lines(b, "<br>\n") + "</address>\n";
                break;
            case BlockKind::DateLine:
            case BlockKind::Reference:
                out += "<p" + a + " class=\"" + std::string(blockKindName(b.kind)) + "\">" + lines(b, "<br>\n") + "</p>\n";
                break;
            case BlockKind::Heading: {
                const char* tag = firstHeading ? "h1" : "h2";
                firstHeading = false;
                out += std::string("<") + tag + a + " style=\"" + heading + "\">" + lines(b, " ") + "</" + tag + ">\n";
                break;
            }
            case BlockKind::Paragraph: out += "<p" + a + ">" + lines(b, " ") + "</p>\n"; break;
            case BlockKind::List:
                out += "<ul" + a + ">\n";
                for (const auto& l : b.lines) {
                    out += l.lang != b.lang ? "<li" + attrs(l.lang, l.dir) + ">" : std::string("<li>");
                    htmlRuns(out, l);
                    out += "</li>\n";
                }
                out += "</ul>\n";
                break;
            case BlockKind::Signature:
                out += "<p" + a + " class=\"signature\">" + lines(b, "<br>\n") + "</p>\n";
                break;
            case BlockKind::Footer:
                out += "<footer" + a + " style=\"" + small + " border-top: 1px solid #000; margin-top: 2em; padding-top: 0.5em;\">\n";
                for (const auto& l : b.lines) {
                    out += "<p" + attrs(l.lang, l.dir) + ">";
                    htmlRuns(out, l);
                    out += "</p>\n";
                }
                out += "</footer>\n";
                break;
        }
    }
    if (inMain) out += "</main>\n";
    out += "</body>\n</html>\n";
    return out;
}

std::string writeDocumentJson(const Document& doc) {
    std::string out = "{\n  \"template\": ";
    jsonString(out, doc.templateName);
    out += ",\n  \"lang\": ";
    jsonString(out, doc.lang);
    out += ",\n  \"requestedLang\": ";
    jsonString(out, doc.requestedLang);
    out += ",\n  \"dir\": ";
    jsonString(out, directionName(doc.dir));
    out += ",\n  \"subject\": ";
    jsonString(out, doc.subject);
    out += ",\n  \"bilingual\": ";
    out += doc.bilingual ? "true" : "false";
    const auto& p = doc.profile;
    out += ",\n  \"profile\": {\"name\": ";
    jsonString(out, p.name);
    out += ", \"fontSizePt\": " + number(p.fontSizePt) + ", \"minFontSizePt\": " + number(p.minFontSizePt) +
           ", \"headingSizePt\": " + number(p.headingSizePt) + ", \"fontFamily\": ";
    jsonString(out, p.fontFamily);
    out += ", \"align\": ";
    jsonString(out, p.align);
    out += ", \"lineSpacing\": " + number(p.lineSpacing) + ", \"italics\": " + (p.italics ? "true" : "false") +
           ", \"capitals\": " + (p.capitals ? "true" : "false") + ", \"boldHeadings\": " +
           (p.boldHeadings ? "true" : "false") + ", \"marginMm\": " + number(p.marginMm) + "}";
    out += ",\n  \"blocks\": [";
    bool firstBlock = true;
    for (const auto& b : doc.blocks) {
        out += firstBlock ? "\n" : ",\n";
        firstBlock = false;
        out += "    {\"kind\": ";
        jsonString(out, blockKindName(b.kind));
        out += ", \"lang\": ";
        jsonString(out, b.lang);
        out += ", \"dir\": ";
        jsonString(out, directionName(b.dir));
        out += ", \"source\": ";
        jsonString(out, b.source);
        out += ", \"lines\": [";
        bool firstLine = true;
        for (const auto& l : b.lines) {
            out += firstLine ? "\n" : ",\n";
            firstLine = false;
            out += "      {\"lang\": ";
            jsonString(out, l.lang);
            out += ", \"dir\": ";
            jsonString(out, directionName(l.dir));
            out += ", \"runs\": [";
            bool firstRun = true;
            for (const auto& r : l.runs) {
                out += firstRun ? "" : ", ";
                firstRun = false;
                out += "{\"text\": ";
                jsonString(out, r.text);
                out += ", \"lang\": ";
                jsonString(out, r.lang);
                out += ", \"dir\": ";
                jsonString(out, directionName(r.dir));
                out += ", \"isolate\": ";
                out += r.isolate ? "true" : "false";
                out += "}";
            }
            out += "]}";
        }
        out += "]}";
    }
    out += "\n  ],\n  \"fallbacks\": [";
    bool firstFb = true;
    for (const auto& f : doc.fallbacks) {
        out += firstFb ? "\n" : ",\n";
        firstFb = false;
        out += "    {\"what\": ";
        jsonString(out, f.what);
        out += ", \"requested\": ";
        jsonString(out, f.requested);
        out += ", \"used\": ";
        jsonString(out, f.used);
        out += ", \"reason\": ";
        jsonString(out, f.reason);
        out += "}";
    }
    out += "\n  ]\n}\n";
    return out;
}

}  // namespace duly::engine
