// TextGuard: refusing a NUL byte in text on both databases; see TextGuard.h.
#include "TextGuard.h"

#include "duly/store/StoreError.h"

#include <cctype>
#include <vector>

namespace duly::store::detail {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The identifier starting at or after `from` (skipping spaces).
std::string wordAt(std::string_view s, std::size_t from) {
    while (from < s.size() && std::isspace(static_cast<unsigned char>(s[from]))) ++from;
    std::size_t end = from;
    while (end < s.size() && identChar(s[end])) ++end;
    return std::string(s.substr(from, end - from));
}

// Positions of the ? placeholders outside quoted literals.
std::vector<std::size_t> placeholders(std::string_view sql) {
    std::vector<std::size_t> out;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out.push_back(i);
        }
    }
    return out;
}

// The items of the parenthesised list opening at `open`, as [begin, end)
// ranges split at commas of depth one.
std::vector<std::pair<std::size_t, std::size_t>> listItems(std::string_view s, std::size_t open) {
    std::vector<std::pair<std::size_t, std::size_t>> items;
    int depth = 0;
    std::size_t start = open + 1;
    char quote = 0;
    for (std::size_t i = open; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') quote = c;
        else if (c == '(') ++depth;
        else if (c == ')' && --depth == 0) {
            items.push_back({start, i});
            break;
        } else if (c == ',' && depth == 1) {
            items.push_back({start, i});
            start = i + 1;
        }
    }
    return items;
}

std::string trimmed(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

}  // namespace

std::string placeholderColumn(std::string_view sql, std::size_t index) {
    const std::string up = upper(sql);
    const auto marks = placeholders(sql);
    const std::string number = "value " + std::to_string(index + 1);
    if (index >= marks.size()) return number;
    const std::size_t at = marks[index];
    if (auto ins = up.find("INSERT INTO "); ins != std::string::npos) {
        const std::string table = wordAt(sql, ins + 12);
        const auto open = up.find('(', ins);
        const auto values = up.find("VALUES", ins);
        if (open == std::string::npos || values == std::string::npos || open > values) return table + " " + number;
        const auto columns = listItems(sql, open);
        const auto valuesOpen = up.find('(', values);
        if (valuesOpen == std::string::npos) return table + " " + number;
        const auto items = listItems(sql, valuesOpen);
        for (std::size_t k = 0; k < items.size() && k < columns.size(); ++k)
            if (at >= items[k].first && at < items[k].second)
                return table + "." + trimmed(sql.substr(columns[k].first, columns[k].second - columns[k].first));
        return table + " " + number;
    }
    if (auto upd = up.find("UPDATE "); upd != std::string::npos) {
        const std::string table = wordAt(sql, upd + 7);
        // The identifier before "= ?".
        std::size_t i = at;
        while (i > 0 && std::isspace(static_cast<unsigned char>(sql[i - 1]))) --i;
        if (i > 0 && sql[i - 1] == '=') {
            --i;
            while (i > 0 && std::isspace(static_cast<unsigned char>(sql[i - 1]))) --i;
            std::size_t end = i;
            while (i > 0 && identChar(sql[i - 1])) --i;
            if (i < end) return table + "." + std::string(sql.substr(i, end - i));
        }
        return table + " " + number;
    }
    return number;
}

void requireNoNul(std::string_view sql, std::size_t index, std::string_view value) {
    if (value.find('\0') == std::string_view::npos) return;
    const std::string where = placeholderColumn(sql, index);
    throw StoreError(where + ": the text holds a NUL byte (at byte " + std::to_string(value.find('\0')) +
                     "), which the store refuses on SQLite and PostgreSQL alike (PostgreSQL's text cannot hold "
                     "one); nothing was written");
}

void requireNoNul(const char* table, const char* column, std::string_view value) {
    if (value.find('\0') == std::string_view::npos) return;
    throw StoreError(std::string(table) + "." + column + ": the text holds a NUL byte (at byte " +
                     std::to_string(value.find('\0')) +
                     "), which the store refuses on SQLite and PostgreSQL alike (PostgreSQL's text cannot hold "
                     "one); nothing was written");
}

}  // namespace duly::store::detail
