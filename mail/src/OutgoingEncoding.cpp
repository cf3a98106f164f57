// OutgoingEncoding: quoted-printable, base64, RFC 2047 words, UTF-8 check
// and the RFC 5322 date for outgoing messages. Pure functions over bytes;
// they do not fail (isValidUtf8 is how callers refuse bad text first).
#include "duly/mail/OutgoingEncoding.h"

#include <array>
#include <cstdio>

namespace duly::mail {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";

std::string base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        const auto c = static_cast<unsigned char>(bytes[i + 2]);
        out += kBase64[a >> 2];
        out += kBase64[((a & 0x03u) << 4) | (b >> 4)];
        out += kBase64[((b & 0x0Fu) << 2) | (c >> 6)];
        out += kBase64[c & 0x3Fu];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const auto a = static_cast<unsigned char>(bytes[i]);
        out += kBase64[a >> 2];
        out += kBase64[(a & 0x03u) << 4];
        out += "==";
    } else if (rest == 2) {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        out += kBase64[a >> 2];
        out += kBase64[((a & 0x03u) << 4) | (b >> 4)];
        out += kBase64[(b & 0x0Fu) << 2];
        out += '=';
    }
    return out;
}

bool isContinuation(unsigned char c) { return (c & 0xC0u) == 0x80u; }

}  // namespace

std::string encodeQuotedPrintable(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t lineStart = 0;
    while (lineStart <= text.size()) {
        std::size_t lineEnd = text.find("\r\n", lineStart);
        const bool hardBreak = lineEnd != std::string_view::npos;
        if (!hardBreak) lineEnd = text.size();
        std::size_t column = 0;
        for (std::size_t i = lineStart; i < lineEnd; ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            const bool whitespace = c == ' ' || c == '\t';
            const bool literal = (c >= 33 && c <= 126 && c != '=') || (whitespace && i + 1 != lineEnd);
            const std::size_t width = literal ? 1 : 3;
            // 75 leaves room for the '=' of a soft line break (76 in all).
            if (column + width > 75) {
                out += "=\r\n";
                column = 0;
            }
            if (literal) {
                out += static_cast<char>(c);
            } else {
                out += '=';
                out += kHex[c >> 4];
                out += kHex[c & 0x0Fu];
            }
            column += width;
        }
        if (!hardBreak) break;
        out += "\r\n";
        lineStart = lineEnd + 2;
    }
    return out;
}

std::string encodeBase64Lines(std::string_view bytes) {
    const std::string flat = base64(bytes);
    std::string out;
    out.reserve(flat.size() + flat.size() / 76 * 2 + 2);
    for (std::size_t i = 0; i < flat.size(); i += 76) {
        out.append(flat, i, 76);
        out += "\r\n";
    }
    return out;
}

std::string encodeHeaderWords(std::string_view text, std::size_t firstLineUsed) {
    // An encoded word is "=?UTF-8?B?" + base64 + "?=" and, with what
    // precedes it on its line, must fit in 76 characters (RFC 2047 §2).
    constexpr std::size_t kOverhead = 12;
    constexpr std::size_t kLine = 76;
    std::string out;
    std::size_t used = firstLineUsed;
    std::size_t pos = 0;
    bool first = true;
    while (pos < text.size() || first) {
        std::size_t room = used + kOverhead < kLine ? kLine - used - kOverhead : 0;
        std::size_t take = room / 4 * 3;
        if (take < 6) take = 6;  // at least two characters of any script per word
        if (take > text.size() - pos) take = text.size() - pos;
        // Never split a UTF-8 sequence between two words.
        while (pos + take < text.size() && take > 0 &&
               isContinuation(static_cast<unsigned char>(text[pos + take]))) {
            --take;
        }
        if (take == 0 && pos < text.size()) {  // a lone over-long sequence: keep it whole
            take = 1;
            while (pos + take < text.size() && isContinuation(static_cast<unsigned char>(text[pos + take]))) ++take;
        }
        if (!first) out += "\r\n ";
        out += "=?UTF-8?B?";
        out += base64(text.substr(pos, take));
        out += "?=";
        pos += take;
        used = 1;
        first = false;
    }
    return out;
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        char32_t value = 0;
        if ((c & 0xE0u) == 0xC0u) {
            length = 2;
            value = c & 0x1Fu;
        } else if ((c & 0xF0u) == 0xE0u) {
            length = 3;
            value = c & 0x0Fu;
        } else if ((c & 0xF8u) == 0xF0u) {
            length = 4;
            value = c & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto d = static_cast<unsigned char>(text[i + k]);
            if (!isContinuation(d)) return false;
            value = (value << 6) | (d & 0x3Fu);
        }
        static constexpr std::array<char32_t, 5> kMinimum{0, 0, 0x80, 0x800, 0x10000};
        if (value < kMinimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

std::string formatRfc5322Date(engine::Instant instant) {
    static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto days = std::chrono::floor<std::chrono::days>(instant);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::weekday weekday{days};
    const std::chrono::hh_mm_ss<std::chrono::seconds> time{instant - days};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %u %s %d %02d:%02d:%02d +0000", kDays[weekday.c_encoding()],
                  static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
    return buffer;
}

std::string normalizeLineEnds(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace duly::mail
