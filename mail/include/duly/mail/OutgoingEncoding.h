// OutgoingEncoding: the encodings MessageComposer writes — quoted-printable
// and base64 bodies (RFC 2045), RFC 2047 encoded words for header text,
// the RFC 5322 date. Pure functions over bytes; exposed for their tests.
#pragma once

#include "duly/engine/Time.h"

#include <string>
#include <string_view>

namespace duly::mail {

// Quoted-printable of `text` whose line ends are CRLF: output lines are at
// most 76 octets, trailing spaces and tabs are encoded, CRLF stays a hard
// line break.
std::string encodeQuotedPrintable(std::string_view text);

// Base64 in lines of 76 characters, each ended by CRLF.
std::string encodeBase64Lines(std::string_view bytes);

// `text` as RFC 2047 "B" encoded words (=?UTF-8?B?...?=), each at most 75
// characters and never splitting a UTF-8 sequence; words are joined by
// CRLF SP (a header fold). `firstLineUsed` is how many characters of the
// first line the header name already takes.
std::string encodeHeaderWords(std::string_view text, std::size_t firstLineUsed);

// True when `text` is valid UTF-8 (no overlong forms, no surrogates).
bool isValidUtf8(std::string_view text);

// "Mon, 23 Nov 2026 09:30:00 +0000".
std::string formatRfc5322Date(engine::Instant instant);

// Any line ending (CRLF, LF or a lone CR) turned into CRLF.
std::string normalizeLineEnds(std::string_view text);

}  // namespace duly::mail
