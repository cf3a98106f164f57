// HeaderValues: the structured inbound header values Duly reads — a
// Content-Type or Content-Disposition with its parameters (RFC 2045 quoting,
// RFC 2231 continuations and charset'language'value, and the RFC 2047 words
// some clients put in quoted file names), a mailbox address, lists of
// Message-IDs, and an RFC 5322 date. Lenient like mail clients; nothing
// throws: what cannot be read comes back empty.
#pragma once

#include "duly/engine/Time.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duly::mail {

struct HeaderParameters {
    std::string value;                          // "text/plain", "attachment": lower case
    std::map<std::string, std::string> params;  // names lower case; values UTF-8
    std::string note;                           // a charset note from a parameter, if any
};

// "multipart/mixed; boundary=\"x\"" → {"multipart/mixed", {boundary: x}}.
HeaderParameters parseParameters(std::string_view header);

struct ParsedMailbox {
    std::string name;     // display name, RFC 2047 decoded
    std::string address;  // bare address, as written
};

// The first mailbox of an address header: "Name <a@b>", "a@b (Name)",
// "\"Last, First\" <a@b>", a group "g: a@b;". Raw 8-bit bytes in the name
// are read in `fallbackCharset`.
ParsedMailbox parseMailbox(std::string_view header, std::string_view fallbackCharset = "windows-1252");

// Every "<…>" in a Message-ID, In-Reply-To or References header, in order
// (at most `limit`).
std::vector<std::string> parseMessageIds(std::string_view header, std::size_t limit = 100);

// "Mon, 23 Nov 2026 10:05:00 +0000" (day name optional, seconds optional,
// obsolete zones GMT, UT, EST…; two-digit years as RFC 5322 says).
std::optional<engine::Instant> parseMailDate(std::string_view header);

}  // namespace duly::mail
