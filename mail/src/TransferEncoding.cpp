// TransferEncoding: lenient base64, quoted-printable and RFC 2047 decoding.
// See TransferEncoding.h. Pure functions; nothing throws.
#include "duly/mail/TransferEncoding.h"

#include "AsciiText.h"

#include "duly/mail/Charset.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace duly::mail {
namespace {

constexpr std::array<std::int8_t, 256> makeBase64Table() {
    std::array<std::int8_t, 256> t{};
    for (auto& v : t) v = -1;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    t[static_cast<unsigned char>('-')] = 62;  // the URL-safe alphabet, seen from some webmail
    t[static_cast<unsigned char>('_')] = 63;
    return t;
}
constexpr auto kBase64 = makeBase64Table();

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool validUtf8(std::string_view s) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto n = static_cast<std::int32_t>(s.size());
    std::int32_t i = 0;
    while (i < n) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        if (c < 0) return false;
    }
    return true;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// One encoded word at `pos` ("=?cs?E?text?="): its charset, decoded bytes and
// length; nullopt-like (len 0) when what is there is not an encoded word.
struct Word {
    std::size_t length = 0;
    std::string charset;
    std::string bytes;
};

// `closes` and `spaces` hold every position of "?=" and of white space in
// v, in order, so that no attempt rescans the value (n log n for any input).
Word encodedWordAt(std::string_view v, std::size_t pos, const std::vector<std::size_t>& closes,
                   const std::vector<std::size_t>& spaces) {
    Word w;
    if (v.compare(pos, 2, "=?") != 0) return w;
    const std::size_t q1 = v.substr(0, std::min(v.size(), pos + 2 + 66)).find('?', pos + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= v.size() || v[q1 + 2] != '?') return w;
    const char enc = v[q1 + 1];
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return w;
    const auto close = std::lower_bound(closes.begin(), closes.end(), q1 + 3);
    if (close == closes.end()) return w;
    const std::size_t end = *close;
    std::string_view charset = v.substr(pos + 2, q1 - pos - 2);
    if (charset.empty() || charset.size() > 64) return w;
    for (char c : charset)
        if (isSpace(c)) return w;
    if (auto star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);  // RFC 2231 language
    // An encoded word has no white space inside.
    if (auto space = std::lower_bound(spaces.begin(), spaces.end(), q1 + 3); space != spaces.end() && *space < end)
        return w;
    const std::string_view text = v.substr(q1 + 3, end - q1 - 3);
    w.charset = std::string(charset);
    w.bytes = (enc == 'B' || enc == 'b') ? decodeBase64(text) : decodeQuotedPrintable(text, true);
    w.length = end + 2 - pos;
    return w;
}

using ascii::lower;

}  // namespace

std::string decodeBase64(std::string_view text) {
    std::string out;
    out.reserve(text.size() / 4 * 3 + 3);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char ch : text) {
        if (ch == '=') break;  // padding: the data is over
        const int v = kBase64[static_cast<unsigned char>(ch)];
        if (v < 0) continue;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFFu);
        }
    }
    return out;
}

std::string decodeQuotedPrintable(std::string_view text, bool headerQ) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (headerQ && c == '_') {
            out += ' ';
        } else if (c == '=') {
            // Soft line break: "=" then optional trailing white space then a line end.
            std::size_t j = i + 1;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
            if (j < text.size() && (text[j] == '\r' || text[j] == '\n')) {
                if (text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') ++j;
                i = j;
                continue;
            }
            if (j == text.size() && !headerQ) {  // "=" at the very end: a soft break
                i = j;
                continue;
            }
            const int hi = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
            const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
            } else {
                out += '=';  // not an escape: kept as written
            }
        } else if (!headerQ && (c == ' ' || c == '\t')) {
            // Trailing white space on a line was added in transport: drop it.
            std::size_t j = i;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
            if (j < text.size() && (text[j] == '\r' || text[j] == '\n')) {
                i = j - 1;
                continue;
            }
            out.append(text.substr(i, j - i));
            i = j - 1;
        } else {
            out += c;
        }
    }
    return out;
}

std::string decodeHeaderText(std::string_view v, std::string* note, std::string_view fallbackCharset) {
    std::string out;
    out.reserve(v.size());
    std::string pendingCharset, pendingBytes;
    auto flush = [&] {
        if (pendingCharset.empty() && pendingBytes.empty()) return;
        DecodedText d = decodeCharset(pendingBytes, pendingCharset);
        if (note && !d.note.empty() && note->empty()) *note = d.note;
        out += d.utf8;
        pendingCharset.clear();
        pendingBytes.clear();
    };
    auto plain = [&](std::string_view s) {
        if (validUtf8(s)) {
            // A raw NUL byte becomes U+FFFD, as decodeCharset does.
            for (char c : s) {
                if (c == '\0')
                    out += "\xEF\xBF\xBD";
                else
                    out += c;
            }
        } else {
            out += decodeCharset(s, fallbackCharset).utf8;
        }
    };
    std::vector<std::size_t> closes;
    std::vector<std::size_t> spaces;
    for (std::size_t p = v.find("?="); p != std::string_view::npos; p = v.find("?=", p + 1)) closes.push_back(p);
    if (!closes.empty())
        for (std::size_t p = 0; p < v.size(); ++p)
            if (isSpace(v[p])) spaces.push_back(p);
    std::size_t i = 0, textStart = 0;
    bool afterWord = false;
    while (i < v.size()) {
        if (v[i] == '=' && i + 1 < v.size() && v[i + 1] == '?') {
            Word w = encodedWordAt(v, i, closes, spaces);
            if (w.length) {
                const std::string_view between = v.substr(textStart, i - textStart);
                bool onlySpace = true;
                for (char c : between)
                    if (!isSpace(c)) onlySpace = false;
                if (!(afterWord && onlySpace)) {
                    flush();
                    plain(between);
                }
                if (!pendingCharset.empty() && lower(pendingCharset) != lower(w.charset)) flush();
                pendingCharset = w.charset;
                pendingBytes += w.bytes;
                i += w.length;
                textStart = i;
                afterWord = true;
                continue;
            }
        }
        ++i;
    }
    flush();
    plain(v.substr(textStart));
    return out;
}

}  // namespace duly::mail
