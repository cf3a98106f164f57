// Json: a small writer for the JSON that duly prints for scripts. Keys are
// written in the order given, strings escaped per RFC 8259.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duly::app {

inline std::string jsonString(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    static const char* hex = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

inline std::string jsonOptional(const std::optional<std::string>& s) { return s ? jsonString(*s) : "null"; }

// Builds one JSON object: JsonObject o; o.add("a", jsonString("x")); o.str().
class JsonObject {
public:
    JsonObject& add(std::string_view key, const std::string& rawValue) {
        _body += (_body.empty() ? "" : ",") + jsonString(key) + ":" + rawValue;
        return *this;
    }
    std::string str() const { return "{" + _body + "}"; }

private:
    std::string _body;
};

}  // namespace duly::app
