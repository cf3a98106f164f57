// HeaderValues: parameters, addresses, Message-IDs and dates from inbound
// headers. See HeaderValues.h. Bounded by the header's own length; nothing
// throws.
#include "duly/mail/HeaderValues.h"

#include "AsciiText.h"

#include "duly/mail/Charset.h"
#include "duly/mail/TransferEncoding.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace duly::mail {
namespace {

using ascii::lower;
using ascii::trim;



int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percentDecode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

// Skips a (possibly nested) comment starting at s[i] == '('.
std::size_t skipComment(std::string_view s, std::size_t i) {
    int depth = 0;
    for (; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == '(') {
            ++depth;
        } else if (s[i] == ')') {
            if (--depth == 0) return i + 1;
        }
    }
    return s.size();
}

// A token or quoted string at s[i]; advances i.
std::string valueAt(std::string_view s, std::size_t& i) {
    std::string out;
    if (i < s.size() && s[i] == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < s.size()) ++i;
            out += s[i++];
        }
        if (i < s.size()) ++i;
        return out;
    }
    while (i < s.size() && s[i] != ';') out += s[i++];
    return std::string(trim(out));
}

}  // namespace

HeaderParameters parseParameters(std::string_view header) {
    HeaderParameters r;
    std::size_t i = 0;
    std::string first;
    while (i < header.size() && header[i] != ';') {
        if (header[i] == '(') {
            i = skipComment(header, i);
            continue;
        }
        first += header[i++];
    }
    r.value = lower(trim(first));
    // name → pieces (RFC 2231 continuations are numbered; * marks encoded ones).
    struct Piece {
        std::string text;
        bool encoded = false;
    };
    std::map<std::string, std::map<int, Piece>> split;
    std::map<std::string, std::string> plain;
    while (i < header.size()) {
        ++i;  // the ';'
        while (i < header.size() && (header[i] == ' ' || header[i] == '\t' || header[i] == '\r' || header[i] == '\n'))
            ++i;
        if (i < header.size() && header[i] == '(') i = skipComment(header, i);
        std::string name;
        while (i < header.size() && header[i] != '=' && header[i] != ';') name += header[i++];
        name = lower(trim(name));
        if (i >= header.size() || header[i] == ';') continue;
        ++i;  // '='
        while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
        std::string value = valueAt(header, i);
        while (i < header.size() && header[i] != ';') ++i;
        if (name.empty()) continue;
        // name*N*, name*N, name*
        const auto star = name.find('*');
        if (star == std::string::npos) {
            plain.emplace(name, value);  // the first wins
            continue;
        }
        const std::string base = name.substr(0, star);
        std::string_view rest = std::string_view(name).substr(star + 1);
        int index = 0;
        bool encoded = false;
        if (rest.empty()) {
            encoded = true;  // name*=
        } else {
            if (rest.back() == '*') {
                encoded = true;
                rest.remove_suffix(1);
            }
            auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
            if (ec != std::errc() || p != rest.data() + rest.size() || index < 0 || index > 999) continue;
        }
        if (split[base].size() < 1000) split[base].emplace(index, Piece{value, encoded});
    }
    for (auto& [name, pieces] : split) {
        // Continuations from 0 upwards; the charset is on the first encoded piece.
        std::string charset, bytes;
        int expect = 0;
        for (auto& [index, piece] : pieces) {
            if (index != expect) break;  // a gap ends the value (RFC 2231 §3)
            ++expect;
            std::string_view text = piece.text;
            if (piece.encoded && index == 0) {
                const auto q1 = text.find('\'');
                const auto q2 = q1 == std::string_view::npos ? q1 : text.find('\'', q1 + 1);
                if (q2 != std::string_view::npos) {
                    charset = std::string(text.substr(0, q1));
                    text = text.substr(q2 + 1);
                }
            }
            bytes += piece.encoded ? percentDecode(text) : std::string(text);
        }
        if (expect == 0) continue;
        DecodedText d = decodeCharset(bytes, charset.empty() ? "utf-8" : charset);
        if (!d.note.empty() && r.note.empty()) r.note = d.note;
        r.params[name] = d.utf8;  // RFC 2231 form wins over the plain one
    }
    for (auto& [name, value] : plain) {
        if (r.params.count(name)) continue;
        // Quoted RFC 2047 words in a file name (Outlook, Gmail), or raw 8-bit.
        std::string note;
        r.params[name] = decodeHeaderText(value, &note);
        if (!note.empty() && r.note.empty()) r.note = note;
    }
    return r;
}

ParsedMailbox parseMailbox(std::string_view header, std::string_view fallbackCharset) {
    ParsedMailbox m;
    std::string_view s = trim(header);
    // A group "name: a@b, c@d;" — take what follows the colon when the colon
    // comes before any '<', '"' or '@'.
    const auto colon = s.find(':');
    if (colon != std::string_view::npos) {
        const auto firstSpecial = s.find_first_of("<\"@");
        if (firstSpecial == std::string_view::npos || colon < firstSpecial) s = trim(s.substr(colon + 1));
    }
    // Only the first mailbox: cut at a comma outside quotes, angles and comments.
    {
        bool quoted = false;
        int angle = 0, paren = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '\\') {
                ++i;
                continue;
            }
            if (c == '"' && paren == 0) quoted = !quoted;
            if (quoted) continue;
            if (c == '(') ++paren;
            if (c == ')' && paren) --paren;
            if (paren) continue;
            if (c == '<') ++angle;
            if (c == '>' && angle) --angle;
            if ((c == ',' || c == ';') && angle == 0) {
                s = trim(s.substr(0, i));
                break;
            }
        }
    }
    std::string name, comment;
    std::string address;
    const auto lt = s.rfind('<');
    const auto gt = lt == std::string_view::npos ? lt : s.find('>', lt);
    if (lt != std::string_view::npos && gt != std::string_view::npos) {
        address = std::string(trim(s.substr(lt + 1, gt - lt - 1)));
        // A source route "@a,@b:user@host" keeps only the address.
        if (!address.empty() && address.front() == '@') {
            const auto c = address.find(':');
            address = c == std::string::npos ? "" : address.substr(c + 1);
        }
        name = std::string(trim(s.substr(0, lt)));
    } else {
        // "a@b (Name)" or a bare address.
        std::string rest;
        for (std::size_t i = 0; i < s.size();) {
            if (s[i] == '(') {
                const std::size_t end = skipComment(s, i);
                comment = std::string(trim(s.substr(i + 1, end > i + 1 ? end - i - 2 : 0)));
                i = end;
                continue;
            }
            rest += s[i++];
        }
        address = std::string(trim(rest));
        name = comment;
    }
    // Unquote the display name ("Last, First"), keeping escaped characters.
    std::string unquoted;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) {
            unquoted += name[++i];
        } else if (name[i] != '"') {
            unquoted += name[i];
        }
    }
    m.name = std::string(trim(decodeHeaderText(trim(unquoted), nullptr, fallbackCharset)));
    m.address = address.find('@') == std::string::npos && address.find(' ') != std::string::npos ? "" : address;
    return m;
}

std::vector<std::string> parseMessageIds(std::string_view header, std::size_t limit) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (out.size() < limit && (pos = header.find('<', pos)) != std::string_view::npos) {
        const auto end = header.find('>', pos);
        if (end == std::string_view::npos) break;
        std::string id(header.substr(pos, end - pos + 1));
        // White space inside an id comes from folding: drop it.
        id.erase(std::remove_if(id.begin(), id.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }),
                 id.end());
        if (id.size() > 2 && id.size() <= 998) out.push_back(std::move(id));
        pos = end + 1;
    }
    return out;
}

std::optional<engine::Instant> parseMailDate(std::string_view header) {
    // Tokens split on white space and commas, comments dropped.
    std::vector<std::string> tokens;
    std::string cur;
    for (std::size_t i = 0; i < header.size() && tokens.size() < 12; ++i) {
        const char c = header[i];
        if (c == '(') {
            i = skipComment(header, i) - 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n') {
            if (!cur.empty()) tokens.push_back(std::move(cur));
            cur.clear();
        } else if (cur.size() < 32) {
            cur += c;
        }
    }
    if (!cur.empty()) tokens.push_back(std::move(cur));
    static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    std::size_t t = 0;
    if (t < tokens.size() && !tokens[t].empty() && std::isalpha(static_cast<unsigned char>(tokens[t][0]))) ++t;  // day name
    if (tokens.size() < t + 4) return std::nullopt;
    auto number = [](const std::string& s, int& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && p == s.data() + s.size();
    };
    int day = 0, year = 0, month = 0;
    if (!number(tokens[t], day)) return std::nullopt;
    const std::string mon = lower(tokens[t + 1]).substr(0, 3);
    for (int i = 0; i < 12; ++i)
        if (mon == kMonths[i]) month = i + 1;
    if (!month || !number(tokens[t + 2], year)) return std::nullopt;
    if (tokens[t + 2].size() == 2) year += year < 50 ? 2000 : 1900;
    else if (tokens[t + 2].size() == 3) year += 1900;
    // hh:mm[:ss]
    int hh = 0, mm = 0, ss = 0;
    {
        const std::string& clock = tokens[t + 3];
        const auto c1 = clock.find(':');
        const auto c2 = c1 == std::string::npos ? c1 : clock.find(':', c1 + 1);
        if (c1 == std::string::npos || !number(clock.substr(0, c1), hh) ||
            !number(clock.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1), mm))
            return std::nullopt;
        if (c2 != std::string::npos && !number(clock.substr(c2 + 1), ss)) return std::nullopt;
    }
    if (year < 1970 || year > 9999 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    int offsetMinutes = 0;
    if (tokens.size() > t + 4) {
        const std::string zone = tokens[t + 4];
        if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5) {
            int v = 0;
            if (!number(zone.substr(1), v)) return std::nullopt;
            offsetMinutes = (v / 100) * 60 + v % 100;
            if (zone[0] == '-') offsetMinutes = -offsetMinutes;
        } else {
            static const std::pair<const char*, int> kZones[] = {{"ut", 0},     {"gmt", 0},    {"z", 0},
                                                                 {"est", -300}, {"edt", -240}, {"cst", -360},
                                                                 {"cdt", -300}, {"mst", -420}, {"mdt", -360},
                                                                 {"pst", -480}, {"pdt", -420}, {"bst", 60}};
            for (const auto& [n, off] : kZones)
                if (lower(zone) == n) offsetMinutes = off;  // unknown zones count as UTC (RFC 5322 §4.3)
        }
    }
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    return engine::Instant{std::chrono::sys_days{ymd}} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
           std::chrono::seconds{ss} - std::chrono::minutes{offsetMinutes};
}

}  // namespace duly::mail
