// Charset: ICU converters to UTF-8. See Charset.h. Converters are opened per
// call (ICU caches the tables); a conversion substitutes U+FFFD for bytes the
// charset cannot map, and for U+0000, so nothing here throws and the text
// never holds a NUL byte.
#include "duly/mail/Charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

namespace duly::mail {
namespace {

struct ConverterCloser {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

std::string lowerTrim(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '"' || c == '\'') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// The label ICU is asked for.
std::string widen(std::string_view charset) {
    const std::string l = lowerTrim(charset);
    if (l.empty() || l == "us-ascii" || l == "ascii" || l == "iso-8859-1" || l == "iso8859-1" || l == "latin1" ||
        l == "iso_8859-1" || l == "latin-1")
        return "windows-1252";
    if (l == "gb2312" || l == "gbk" || l == "x-gbk" || l == "cp936" || l == "euc-cn") return "gb18030";
    if (l == "big5" || l == "x-x-big5" || l == "cn-big5" || l == "big-5") return "Big5-HKSCS";
    if (l == "utf8") return "utf-8";
    if (l == "ks_c_5601-1987") return "windows-949";  // what Outlook means by it
    return l;
}

Converter open(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    Converter c(ucnv_open(name.c_str(), &status));
    if (U_FAILURE(status)) return nullptr;
    return c;
}

std::string convert(UConverter* conv, std::string_view bytes) {
    // Bytes → UTF-16 in chunks (bounded buffers), then UTF-16 → UTF-8.
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    std::vector<UChar> buffer(8192);
    const char* source = bytes.data();
    const char* const sourceEnd = bytes.data() + bytes.size();
    std::vector<char> utf8(buffer.size() * 3 + 4);
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        UChar* target = buffer.data();
        ucnv_toUnicode(conv, &target, buffer.data() + buffer.size(), &source, sourceEnd, nullptr, true, &status);
        const auto produced = static_cast<int32_t>(target - buffer.data());
        // U+0000 is no letter's text, and PostgreSQL's text cannot hold it
        // (the store refuses it): it becomes U+FFFD here, at the one door
        // every decoded body, subject and name goes through.
        std::replace(buffer.data(), target, UChar{0}, UChar{0xFFFD});
        if (produced > 0) {
            UErrorCode s2 = U_ZERO_ERROR;
            int32_t written = 0;
            u_strToUTF8WithSub(utf8.data(), static_cast<int32_t>(utf8.size()), &written, buffer.data(), produced,
                               0xFFFD, nullptr, &s2);
            if (U_SUCCESS(s2)) out.append(utf8.data(), static_cast<std::size_t>(written));
        }
        if (status == U_BUFFER_OVERFLOW_ERROR) continue;
        break;  // done, or an error the substitution callback could not absorb
    }
    return out;
}

}  // namespace

bool knownCharset(std::string_view charset) { return open(widen(charset)) != nullptr; }

DecodedText decodeCharset(std::string_view bytes, std::string_view charset) {
    DecodedText result;
    const std::string name = widen(charset);
    Converter conv = open(name);
    if (!conv) {
        conv = open("windows-1252");
        std::string shown(charset.substr(0, 40));
        for (char& c : shown)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
        result.note = "charset \"" + shown + "\" is unknown; read as windows-1252";
    }
    if (!conv) return result;  // ICU without data: nothing sensible to do
    // Unmappable or malformed input becomes U+FFFD rather than an error.
    UErrorCode status = U_ZERO_ERROR;
    ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &status);
    result.utf8 = convert(conv.get(), bytes);
    return result;
}

}  // namespace duly::mail
