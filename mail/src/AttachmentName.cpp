// AttachmentName: see AttachmentName.h. Works on code points (ICU's UTF-8
// macros), so a multi-byte character is never cut in half.
#include "duly/mail/AttachmentName.h"

#include "AsciiText.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace duly::mail {
namespace {

using ascii::lower;


// The code points of a UTF-8 string, invalid bytes as U+FFFD.
std::u32string codePoints(std::string_view s) {
    std::u32string out;
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto n = static_cast<std::int32_t>(std::min<std::size_t>(s.size(), 4096));
    std::int32_t i = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        out += static_cast<char32_t>(c < 0 ? 0xFFFD : c);
    }
    return out;
}

std::string utf8(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
        char buf[4];
        std::int32_t n = 0;
        UBool error = false;
        U8_APPEND(reinterpret_cast<std::uint8_t*>(buf), n, 4, static_cast<UChar32>(c), error);
        if (!error) out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::size_t utf8Length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

// Windows reserves these names whatever follows the first dot ("nul.tar.gz").
bool reservedDeviceName(std::string stem) {
    stem = lower(stem.substr(0, stem.find('.')));
    while (!stem.empty() && (stem.back() == ' ' || stem.back() == '.')) stem.pop_back();
    if (stem == "con" || stem == "prn" || stem == "aux" || stem == "nul" || stem == "conin$" || stem == "conout$")
        return true;
    if (stem.size() == 4 && (stem.starts_with("com") || stem.starts_with("lpt")) && stem[3] >= '0' && stem[3] <= '9')
        return true;
    return false;
}

}  // namespace

std::string extensionForType(std::string_view contentType) {
    const std::string t = lower(contentType);
    if (t == "application/pdf") return ".pdf";
    if (t == "image/jpeg" || t == "image/jpg" || t == "image/pjpeg") return ".jpg";
    if (t == "image/tiff") return ".tif";
    if (t == "image/png") return ".png";
    if (t == "image/gif") return ".gif";
    if (t == "text/plain") return ".txt";
    if (t == "text/html") return ".html";
    if (t == "message/rfc822") return ".eml";
    if (t == "message/delivery-status") return ".txt";
    if (t == "text/rfc822-headers") return ".txt";
    return ".bin";
}

std::string sanitiseAttachmentName(std::string_view name, std::string_view contentType) {
    std::u32string s = codePoints(name);
    // Only the last path component: senders' paths mean nothing here.
    if (auto slash = s.find_last_of(U"/\\"); slash != std::u32string::npos) s = s.substr(slash + 1);
    std::u32string clean;
    for (char32_t c : s) {
        const auto type = u_charType(static_cast<UChar32>(c));
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || type == U_FORMAT_CHAR || type == U_UNASSIGNED ||
            type == U_SURROGATE || type == U_PRIVATE_USE_CHAR || c == 0xFFFD) {
            continue;  // invisible or meaningless in a name
        }
        if (c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|') {
            clean += U'_';
        } else if (type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR || type == U_SPACE_SEPARATOR) {
            clean += U' ';
        } else {
            clean += c;
        }
    }
    // No leading dots or spaces (hidden files, "..") and no trailing ones (Windows drops them).
    clean.erase(0, std::min(clean.size(), clean.find_first_not_of(U". ")));
    while (!clean.empty() && (clean.back() == U'.' || clean.back() == U' ')) clean.pop_back();
    // Runs of spaces become one.
    std::u32string collapsed;
    for (char32_t c : clean)
        if (!(c == U' ' && !collapsed.empty() && collapsed.back() == U' ')) collapsed += c;
    clean = collapsed;

    std::u32string stem = clean, ext;
    if (auto dot = clean.rfind(U'.'); dot != std::u32string::npos && dot > 0 && clean.size() - dot <= 17) {
        stem = clean.substr(0, dot);
        ext = clean.substr(dot);
    }
    while (!stem.empty() && (stem.back() == U'.' || stem.back() == U' ')) stem.pop_back();
    if (stem.empty()) {
        stem = U"attachment";
        if (ext.empty()) ext = codePoints(extensionForType(contentType));
    }
    if (reservedDeviceName(utf8(stem))) stem = U"_" + stem;
    // Bound the length in bytes, cutting the stem and keeping the extension.
    std::size_t extBytes = 0;
    for (char32_t c : ext) extBytes += utf8Length(c);
    std::size_t budget = kMaxAttachmentNameBytes - extBytes, used = 0, keep = 0;
    for (; keep < stem.size(); ++keep) {
        if (used + utf8Length(stem[keep]) > budget) break;
        used += utf8Length(stem[keep]);
    }
    stem.resize(keep);
    while (!stem.empty() && (stem.back() == U'.' || stem.back() == U' ')) stem.pop_back();
    return utf8(stem + ext);
}

}  // namespace duly::mail
