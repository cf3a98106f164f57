// TemplateValue: lookups in the context tree and the header-safe text
// accessor. See TemplateValue.h.
#include "duly/engine/TemplateValue.h"

#include <cstdio>
#include <stdexcept>

namespace duly::engine {

const Value* Value::get(std::string_view key) const {
    const Map* m = asMap();
    if (!m) return nullptr;
    for (const auto& [k, v] : *m)
        if (k == key) return &v;
    return nullptr;
}

const Value* Value::find(std::string_view path) const {
    const Value* at = this;
    while (!path.empty() && at) {
        auto dot = path.find('.');
        at = at->get(path.substr(0, dot));
        if (dot == std::string_view::npos) break;
        path.remove_prefix(dot + 1);
    }
    return at;
}

const Value* Value::find(const std::vector<std::string>& segments) const {
    const Value* at = this;
    for (const auto& s : segments) {
        if (!at) return nullptr;
        at = at->get(s);
    }
    return at;
}

Value& Value::set(std::string_view path, Value value) {
    Value* at = this;
    while (true) {
        if (at->isNull()) at->_v = Map{};
        Map* m = at->asMap();
        if (!m) throw std::logic_error("Value::set: path crosses a value that is not a map");
        auto dot = path.find('.');
        std::string_view key = path.substr(0, dot);
        Value* next = nullptr;
        for (auto& [k, v] : *m)
            if (k == key) next = &v;
        if (!next) {
            m->emplace_back(std::string(key), Value{});
            next = &m->back().second;
        }
        if (dot == std::string_view::npos) {
            *next = std::move(value);
            return *next;
        }
        at = next;
        path.remove_prefix(dot + 1);
    }
}

Value& Value::push(Value value) {
    if (isNull()) _v = List{};
    List* l = asList();
    if (!l) throw std::logic_error("Value::push: value is not a list");
    l->push_back(std::move(value));
    return l->back();
}

bool Value::truthy() const {
    switch (type()) {
        case Type::Null: return false;
        case Type::Bool: return *asBool();
        case Type::Number: return *asNumber() != 0;
        case Type::String: return !asString()->empty();
        case Type::Time: return true;
        case Type::List: return !asList()->empty();
        case Type::Map: return !asMap()->empty();
    }
    return false;
}

std::string Value::text() const {
    switch (type()) {
        case Type::Bool: return *asBool() ? "true" : "false";
        case Type::Number: return std::to_string(*asNumber());
        case Type::String: return *asString();
        case Type::Time: {
            // Not ZoneRules::formatRfc3339Utc: this file must not depend on
            // the zone tables, only on <chrono>.
            auto at = *asInstant();
            auto day = std::chrono::floor<std::chrono::days>(at);
            std::chrono::year_month_day ymd{day};
            std::chrono::hh_mm_ss hms{at - day};
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                          unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                          int(hms.minutes().count()), int(hms.seconds().count()));
            return buf;
        }
        default: return {};
    }
}

std::string headerSafe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool lastSpace = false;
    auto space = [&] {
        if (!lastSpace) out += ' ';
        lastSpace = true;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) space();
            else {
                out += static_cast<char>(c);
                lastSpace = c == ' ';
            }
            ++i;
            continue;
        }
        // Decode one UTF-8 sequence; refuse overlongs, surrogates and
        // anything past U+10FFFF.
        std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
        std::uint32_t cp = len == 4 ? (c & 0x07u) : len == 3 ? (c & 0x0fu) : (c & 0x1fu);
        bool ok = len >= 2 && c >= 0xc2 && c <= 0xf4 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xc0) != 0x80) ok = false;
            cp = (cp << 6) | (cc & 0x3fu);
        }
        if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
                   (cp >= 0xd800 && cp <= 0xdfff)))
            ok = false;
        if (!ok) {
            out += "\xef\xbf\xbd";
            lastSpace = false;
            ++i;
            continue;
        }
        // C1 controls and the Unicode line and paragraph separators end
        // lines in some readers: treat them like CR and LF.
        if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
            space();
        } else {
            out.append(text.substr(i, len));
            lastSpace = false;
        }
        i += len;
    }
    return out;
}

}  // namespace duly::engine
