// TransferEncoding: the inbound Content-Transfer-Encodings (base64,
// quoted-printable) and the RFC 2047 encoded words in header values.
// Decoding is lenient the way mail clients are: characters outside the
// base64 alphabet are skipped, a malformed "=XY" in quoted-printable is kept
// as written. Nothing here throws; output is never larger than the input.
#pragma once

#include <string>
#include <string_view>

namespace duly::mail {

std::string decodeBase64(std::string_view text);

// `headerQ`: RFC 2047 "Q" rules (underscore is a space).
std::string decodeQuotedPrintable(std::string_view text, bool headerQ = false);

// A header value with its RFC 2047 encoded words (=?charset?B|Q?text?=,
// charset optionally with *language) decoded into UTF-8; whitespace between
// adjacent encoded words is dropped, and adjacent words in one charset are
// joined before conversion so a character split across words survives.
// Text outside encoded words is read as UTF-8 when valid, else as
// `fallbackCharset` (raw 8-bit headers; a sender's charset is often the
// body's). `note` receives a charset note, if any.
std::string decodeHeaderText(std::string_view value, std::string* note = nullptr,
                             std::string_view fallbackCharset = "windows-1252");

}  // namespace duly::mail
