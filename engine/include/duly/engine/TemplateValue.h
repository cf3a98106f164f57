// TemplateValue: the context a template sees, a small tree of values
// (text, whole numbers, instants, yes/no, lists and maps). Templates reach
// into it with dotted paths such as `customer.name` or `case.respond_by`.
// Values are data: nothing in a value is ever read as template syntax or as
// an ICU pattern. Also owns headerSafe(), the one way to put a value in an
// email header. Nothing here throws except set() on a path that crosses a
// non-map value (a bug in the caller: std::logic_error).
#pragma once

#include "duly/engine/Time.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace duly::engine {

class Value {
public:
    enum class Type { Null, Bool, Number, String, Time, List, Map };
    using List = std::vector<Value>;
    // Keys in insertion order; maps in a context are small, so a linear
    // search is faster than a tree and keeps the order for JSON output.
    using Map = std::vector<std::pair<std::string, Value>>;

    Value() = default;
    Value(std::string text) : _v(std::move(text)) {}
    Value(std::string_view text) : _v(std::string(text)) {}
    Value(const char* text) : _v(std::string(text)) {}
    Value(std::int64_t number) : _v(number) {}
    Value(int number) : _v(static_cast<std::int64_t>(number)) {}
    Value(duly::engine::Instant at) : _v(at) {}
    Value(List items) : _v(std::move(items)) {}
    Value(Map members) : _v(std::move(members)) {}
    static Value boolean(bool b) { Value v; v._v = b; return v; }
    static Value map() { return Value(Map{}); }
    static Value list() { return Value(List{}); }

    Type type() const { return static_cast<Type>(_v.index()); }
    bool isNull() const { return type() == Type::Null; }

    // Each returns nullptr when the value is of another type.
    const std::string* asString() const { return std::get_if<std::string>(&_v); }
    const std::int64_t* asNumber() const { return std::get_if<std::int64_t>(&_v); }
    const bool* asBool() const { return std::get_if<bool>(&_v); }
    const duly::engine::Instant* asInstant() const { return std::get_if<duly::engine::Instant>(&_v); }
    const List* asList() const { return std::get_if<List>(&_v); }
    const Map* asMap() const { return std::get_if<Map>(&_v); }
    List* asList() { return std::get_if<List>(&_v); }
    Map* asMap() { return std::get_if<Map>(&_v); }

    // The member `key` of a map; nullptr when absent or not a map.
    const Value* get(std::string_view key) const;
    // Follows a dotted path ("customer.address"); nullptr when any step is
    // missing. An empty path is this value.
    const Value* find(std::string_view dottedPath) const;
    // Follows pre-split path segments (what a parsed template keeps).
    const Value* find(const std::vector<std::string>& segments) const;

    // Sets the value at a dotted path, creating maps on the way (a Null
    // value becomes a map). Returns the stored value.
    Value& set(std::string_view dottedPath, Value value);
    // Appends to a list (a Null value becomes a list).
    Value& push(Value value);

    // False for Null, false, 0, "" and empty lists and maps.
    bool truthy() const;

    // Text of a scalar for places where no locale applies: numbers in
    // decimal, instants as RFC 3339 UTC, yes/no as "true"/"false"; "" for
    // Null, lists and maps.
    std::string text() const;

private:
    std::variant<std::monostate, bool, std::int64_t, std::string, duly::engine::Instant, List, Map> _v;
};

// `text` made safe for one email header line: CR, LF and every other control
// character become a single space (runs of them collapse), so no value can
// start a new header line. Invalid UTF-8 bytes become U+FFFD.
std::string headerSafe(std::string_view text);

}  // namespace duly::engine
