// TextDecoding: see TextDecoding.h. UTF-8 is checked with ICU's U8_NEXT
// (which refuses overlong forms, surrogates and values past U+10FFFF); the
// Windows-1252 table is ICU's. ICU maps the five bytes Windows-1252 leaves
// undefined to the C1 controls U+0081…U+009D, so those are looked for in
// its output and refused: no name in a letter is ever a control character.
#include "duly/engine/TextDecoding.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

namespace duly::engine {
namespace {

std::string hexByte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

// Line numbers for byte offsets, counted as the CSV reader counts them.
class LineCounter {
public:
    explicit LineCounter(std::string_view text) : _text(text) {}
    std::size_t lineAt(std::size_t offset) {
        for (; _pos < offset && _pos < _text.size(); ++_pos) {
            if (_text[_pos] == '\n') ++_line;
            else if (_text[_pos] == '\r' && (_pos + 1 >= _text.size() || _text[_pos + 1] != '\n')) ++_line;
        }
        return _line;
    }

private:
    std::string_view _text;
    std::size_t _pos = 0;
    std::size_t _line = 1;
};

struct ConverterCloser {
    void operator()(UConverter* c) const { ucnv_close(c); }
};

}  // namespace

std::string_view textEncodingName(TextEncoding encoding) {
    switch (encoding) {
    case TextEncoding::Utf8: return "UTF-8";
    case TextEncoding::Utf8WithBom: return "UTF-8 with a byte order mark";
    case TextEncoding::Windows1252: return "Windows-1252";
    }
    return "UTF-8";
}

DecodedText decodeText(std::string_view bytes) {
    DecodedText out;
    if (bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4) || bytes.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) {
        out.errorLine = 1;
        out.error = "the file is UTF-32 (expected UTF-8; in Excel, save as \"CSV UTF-8\")";
        return out;
    }
    if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
        out.errorLine = 1;
        out.error = "the file is UTF-16 (expected UTF-8; in Excel, save as \"CSV UTF-8\")";
        return out;
    }
    const bool bom = bytes.substr(0, 3) == "\xEF\xBB\xBF";
    if (bom) bytes.remove_prefix(3);
    LineCounter lines(bytes);
    if (auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        out.errorLine = lines.lineAt(nul);
        out.error = "a NUL byte (expected text; is this a spreadsheet's own file rather than CSV?)";
        return out;
    }

    // UTF-8? Note the first ill-formed byte and the first well-formed
    // character beyond ASCII.
    std::size_t firstBad = std::string_view::npos, firstWide = std::string_view::npos;
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    if (bytes.size() >= static_cast<std::size_t>(INT32_MAX)) {
        out.errorLine = 1;
        out.error = "the file is larger than 2 GiB";
        return out;
    }
    const auto length = static_cast<int32_t>(bytes.size());
    for (int32_t i = 0; i < length;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) {
            if (firstBad == std::string_view::npos) firstBad = static_cast<std::size_t>(start);
        } else if (c >= 0x80 && firstWide == std::string_view::npos) {
            firstWide = static_cast<std::size_t>(start);
        }
        if (firstBad != std::string_view::npos && firstWide != std::string_view::npos) break;
    }
    if (firstBad == std::string_view::npos) {
        out.encoding = bom ? TextEncoding::Utf8WithBom : TextEncoding::Utf8;
        out.text = std::string(bytes);
        return out;
    }
    const unsigned char badByte = static_cast<unsigned char>(bytes[firstBad]);
    if (bom) {
        out.errorLine = lines.lineAt(firstBad);
        out.error = "byte " + hexByte(badByte) +
                    " is not UTF-8, though the file starts with UTF-8's byte order mark (expected UTF-8 throughout)";
        return out;
    }
    if (firstWide != std::string_view::npos) {
        // Counted in order: the smaller offset first, so the counter only moves forward.
        const std::size_t a = std::min(firstBad, firstWide), b = std::max(firstBad, firstWide);
        const std::size_t lineA = lines.lineAt(a), lineB = lines.lineAt(b);
        const std::size_t badLine = firstBad == a ? lineA : lineB, wideLine = firstBad == a ? lineB : lineA;
        out.errorLine = badLine;
        out.error = "byte " + hexByte(badByte) + " is not UTF-8, but line " + std::to_string(wideLine) +
                    " is UTF-8 (expected one encoding for the whole file, UTF-8 or Windows-1252)";
        return out;
    }

    // Windows-1252, with ICU's table.
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterCloser> conv(ucnv_open("windows-1252", &status));
    if (U_FAILURE(status)) {
        out.errorLine = lines.lineAt(firstBad);
        out.error = "byte " + hexByte(badByte) +
                    " is not UTF-8, and ICU has no Windows-1252 table to read it with";
        return out;
    }
    ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::vector<UChar> wide(bytes.size() + 1);
    status = U_ZERO_ERROR;
    const int32_t n = ucnv_toUChars(conv.get(), wide.data(), static_cast<int32_t>(wide.size()), bytes.data(), length, &status);
    // One UTF-16 unit per byte: every Windows-1252 character is in the BMP.
    if (U_FAILURE(status) || n != length) {
        out.errorLine = lines.lineAt(firstBad);
        out.error = "byte " + hexByte(badByte) + " is neither UTF-8 nor Windows-1252";
        return out;
    }
    for (int32_t i = 0; i < n; ++i) {
        if (wide[i] >= 0x80 && wide[i] <= 0x9F) {
            out.errorLine = lines.lineAt(static_cast<std::size_t>(i));
            out.error = "byte " +
                        hexByte(static_cast<unsigned char>(bytes[i])) + " is neither UTF-8 nor Windows-1252";
            return out;
        }
    }
    icu::UnicodeString(wide.data(), n).toUTF8String(out.text);
    out.encoding = TextEncoding::Windows1252;
    out.firstConvertedLine = lines.lineAt(firstBad);
    return out;
}

bool hasVisibleCharacter(std::string_view text) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1))
        if (u_isgraph(u.char32At(i))) return true;
    return false;
}

}  // namespace duly::engine
