// MimeParser: an inbound message's bytes → what Duly needs from it: the
// decoded headers (From, Subject, Message-ID, In-Reply-To, References,
// Date), the text body (plain text preferred; HTML converted to text), the
// attachments with safe names, and every header as written for the loop
// rules (AutomaticMessage.h).
//
// It reads RFC 5322 headers with folding, RFC 2047 encoded words, RFC 2231
// parameters, multipart (alternative, mixed, related, report, and any other
// as mixed) nested up to a bounded depth, base64 and quoted-printable, and
// converts charsets through ICU (Charset.h).
//
// Bounded: MimeLimits caps the message size, the header's size, field count
// and field length, the number of parts and the nesting depth. Only the top
// header can make a message unreadable; a broken part deeper down is read
// as well as it can be and noted. A message that cannot be read is an error
// value with a message naming the line or part and what was wrong — the
// parser never throws for any input (std::bad_alloc aside), and what it did
// read before the error (From, Subject…) is still returned so the message
// can be quarantined with a case for triage.
//
// Bytes may be fed in pieces of any size (a network read, one byte at a
// time); the result is the same as feeding the whole message at once, and
// a size or header error is known as soon as the bytes showing it arrive.
#pragma once

#include "duly/engine/Time.h"
#include "duly/mail/HeaderValues.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duly::mail {

struct MimeLimits {
    std::size_t maxMessageBytes = 64u * 1024u * 1024u;
    std::size_t maxHeaderBytes = 256u * 1024u;  // the top header, folded lines included
    std::size_t maxHeaderFields = 1000;         // in any one header
    std::size_t maxFieldBytes = 64u * 1024u;    // one field, unfolded
    std::size_t maxParts = 1000;                // in the whole message
    std::size_t maxDepth = 10;                  // multiparts inside multiparts
    std::size_t maxTextBytes = 1024u * 1024u;   // extracted text kept (the rest is noted)
};

struct MimeHeader {
    std::string name;   // as written ("Subject")
    std::string value;  // unfolded, not decoded, leading white space removed
};

class MimeHeaders {
public:
    void add(MimeHeader header) { _all.push_back(std::move(header)); }
    const std::vector<MimeHeader>& all() const { return _all; }
    // The first field with this name (any case), or nullptr.
    const std::string* find(std::string_view name) const;
    bool has(std::string_view name) const { return find(name) != nullptr; }

private:
    std::vector<MimeHeader> _all;
};

struct MimeAttachment {
    std::string fileName;     // sanitised (AttachmentName.h), unique within the message
    std::string contentType;  // lower case, "application/pdf"
    std::string bytes;        // decoded
    std::string part;         // where it was: "2", "1.3"
    bool inlinePart = false;  // Content-Disposition: inline (a picture in the text)
};

struct MimeMessage {
    MimeHeaders headers;  // the top header, every field in order
    ParsedMailbox from;
    std::string subject;  // decoded, UTF-8
    std::string messageId;                  // "<…>" or empty
    std::vector<std::string> inReplyTo;     // "<…>" each
    std::vector<std::string> references;
    std::optional<engine::Instant> date;
    std::string contentType;                // of the whole message, lower case
    std::string text;                       // the body as UTF-8 text, lines ending "\n"
    std::string textFrom;                   // "text/plain", "text/html", or "" (no text)
    std::vector<MimeAttachment> attachments;
    // multipart/report: its report-type ("delivery-status") and the Message-ID
    // of the message reported on, when the report includes its header.
    std::string reportType;
    std::string reportedMessageId;
    // Things read leniently, for the case history ("part 2: charset \"x\" is unknown; …").
    std::vector<std::string> notes;
};

struct MimeResult {
    MimeMessage message;               // what could be read (everything, when there is no error)
    std::optional<std::string> error;  // why the message cannot be read
    bool ok() const { return !error; }
};

class MimeParser {
public:
    explicit MimeParser(MimeLimits limits = {});

    // Adds bytes. Returns false once the message is known to be unreadable
    // (later bytes are ignored); finish() says why.
    bool feed(std::string_view bytes);

    // Parses what was fed. Call once.
    MimeResult finish();

private:
    bool scanHeaderLines(bool atEnd);

    MimeLimits _limits;
    std::string _buffer;
    std::optional<std::string> _error;
    // The top header, scanned as lines arrive.
    std::size_t _scanned = 0;      // bytes of _buffer looked at (complete lines)
    std::size_t _searched = 0;     // bytes searched for a line end without finding one
    std::size_t _goodHeaderBytes = 0;  // the lines before the one in error
    std::size_t _line = 0;         // lines seen
    std::size_t _fields = 0;
    std::size_t _fieldBytes = 0;   // of the field being unfolded
    std::string _fieldName;
    std::size_t _headerEnd = std::string::npos;  // where the body starts
    bool _overSize = false;
};

// The whole message at once.
MimeResult parseMime(std::string_view raw, const MimeLimits& limits = {});

}  // namespace duly::mail
