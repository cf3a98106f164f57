// MimeParser: the top header is checked line by line as bytes arrive (so
// limits and errors are found early and the same whatever the piece size);
// the structure is read at finish() from the buffered bytes: each multipart
// is split on its boundary lines, each leaf decoded once. Work is linear in
// the message size for each level of nesting, and nesting is bounded.
// See MimeParser.h.
#include "duly/mail/MimeParser.h"

#include "AsciiText.h"

#include "duly/mail/AttachmentName.h"
#include "duly/mail/Charset.h"
#include "duly/mail/HtmlText.h"
#include "duly/mail/TransferEncoding.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>

namespace duly::mail {
namespace {

using ascii::lower;
using ascii::trim;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}


// A line of input for a message, printable: at most 60 bytes, anything but
// printable ASCII as '?' (the bytes are in no known charset yet).
std::string shown(std::string_view line) {
    std::string out;
    for (char c : line.substr(0, 60))
        out += (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) ? '?' : c;
    if (line.size() > 60) out += "…";
    return out;
}

bool validFieldName(std::string_view name) {
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);  // obsolete "Subject :"
    if (name.empty()) return false;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126) return false;
    }
    return true;
}

// The lines of [begin, end): each without its line end.
template <typename F>
void forEachLine(std::string_view s, F&& f) {
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto nl = s.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? s.size() : nl;
        std::string_view line = s.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!f(line, pos, nl == std::string_view::npos ? s.size() : nl + 1)) return;
        pos = nl == std::string_view::npos ? s.size() : nl + 1;
    }
}

// Header block → fields, leniently (used after the top header was checked,
// and for part headers, where a line that is not a field is skipped).
MimeHeaders splitHeader(std::string_view block, std::size_t maxFields, std::size_t maxFieldBytes, bool& skipped) {
    MimeHeaders headers;
    MimeHeader current;
    bool have = false;
    skipped = false;
    auto flush = [&] {
        if (have && headers.all().size() < maxFields) headers.add(std::move(current));
        current = {};
        have = false;
    };
    bool first = true;
    forEachLine(block, [&](std::string_view line, std::size_t, std::size_t) {
        if (first && line.starts_with("From ")) {  // an mbox separator line
            first = false;
            return true;
        }
        first = false;
        if (line.empty()) return true;  // the empty line ending the block
        if (line[0] == ' ' || line[0] == '\t') {
            if (have && current.value.size() < maxFieldBytes) current.value.append(line);  // unfolding keeps the WSP
            else if (!have) skipped = true;
            return true;
        }
        flush();
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || !validFieldName(line.substr(0, colon))) {
            skipped = true;
            return true;
        }
        current.name = std::string(trim(line.substr(0, colon)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        current.value = std::string(value.substr(0, maxFieldBytes));
        have = true;
        return true;
    });
    flush();
    // Unfolded values lose the trailing white space of their last line.
    return headers;
}

// Where a header block ends in `s`: the offset of the body (after the empty
// line), or npos when there is no empty line.
std::size_t bodyStart(std::string_view s) {
    std::size_t result = std::string_view::npos;
    forEachLine(s, [&](std::string_view line, std::size_t, std::size_t next) {
        if (line.empty()) {
            result = next;
            return false;
        }
        return true;
    });
    return result;
}

struct Part {
    MimeHeaders headers;
    HeaderParameters type;         // Content-Type
    HeaderParameters disposition;  // Content-Disposition
    std::string encoding;          // Content-Transfer-Encoding, lower case
    std::string_view body;         // still encoded
    std::string path;              // "1.2"; "" for the whole message
    std::vector<Part> children;
};


std::string where(const std::string& path) { return path.empty() ? "the message" : "part " + path; }

class StructureReader {
public:
    StructureReader(const MimeLimits& limits, MimeMessage& message) : _limits(limits), _m(message) {}

    // Fills `part` (headers already set) from `body`; reads children of multiparts.
    // Returns an error for a limit exceeded.
    std::optional<std::string> read(Part& part, std::string_view body, std::size_t depth, bool digest) {
        part.body = body;
        if (const auto* ct = part.headers.find("content-type")) {
            part.type = parseParameters(*ct);
            if (!part.type.note.empty()) note(part.path, part.type.note);
        }
        if (part.type.value.empty() || part.type.value.find('/') == std::string::npos)
            part.type.value = digest ? "message/rfc822" : "text/plain";
        if (const auto* cd = part.headers.find("content-disposition")) {
            part.disposition = parseParameters(*cd);
            if (!part.disposition.note.empty()) note(part.path, part.disposition.note);
        }
        if (const auto* te = part.headers.find("content-transfer-encoding")) part.encoding = lower(trim(*te));
        if (!part.type.value.starts_with("multipart/")) return std::nullopt;

        auto boundaryIt = part.type.params.find("boundary");
        if (boundaryIt == part.type.params.end() || boundaryIt->second.empty() || boundaryIt->second.size() > 200) {
            note(part.path, part.type.value + " without a usable boundary; read as text");
            part.type.value = "text/plain";
            return std::nullopt;
        }
        if (depth >= _limits.maxDepth)
            return where(part.path) + ": multiparts nested deeper than " + std::to_string(_limits.maxDepth);
        const std::string delimiter = "--" + boundaryIt->second;
        const bool childDigest = part.type.value == "multipart/digest";

        // Split on delimiter lines; the line end before a delimiter belongs to it.
        std::vector<std::string_view> pieces;
        std::size_t partStart = std::string_view::npos;
        bool closed = false;
        forEachLine(body, [&](std::string_view line, std::size_t lineStart, std::size_t next) {
            if (line.size() < delimiter.size() || line.compare(0, delimiter.size(), delimiter) != 0) return true;
            std::string_view rest = line.substr(delimiter.size());
            const bool closing = rest.starts_with("--");
            if (closing) rest.remove_prefix(2);
            if (!trim(rest).empty()) return true;  // a longer boundary that starts the same
            if (partStart != std::string_view::npos) {
                std::size_t end = lineStart;
                if (end > partStart && body[end - 1] == '\n') --end;
                if (end > partStart && body[end - 1] == '\r') --end;
                pieces.push_back(body.substr(partStart, end - partStart));
                if (pieces.size() > _limits.maxParts) return false;  // over the limit: no need to list more
            }
            if (closing) {
                closed = true;
                return false;
            }
            partStart = next;
            return true;
        });
        if (!closed && partStart != std::string_view::npos && pieces.size() <= _limits.maxParts) {
            note(part.path, "the last part has no closing boundary; read to the end");
            pieces.push_back(body.substr(partStart));
        }
        if (pieces.empty()) note(part.path, part.type.value + " with no parts");
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            if (++_parts > _limits.maxParts)
                return "the message has more than " + std::to_string(_limits.maxParts) + " parts";
            Part child;
            child.path = part.path.empty() ? std::to_string(i + 1) : part.path + "." + std::to_string(i + 1);
            std::string_view piece = pieces[i];
            std::size_t start = bodyStart(piece);
            std::string_view header;
            std::string_view childBody;
            const std::string_view firstLine = piece.substr(0, piece.find('\n'));
            const auto colon = firstLine.find(':');
            if (piece.starts_with("\r\n") || piece.starts_with("\n")) {
                childBody = piece.substr(piece[0] == '\r' ? 2 : 1);  // no header at all
            } else if (colon == std::string_view::npos || !validFieldName(firstLine.substr(0, colon))) {
                childBody = piece;  // text straight after the boundary, without the empty line
            } else if (start == std::string_view::npos) {
                header = piece;  // header only, empty body
            } else {
                header = piece.substr(0, start);
                childBody = piece.substr(start);
            }
            if (header.size() > _limits.maxHeaderBytes) {
                note(child.path, "header over " + std::to_string(_limits.maxHeaderBytes) + " bytes; only its start was read");
                header = header.substr(0, _limits.maxHeaderBytes);
            }
            bool skipped = false;
            child.headers = splitHeader(header, _limits.maxHeaderFields, _limits.maxFieldBytes, skipped);
            if (skipped) note(child.path, "lines in the part's header that are not header fields were skipped");
            if (auto error = read(child, childBody, depth + 1, childDigest)) return error;
            part.children.push_back(std::move(child));
        }
        return std::nullopt;
    }

    void note(const std::string& path, const std::string& what) {
        const std::string text = (path.empty() ? "" : "part " + path + ": ") + what;
        if (_m.notes.size() < 20 && std::find(_m.notes.begin(), _m.notes.end(), text) == _m.notes.end())
            _m.notes.push_back(text);
    }

private:
    const MimeLimits& _limits;
    MimeMessage& _m;
    std::size_t _parts = 0;
};

// Decodes a leaf's content transfer encoding.
std::string decodedBody(const Part& p, StructureReader& r) {
    if (p.encoding == "base64") return decodeBase64(p.body);
    if (p.encoding == "quoted-printable") return decodeQuotedPrintable(p.body);
    if (!p.encoding.empty() && p.encoding != "7bit" && p.encoding != "8bit" && p.encoding != "binary")
        r.note(p.path, "transfer encoding \"" + shown(p.encoding) + "\" is unknown; read as it is");
    return std::string(p.body);
}

// An HTML part's charset when the MIME header gives none: <meta charset=…>
// or <meta http-equiv content="…; charset=…"> near the top.
std::string metaCharset(std::string_view html) {
    const std::string head = lower(html.substr(0, 2048));
    auto pos = head.find("charset=");
    if (pos == std::string::npos) return {};
    pos += 8;
    while (pos < head.size() && (head[pos] == '"' || head[pos] == '\'' || head[pos] == ' ')) ++pos;
    std::string cs;
    while (pos < head.size() && cs.size() < 40 &&
           (std::isalnum(static_cast<unsigned char>(head[pos])) || head[pos] == '-' || head[pos] == '_' ||
            head[pos] == ':' || head[pos] == '.'))
        cs += head[pos++];
    return cs;
}

// format=flowed (RFC 3676): a line ending in a space continues on the next.
std::string unflow(const std::string& text, bool delsp) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
        if (line.starts_with(" ")) line.remove_prefix(1);  // space-stuffing
        const bool soft = !line.empty() && line.back() == ' ' && line != "-- ";
        if (soft && delsp) line.remove_suffix(1);
        out.append(line);
        if (nl == std::string::npos) break;
        if (!soft) out += '\n';
        pos = nl + 1;
    }
    return out;
}

bool isAttachment(const Part& p) {
    if (p.disposition.value == "attachment") return true;
    if (p.disposition.params.count("filename") || p.type.params.count("name")) return true;
    return !(p.type.value == "text/plain" || p.type.value == "text/html");
}

class BodyReader {
public:
    BodyReader(MimeMessage& m, StructureReader& r, const MimeLimits& limits) : _m(m), _r(r), _limits(limits) {}

    void text(const Part& p) {
        if (p.type.value.starts_with("multipart/")) {
            if (p.type.value == "multipart/alternative") {
                const Part* chosen = choose(p);
                if (chosen) text(*chosen);
                for (const auto& c : p.children)
                    if (&c != chosen) attachmentsOnly(c);
                return;
            }
            if (p.type.value == "multipart/report") {
                if (auto it = p.type.params.find("report-type"); it != p.type.params.end()) _m.reportType = lower(it->second);
                if (_m.reportType.empty()) _m.reportType = "unknown";
                for (const auto& c : p.children) {
                    if (c.type.value == "message/rfc822" || c.type.value == "text/rfc822-headers") {
                        std::string inner = decodedBody(c, _r);
                        const std::size_t end = bodyStart(inner);
                        bool skipped = false;
                        const MimeHeaders h = splitHeader(std::string_view(inner).substr(0, std::min(end, _limits.maxHeaderBytes)),
                                                          _limits.maxHeaderFields, _limits.maxFieldBytes, skipped);
                        if (const auto* id = h.find("message-id")) {
                            auto ids = parseMessageIds(*id, 1);
                            if (!ids.empty() && _m.reportedMessageId.empty()) _m.reportedMessageId = ids.front();
                        }
                    }
                }
            }
            for (const auto& c : p.children) text(c);
            return;
        }
        if (isAttachment(p)) {
            attachment(p);
            return;
        }
        leafText(p);
    }

    void finishText() {
        // One kind of line end; no trailing blank lines; bounded.
        std::string out;
        out.reserve(_text.size());
        for (std::size_t i = 0; i < _text.size(); ++i) {
            if (_text[i] == '\r') {
                if (i + 1 < _text.size() && _text[i + 1] == '\n') continue;
                out += '\n';
                continue;
            }
            out += _text[i];
        }
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
        if (out.size() > _limits.maxTextBytes) {
            std::size_t cut = _limits.maxTextBytes;
            while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a whole character
            out.resize(cut);
            _r.note("", "the text is over " + std::to_string(_limits.maxTextBytes) + " bytes; the rest is kept only in the raw message");
        }
        _m.text = std::move(out);
    }

private:
    // Plain text first; then HTML; then the first multipart that holds text.
    const Part* choose(const Part& p) {
        for (const auto& c : p.children)
            if (c.type.value == "text/plain" && c.disposition.value != "attachment") return &c;
        for (const auto& c : p.children)
            if (c.type.value == "text/html" && c.disposition.value != "attachment") return &c;
        for (const auto& c : p.children)
            if (c.type.value.starts_with("multipart/")) return &c;
        return p.children.empty() ? nullptr : &p.children.front();
    }

    void attachmentsOnly(const Part& p) {
        if (p.type.value.starts_with("multipart/")) {
            for (const auto& c : p.children) attachmentsOnly(c);
        } else if (isAttachment(p)) {
            attachment(p);
        }
    }

    void leafText(const Part& p) {
        const std::string bytes = decodedBody(p, _r);
        std::string charset;
        if (auto it = p.type.params.find("charset"); it != p.type.params.end()) charset = it->second;
        const bool html = p.type.value == "text/html";
        if (html && charset.empty()) charset = metaCharset(bytes);
        DecodedText d = decodeCharset(bytes, charset);
        if (!d.note.empty()) _r.note(p.path, d.note);
        std::string text;
        if (html) {
            text = htmlToText(d.utf8);
        } else {
            text = std::move(d.utf8);
            auto format = p.type.params.find("format");
            if (format != p.type.params.end() && lower(format->second) == "flowed") {
                auto delsp = p.type.params.find("delsp");
                std::string norm;
                for (char c : text)
                    if (c != '\r') norm += c;
                text = unflow(norm, delsp != p.type.params.end() && lower(delsp->second) == "yes");
            }
        }
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
        if (_m.textFrom.empty()) _m.textFrom = p.type.value;
        if (!_text.empty() && !text.empty()) _text += "\n\n";
        if (_text.size() <= _limits.maxTextBytes) _text += text;
    }

    void attachment(const Part& p) {
        MimeAttachment a;
        a.contentType = p.type.value;
        a.part = p.path.empty() ? "1" : p.path;
        a.inlinePart = p.disposition.value == "inline";
        std::string name;
        if (auto it = p.disposition.params.find("filename"); it != p.disposition.params.end()) name = it->second;
        if (name.empty())
            if (auto it = p.type.params.find("name"); it != p.type.params.end()) name = it->second;
        a.bytes = decodedBody(p, _r);
        if (name.empty() && p.type.value == "message/rfc822") {
            // A forwarded message is named after its subject.
            bool skipped = false;
            const std::size_t end = bodyStart(a.bytes);
            const MimeHeaders h = splitHeader(std::string_view(a.bytes).substr(0, std::min(end, _limits.maxHeaderBytes)),
                                              _limits.maxHeaderFields, _limits.maxFieldBytes, skipped);
            if (const auto* s = h.find("subject")) {
                name = decodeHeaderText(*s);
                std::replace(name.begin(), name.end(), '/', '-');  // a subject's slash is not a path
                std::replace(name.begin(), name.end(), '\\', '-');
                name += ".eml";
            }
        }
        if (name.empty() && p.type.value == "message/delivery-status") name = "delivery-status.txt";
        if (name.empty() && p.type.value == "text/rfc822-headers") name = "returned-headers.txt";
        std::string safe = sanitiseAttachmentName(name, a.contentType);
        // Unique within the message: "scan.pdf", "scan (2).pdf".
        if (_names.count(lower(safe))) {
            const auto dot = safe.rfind('.');
            std::string stem = dot == std::string::npos || dot == 0 ? safe : safe.substr(0, dot);
            const std::string ext = dot == std::string::npos || dot == 0 ? "" : safe.substr(dot);
            int& n = _next[lower(safe)];
            for (n = std::max(n, 2);; ++n) {
                // Room for the number, so the length bound never cuts it off.
                const std::string suffix = " (" + std::to_string(n) + ")";
                const std::size_t room = kMaxAttachmentNameBytes - suffix.size() - ext.size();
                if (stem.size() > room) {
                    std::size_t cut = room;
                    while (cut > 0 && (static_cast<unsigned char>(stem[cut]) & 0xC0) == 0x80) --cut;  // a whole character
                    stem.resize(cut);
                }
                std::string candidate = stem + suffix + ext;
                if (!_names.count(lower(candidate))) {
                    safe = candidate;
                    break;
                }
            }
        }
        _names.insert(lower(safe));
        a.fileName = std::move(safe);
        _m.attachments.push_back(std::move(a));
    }

    MimeMessage& _m;
    StructureReader& _r;
    const MimeLimits& _limits;
    std::string _text;
    std::set<std::string> _names;
    std::map<std::string, int> _next;  // the next number to try for a name taken
};

void fillFromHeaders(MimeMessage& m) {
    // Raw 8-bit header bytes are most often in the body's charset.
    std::string fallback = "windows-1252";
    if (const auto* ct = m.headers.find("content-type")) {
        auto p = parseParameters(*ct);
        m.contentType = p.value;
        if (auto it = p.params.find("charset"); it != p.params.end() && knownCharset(it->second)) fallback = it->second;
    }
    if (m.contentType.empty() || m.contentType.find('/') == std::string::npos) m.contentType = "text/plain";
    if (const auto* from = m.headers.find("from")) {
        m.from = parseMailbox(*from, fallback);
    }
    if (const auto* subject = m.headers.find("subject")) {
        std::string note;
        m.subject = std::string(trim(decodeHeaderText(*subject, &note, fallback)));
        if (!note.empty()) m.notes.push_back("Subject: " + note);
        // Folding leaves tabs; a subject is one line.
        for (char& c : m.subject)
            if (c == '\t' || c == '\r' || c == '\n') c = ' ';
    }
    if (const auto* id = m.headers.find("message-id")) {
        auto ids = parseMessageIds(*id, 1);
        if (!ids.empty()) m.messageId = ids.front();
    }
    if (const auto* v = m.headers.find("in-reply-to")) m.inReplyTo = parseMessageIds(*v, 10);
    if (const auto* v = m.headers.find("references")) m.references = parseMessageIds(*v, 100);
    if (const auto* v = m.headers.find("date")) m.date = parseMailDate(*v);
}

}  // namespace

const std::string* MimeHeaders::find(std::string_view name) const {
    for (const auto& h : _all)
        if (equalsIgnoreCase(h.name, name)) return &h.value;
    return nullptr;
}

MimeParser::MimeParser(MimeLimits limits) : _limits(limits) {}

bool MimeParser::feed(std::string_view bytes) {
    if (_error || _overSize) return false;
    const std::size_t room = _limits.maxMessageBytes - std::min(_limits.maxMessageBytes, _buffer.size());
    if (bytes.size() > room) {
        _buffer.append(bytes.substr(0, room));
        _overSize = true;
    } else {
        _buffer.append(bytes);
    }
    if (_headerEnd == std::string::npos && scanHeaderLines(false)) return false;
    if (_overSize) {
        _error = "the message is over the limit of " + std::to_string(_limits.maxMessageBytes) + " bytes";
        return false;
    }
    return true;
}

// Checks the top header's complete lines (and at the end the last, partial
// one). Returns true when an error was found.
bool MimeParser::scanHeaderLines(bool atEnd) {
    while (_headerEnd == std::string::npos && _scanned < _buffer.size()) {
        // Bytes already searched are not searched again (fed one at a time,
        // a long line would otherwise cost its length squared).
        auto nl = _buffer.find('\n', std::max(_scanned, _searched));
        if (nl == std::string::npos) {
            _searched = _buffer.size();
            if (_buffer.size() > _limits.maxHeaderBytes) {
                _goodHeaderBytes = _scanned;
                _error = "the header is over " + std::to_string(_limits.maxHeaderBytes) + " bytes";
                return true;
            }
            if (!atEnd) return false;
            nl = _buffer.size();
        }
        const std::size_t next = nl == _buffer.size() ? nl : nl + 1;
        if (next > _limits.maxHeaderBytes) {
            _goodHeaderBytes = _scanned;
            _error = "the header is over " + std::to_string(_limits.maxHeaderBytes) + " bytes";
            return true;
        }
        std::string_view line(_buffer.data() + _scanned, nl - _scanned);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        _goodHeaderBytes = _scanned;
        ++_line;
        const std::string at = "line " + std::to_string(_line) + ": ";
        if (line.empty()) {
            _headerEnd = next;
            _scanned = next;
            break;
        }
        _scanned = next;
        if (_line == 1 && line.starts_with("From ")) continue;  // an mbox separator line
        if (line.find('\0') != std::string_view::npos) {
            _error = at + "a NUL byte in the header";
            return true;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (_fieldName.empty()) {
                _error = at + "a folded line with no header field before it";
                return true;
            }
            _fieldBytes += line.size();
        } else {
            const auto colon = line.find(':');
            if (colon == std::string_view::npos || !validFieldName(line.substr(0, colon))) {
                _error = at + "a header line without a name: \"" + shown(line) + "\"";
                return true;
            }
            if (++_fields > _limits.maxHeaderFields) {
                _error = at + "the header has more than " + std::to_string(_limits.maxHeaderFields) + " fields";
                return true;
            }
            _fieldName = std::string(trim(line.substr(0, colon)));
            _fieldBytes = line.size();
        }
        if (_fieldBytes > _limits.maxFieldBytes) {
            _error = at + "header field " + shown(_fieldName) + " is over " + std::to_string(_limits.maxFieldBytes) +
                     " bytes";
            return true;
        }
    }
    return false;
}

MimeResult MimeParser::finish() {
    MimeResult result;
    MimeMessage& m = result.message;
    if (!_error && _buffer.empty()) _error = "the message is empty";
    if (!_error && _headerEnd == std::string::npos) scanHeaderLines(true);
    // The header read so far: all of it, or the lines before the one in error.
    const std::size_t headerBytes = _headerEnd != std::string::npos ? _headerEnd
                                    : _error                        ? _goodHeaderBytes
                                                                    : _scanned;
    std::string_view header(_buffer.data(), std::min({headerBytes, _buffer.size(), _limits.maxHeaderBytes}));
    bool skipped = false;
    m.headers = splitHeader(header, _limits.maxHeaderFields, _limits.maxFieldBytes, skipped);
    fillFromHeaders(m);
    if (_error) {
        result.error = _error;
        return result;
    }
    const std::string_view body =
        _headerEnd == std::string::npos ? std::string_view() : std::string_view(_buffer).substr(_headerEnd);
    Part top;
    top.headers = m.headers;
    StructureReader structure(_limits, m);
    if (auto error = structure.read(top, body, 0, false)) {
        result.error = *error;
        return result;
    }
    BodyReader reader(m, structure, _limits);
    reader.text(top);
    reader.finishText();
    return result;
}

MimeResult parseMime(std::string_view raw, const MimeLimits& limits) {
    MimeParser parser(limits);
    parser.feed(raw);
    return parser.finish();
}

}  // namespace duly::mail
