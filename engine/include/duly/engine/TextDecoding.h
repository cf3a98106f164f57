// TextDecoding: the bytes of a text file a person saved (a spreadsheet's CSV)
// as UTF-8. UTF-8, with or without a byte order mark, is taken as it is; a
// file that is not UTF-8 is read as Windows-1252 (what Excel writes for
// "CSV (Comma delimited)") when every byte means a character there; anything
// else is refused with the line and the byte, never patched with U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace duly::engine {

enum class TextEncoding { Utf8, Utf8WithBom, Windows1252 };
std::string_view textEncodingName(TextEncoding encoding);  // "UTF-8", "UTF-8 with a byte order mark", "Windows-1252"

struct DecodedText {
    std::string text;  // UTF-8 without a byte order mark; empty when refused
    TextEncoding encoding = TextEncoding::Utf8;
    std::size_t firstConvertedLine = 0;  // Windows-1252: the first line with a character beyond ASCII
    std::string error;  // "byte 0x81 is neither UTF-8 nor Windows-1252"; empty when read
    std::size_t errorLine = 0;  // the line the error is on
};

// Lines are counted from 1 and end at LF, CRLF or a lone CR. Refused: a
// UTF-16 or UTF-32 byte order mark, a NUL byte, bytes that are not UTF-8 in a
// file that starts with the UTF-8 byte order mark or elsewhere holds UTF-8
// beyond ASCII (two encodings in one file), and Windows-1252's five
// undefined bytes (0x81 0x8D 0x8F 0x90 0x9D). Never throws for any input.
DecodedText decodeText(std::string_view bytes);

// True when UTF-8 `text` has a character that shows: not only spaces,
// controls, format characters such as bidi marks, or unassigned code points
// (a name made of those would leave a letter's greeting empty).
bool hasVisibleCharacter(std::string_view text);

}  // namespace duly::engine
