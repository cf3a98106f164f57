// Charset: bytes in a MIME charset → UTF-8, through ICU converters, for
// inbound mail. Every charset ICU knows is accepted under its MIME name or
// an alias (UTF-8, ISO-8859-1, windows-1252, Big5, Big5-HKSCS, GB18030,
// Shift_JIS, ISO-2022-JP, KOI8-R, …). Labels that senders routinely misuse
// are widened to the superset mail clients use (us-ascii and ISO-8859-1 to
// windows-1252, GB2312 and GBK to GB18030, Big5 to Big5-HKSCS).
// It never fails: bytes a charset cannot map become U+FFFD, and an unknown
// charset is read as windows-1252 with a note saying so, so the result is
// always valid UTF-8. A NUL (U+0000, from =00 or a NUL byte) becomes U+FFFD
// too: no letter's text holds one, and the store refuses text that does.
#pragma once

#include <string>
#include <string_view>

namespace duly::mail {

struct DecodedText {
    std::string utf8;
    std::string note;  // non-empty when the charset was unknown: what was done instead
};

// `charset` is the label as written (any case, quotes already removed);
// empty means us-ascii (read as windows-1252, which covers it).
DecodedText decodeCharset(std::string_view bytes, std::string_view charset);

// True when ICU has a converter for the label (after widening).
bool knownCharset(std::string_view charset);

}  // namespace duly::mail
