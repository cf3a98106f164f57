// MessageComposer: OutgoingMessage → RFC 5322 bytes. It owns header
// validation (every value checked for CR, LF and other controls before it
// is used, so nothing can be injected), the MIME structure and the choice
// of transfer encoding. Fails with InputError naming the header or part.
#include "duly/mail/MessageComposer.h"

#include "duly/engine/InputError.h"
#include "duly/mail/OutgoingEncoding.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

namespace duly::mail {
namespace {

using engine::InputError;

constexpr std::size_t kMaxCaseReference = 40;  // keeps the MIME boundary within 70 characters
constexpr std::size_t kMaxDocumentId = 64;
// A MIME boundary is at most 70 characters ("=_duly_alt_" is 11 of them).
constexpr std::size_t kMaxBoundaryId = 57;
constexpr std::size_t kMaxDisplayName = 200;
constexpr std::size_t kMaxAddress = 254;
constexpr std::size_t kMaxSubject = 900;  // plus "Subject: " and the reference, under 998
constexpr std::size_t kMaxMessageIdRef = 250;
constexpr std::size_t kMaxReferences = 20;  // the newest ids of a long thread
constexpr std::size_t kMaxFilename = 200;
constexpr std::size_t kFoldAt = 78;

bool isAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// RFC 5322 atext.
bool isAtext(char c) { return isAlnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos; }

// Refuses what must never reach a header line: CR or LF (a second header),
// other control characters, and text that is not UTF-8.
void checkHeaderText(std::string_view header, std::string_view value) {
    for (const char c : value) {
        if (c == '\r' || c == '\n') {
            throw InputError("header " + std::string(header) +
                             ": the value contains a line break (CR or LF); a header value must be one line");
        }
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7F) {
            throw InputError("header " + std::string(header) + ": the value contains a control character (byte " +
                             std::to_string(u) + "); expected printable text");
        }
    }
    if (!isValidUtf8(value)) {
        throw InputError("header " + std::string(header) + ": the value is not valid UTF-8");
    }
}

void checkLength(std::string_view header, std::string_view value, std::size_t maximum) {
    if (value.size() > maximum) {
        throw InputError("header " + std::string(header) + ": the value is " + std::to_string(value.size()) +
                         " bytes long; at most " + std::to_string(maximum) + " are allowed");
    }
}

// Host name: dot-separated labels of letters, digits and inner hyphens.
bool isHostName(std::string_view host) {
    if (host.empty() || host.size() > 253) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = host.find('.', start);
        const std::string_view label = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        if (!std::all_of(label.begin(), label.end(), [](char c) { return isAlnum(c) || c == '-'; })) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

void checkAddress(std::string_view header, std::string_view address) {
    checkHeaderText(header, address);
    checkLength(header, address, kMaxAddress);
    const std::size_t at = address.rfind('@');
    const auto bad = [&](const char* why) {
        return InputError("header " + std::string(header) + ": \"" + std::string(address) +
                          "\" is not an e-mail address (" + why + "; expected local-part@domain in ASCII)");
    };
    if (at == std::string_view::npos) throw bad("no @");
    const std::string_view local = address.substr(0, at);
    const std::string_view domain = address.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos ||
        !std::all_of(local.begin(), local.end(), [](char c) { return isAtext(c) || c == '.'; })) {
        throw bad("bad local part");
    }
    if (!isHostName(domain)) throw bad("bad domain");
}

// "<left@right>" with printable ASCII and no spaces or angle brackets inside.
void checkMessageIdRef(std::string_view header, std::string_view id) {
    checkHeaderText(header, id);
    checkLength(header, id, kMaxMessageIdRef);
    const bool shaped = id.size() >= 5 && id.front() == '<' && id.back() == '>' &&
                        id.find('@') != std::string_view::npos &&
                        std::all_of(id.begin() + 1, id.end() - 1, [](char c) {
                            return c > 32 && c < 127 && c != '<' && c != '>';
                        });
    if (!shaped) {
        throw InputError("header " + std::string(header) + ": \"" + std::string(id) +
                         "\" is not a message id (expected <left@right>)");
    }
}

// True when `id` can be written as a threading reference (see
// checkMessageIdRef), which never throws.
bool writableMessageIdRef(std::string_view id) {
    try {
        checkMessageIdRef("References", id);
        return true;
    } catch (const InputError&) {
        return false;
    }
}

// A display name as it may go into a header: control characters (a line
// break in a decoded sender name, a tab) become spaces, and a name too long
// is cut at a character boundary. A name that is not UTF-8 is left out.
// A name is never a reason to send nothing.
std::string writableDisplayName(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7F) ? ' ' : c;
    }
    if (!isValidUtf8(out)) return {};
    if (out.size() > kMaxDisplayName) {
        std::size_t cut = kMaxDisplayName;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    out.erase(0, first);
    out.erase(out.find_last_not_of(' ') + 1);
    return out;
}

void checkIdPart(std::string_view what, std::string_view part, std::size_t maximum) {
    const bool ok = !part.empty() && part.size() <= maximum && part.front() != '.' && part.back() != '.' &&
                    part.find("..") == std::string_view::npos &&
                    std::all_of(part.begin(), part.end(), [](char c) {
                        return isAlnum(c) || c == '.' || c == '-' || c == '_';
                    });
    if (!ok) {
        throw InputError(std::string(what) + " \"" + std::string(part) + "\" cannot go into a Message-ID (expected 1 to " +
                         std::to_string(maximum) + " letters, digits, '.', '-' or '_', no leading, trailing or doubled dot)");
    }
}

// A display name as a phrase: atoms as they are, other ASCII quoted, and
// anything else as RFC 2047 words.
std::string phrase(std::string_view name, std::size_t lineUsed) {
    if (!isAscii(name)) return encodeHeaderWords(name, lineUsed);
    const bool atoms = name.find("=?") == std::string_view::npos && name.front() != ' ' && name.back() != ' ' &&
                       name.find("  ") == std::string_view::npos &&
                       std::all_of(name.begin(), name.end(), [](char c) { return isAtext(c) || c == ' '; });
    if (atoms) return std::string(name);
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string mailbox(std::string_view header, const Mailbox& box, std::size_t lineUsed) {
    checkAddress(header, box.address);
    const std::string name = writableDisplayName(box.displayName);
    if (name.empty()) return box.address;
    return phrase(name, lineUsed) + " <" + box.address + ">";
}

// Unstructured ASCII text folded at spaces so lines stay within 78
// characters where the words allow it.
std::string foldAscii(std::string_view text, std::size_t lineUsed) {
    std::string out;
    std::size_t column = lineUsed;
    std::size_t pos = 0;
    bool firstWord = true;
    while (pos <= text.size()) {
        std::size_t space = text.find(' ', pos);
        if (space == std::string_view::npos) space = text.size();
        const std::string_view word = text.substr(pos, space - pos);
        if (!firstWord) {
            if (column + 1 + word.size() > kFoldAt && column > 1) {
                out += "\r\n";
                column = 0;
            }
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        firstWord = false;
        pos = space + 1;
    }
    return out;
}

struct EncodedBody {
    std::string transferEncoding;
    std::string bytes;  // ends with CRLF
};

// 7bit when the text is short-lined ASCII and cannot contain our boundary
// prefix; base64 when mostly non-ASCII (Urdu, Chinese); quoted-printable
// otherwise. QP and base64 can never produce "=_", which is why every Duly
// boundary starts with it.
EncodedBody encodeText(std::string_view normalized) {
    std::size_t nonAscii = 0;
    std::size_t longest = 0;
    std::size_t column = 0;
    for (std::size_t i = 0; i < normalized.size(); ++i) {
        const auto c = static_cast<unsigned char>(normalized[i]);
        if (c >= 0x80) ++nonAscii;
        if (normalized[i] == '\r' && i + 1 < normalized.size() && normalized[i + 1] == '\n') {
            column = 0;
            ++i;
            continue;
        }
        longest = std::max(longest, ++column);
    }
    EncodedBody body;
    if (nonAscii == 0 && longest <= 76 && normalized.find("=_duly_") == std::string_view::npos) {
        body.transferEncoding = "7bit";
        body.bytes = std::string(normalized);
    } else if (nonAscii * 3 > normalized.size()) {
        body.transferEncoding = "base64";
        body.bytes = encodeBase64Lines(normalized);
    } else {
        body.transferEncoding = "quoted-printable";
        body.bytes = encodeQuotedPrintable(normalized);
    }
    if (body.bytes.size() < 2 || body.bytes.compare(body.bytes.size() - 2, 2, "\r\n") != 0) body.bytes += "\r\n";
    return body;
}

std::string textPart(std::string_view part, std::string_view mediaType, std::string_view text) {
    if (!isValidUtf8(text)) throw InputError(std::string(part) + ": the text is not valid UTF-8");
    if (text.find('\0') != std::string_view::npos) {
        throw InputError(std::string(part) + ": the text contains a NUL byte");
    }
    const EncodedBody body = encodeText(normalizeLineEnds(text));
    return "Content-Type: " + std::string(mediaType) + "; charset=utf-8\r\nContent-Transfer-Encoding: " +
           body.transferEncoding + "\r\n\r\n" + body.bytes;
}

bool isToken(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return isAlnum(c) || std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
    });
}

std::string attachmentPart(std::size_t number, const Attachment& attachment) {
    const std::string what = "attachment " + std::to_string(number);
    checkHeaderText(what + " filename", attachment.filename);
    checkHeaderText(what + " content type", attachment.contentType);
    if (attachment.filename.empty() || attachment.filename.size() > kMaxFilename) {
        throw InputError(what + ": the filename must be 1 to " + std::to_string(kMaxFilename) + " bytes long");
    }
    const std::size_t slash = attachment.contentType.find('/');
    if (slash == std::string::npos || !isToken(std::string_view(attachment.contentType).substr(0, slash)) ||
        !isToken(std::string_view(attachment.contentType).substr(slash + 1))) {
        throw InputError(what + " (" + attachment.filename + "): content type \"" + attachment.contentType +
                         "\" is not type/subtype");
    }
    const bool plainName = isAscii(attachment.filename) &&
                           attachment.filename.find_first_of("\"\\") == std::string::npos;
    std::string part = "Content-Type: " + attachment.contentType;
    std::string disposition = "Content-Disposition: attachment; ";
    if (plainName) {
        part += "; name=\"" + attachment.filename + "\"";
        disposition += "filename=\"" + attachment.filename + "\"";
    } else {
        // RFC 2231: filename*=UTF-8''percent-encoded.
        static constexpr char kHex[] = "0123456789ABCDEF";
        disposition += "filename*=UTF-8''";
        for (const char c : attachment.filename) {
            const auto u = static_cast<unsigned char>(c);
            if (isAlnum(c) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos) {
                disposition += c;
            } else {
                disposition += '%';
                disposition += kHex[u >> 4];
                disposition += kHex[u & 0x0Fu];
            }
        }
    }
    return part + "\r\n" + disposition + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           encodeBase64Lines(attachment.bytes);
}

std::string multipart(std::string_view boundary, const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) {
        out += "--";
        out += boundary;
        out += "\r\n";
        out += part;
    }
    out += "--";
    out += boundary;
    out += "--\r\n";
    return out;
}

}  // namespace

MessageComposer::MessageComposer(std::string domain) : _domain(std::move(domain)) {
    if (!isHostName(_domain)) {
        throw InputError("message id domain \"" + _domain + "\" is not a host name (expected e.g. duly.example.org)");
    }
}

std::string MessageComposer::messageIdFor(std::string_view caseReference, std::string_view documentId,
                                          std::string_view domain) {
    checkIdPart("case reference", caseReference, kMaxCaseReference);
    checkIdPart("document id", documentId, kMaxDocumentId);
    if (!isHostName(domain)) {
        throw InputError("message id domain \"" + std::string(domain) + "\" is not a host name");
    }
    return "<" + std::string(caseReference) + "." + std::string(documentId) + "@" + std::string(domain) + ">";
}

ComposedMessage MessageComposer::compose(const OutgoingMessage& message, engine::Instant date) const {
    ComposedMessage composed;
    composed.messageId = messageIdFor(message.caseReference, message.documentId, _domain);
    // The boundaries carry the Message-ID's left part, so they are as
    // deterministic as it; a long one is cut and finished with a hash of the
    // whole so two documents never share a boundary. (A boundary starting
    // "=_" cannot occur in quoted-printable or base64 text.)
    std::string idPart = message.caseReference + "." + message.documentId;
    if (idPart.size() > kMaxBoundaryId) {
        std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
        for (unsigned char ch : idPart) h = (h ^ ch) * 1099511628211ULL;
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
        idPart = idPart.substr(0, kMaxBoundaryId - 17) + "." + hex;
    }

    std::string headers;
    headers += "Date: " + formatRfc5322Date(date) + "\r\n";
    headers += "From: " + mailbox("From", message.from, 6) + "\r\n";
    composed.envelopeFrom = message.from.address;

    if (message.to.empty()) throw InputError("header To: no recipient; expected at least one address");
    headers += "To: ";
    for (std::size_t i = 0; i < message.to.size(); ++i) {
        if (i > 0) headers += ",\r\n ";
        headers += mailbox("To", message.to[i], i == 0 ? 4 : 1);
        composed.recipients.push_back(message.to[i].address);
    }
    headers += "\r\n";

    checkHeaderText("Subject", message.subject);
    checkLength("Subject", message.subject, kMaxSubject);
    const std::string tag = "[" + message.caseReference + "]";
    const bool tagged = !message.tagSubject || message.subject.find(tag) != std::string::npos;
    if (isAscii(message.subject) && message.subject.find("=?") == std::string::npos) {
        const std::string text = message.subject.empty() && message.tagSubject ? tag
                                 : tagged                                     ? message.subject
                                                                              : message.subject + " " + tag;
        headers += "Subject: " + foldAscii(text, 9) + "\r\n";
    } else {
        headers += "Subject: " + encodeHeaderWords(message.subject, 9) + (tagged ? "" : "\r\n " + tag) + "\r\n";
    }

    headers += "Message-ID: " + composed.messageId + "\r\n";
    // Threading is a courtesy to the customer's mail program: an id that
    // cannot be written (no "@", not ASCII, too long) is left out, never a
    // reason to send nothing. References keeps the last ids that can.
    if (writableMessageIdRef(message.inReplyTo)) headers += "In-Reply-To: " + message.inReplyTo + "\r\n";
    std::vector<std::string_view> references;
    for (auto it = message.references.rbegin(); it != message.references.rend() && references.size() < kMaxReferences; ++it)
        if (writableMessageIdRef(*it)) references.push_back(*it);
    if (!references.empty()) {
        headers += "References: ";
        for (std::size_t i = references.size(); i-- > 0;) {
            headers += references[i];
            headers += i > 0 ? "\r\n " : "";
        }
        headers += "\r\n";
    }
    if (message.autoSubmitted == AutoSubmitted::AutoReplied) headers += "Auto-Submitted: auto-replied\r\n";
    if (message.autoSubmitted == AutoSubmitted::AutoGenerated) headers += "Auto-Submitted: auto-generated\r\n";
    headers += "X-Auto-Response-Suppress: All\r\n";

    checkHeaderText("X-Duly-Loop", message.loopMarker);
    checkLength("X-Duly-Loop", message.loopMarker, 200);
    if (message.loopMarker.empty() || !isAscii(message.loopMarker)) {
        throw InputError("header X-Duly-Loop: expected a non-empty ASCII loop marker");
    }
    headers += "X-Duly-Loop: " + message.loopMarker + "\r\n";
    headers += "MIME-Version: 1.0\r\n";

    // The body: text alone, or text and HTML as alternatives; attachments
    // wrap either in multipart/mixed.
    // The parts are built one statement at a time: an exception thrown while
    // a braced list of temporaries is half built is mishandled by g++ 12.
    std::string content;
    if (message.htmlBody.empty()) {
        content = textPart("text body", "text/plain", message.textBody);
    } else {
        std::vector<std::string> alternatives;
        alternatives.push_back(textPart("text body", "text/plain", message.textBody));
        alternatives.push_back(textPart("HTML body", "text/html", message.htmlBody));
        content = "Content-Type: multipart/alternative; boundary=\"=_duly_alt_" + idPart + "\"\r\n\r\n" +
                  multipart("=_duly_alt_" + idPart, alternatives);
    }
    if (!message.attachments.empty()) {
        std::vector<std::string> parts{std::move(content)};
        for (std::size_t i = 0; i < message.attachments.size(); ++i) {
            parts.push_back(attachmentPart(i + 1, message.attachments[i]));
        }
        content = "Content-Type: multipart/mixed; boundary=\"=_duly_mix_" + idPart + "\"\r\n\r\n" +
                  multipart("=_duly_mix_" + idPart, parts);
    }
    composed.bytes = headers + content;
    return composed;
}

}  // namespace duly::mail
