// PdfObject: construction, dictionary lookup and serialisation of PDF values.
// Serialisation never fails: names are #-escaped, strings that are not plain
// printable text are written in hex.
#include "duly/pdf/PdfObject.h"

#include <cstdio>

namespace duly::pdf {

PdfObject PdfObject::boolean(bool b) {
    PdfObject o;
    o._kind = Kind::Boolean;
    o._bool = b;
    return o;
}

PdfObject PdfObject::integer(std::int64_t i) {
    PdfObject o;
    o._kind = Kind::Integer;
    o._int = i;
    return o;
}

PdfObject PdfObject::real(std::string literal) {
    PdfObject o;
    o._kind = Kind::Real;
    o._text = std::move(literal);
    return o;
}

PdfObject PdfObject::string(std::string bytes, bool hex) {
    PdfObject o;
    o._kind = Kind::String;
    o._text = std::move(bytes);
    o._hex = hex;
    return o;
}

PdfObject PdfObject::name(std::string decoded) {
    PdfObject o;
    o._kind = Kind::Name;
    o._text = std::move(decoded);
    return o;
}

PdfObject PdfObject::array(std::vector<PdfObject> items) {
    PdfObject o;
    o._kind = Kind::Array;
    o._items = std::move(items);
    return o;
}

PdfObject PdfObject::dictionary(std::vector<Entry> entries) {
    PdfObject o;
    o._kind = Kind::Dictionary;
    o._entries = std::move(entries);
    return o;
}

PdfObject PdfObject::reference(PdfRef ref) {
    PdfObject o;
    o._kind = Kind::Reference;
    o._ref = ref;
    return o;
}

const PdfObject* PdfObject::find(std::string_view key) const {
    if (_kind != Kind::Dictionary) return nullptr;
    for (const auto& [k, v] : _entries)
        if (k == key) return &v;
    return nullptr;
}

void PdfObject::set(std::string_view key, PdfObject value) {
    for (auto& [k, v] : _entries) {
        if (k == key) {
            v = std::move(value);
            return;
        }
    }
    _entries.emplace_back(std::string(key), std::move(value));
}

const char* PdfObject::describe(Kind kind) {
    switch (kind) {
        case Kind::Null: return "null";
        case Kind::Boolean: return "a boolean";
        case Kind::Integer: return "an integer";
        case Kind::Real: return "a real number";
        case Kind::String: return "a string";
        case Kind::Name: return "a name";
        case Kind::Array: return "an array";
        case Kind::Dictionary: return "a dictionary";
        case Kind::Reference: return "an indirect reference";
    }
    return "a value";
}

namespace {

bool isRegularNameChar(unsigned char c) {
    if (c < 0x21 || c > 0x7e) return false;
    switch (c) {
        case '(': case ')': case '<': case '>': case '[': case ']':
        case '{': case '}': case '/': case '%': case '#':
            return false;
        default:
            return true;
    }
}

void appendHexByte(std::string& out, unsigned char c) {
    static const char digits[] = "0123456789ABCDEF";
    out += digits[c >> 4];
    out += digits[c & 15];
}

void serializeString(std::string& out, const std::string& bytes, bool hex) {
    bool plain = !hex;
    for (unsigned char c : bytes)
        if (c < 0x20 || c > 0x7e) plain = false;
    if (!plain) {
        out += '<';
        for (unsigned char c : bytes) appendHexByte(out, c);
        out += '>';
        return;
    }
    out += '(';
    for (char c : bytes) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    out += ')';
}

}  // namespace

void PdfObject::serializeTo(std::string& out) const {
    switch (_kind) {
        case Kind::Null: out += "null"; break;
        case Kind::Boolean: out += _bool ? "true" : "false"; break;
        case Kind::Integer: out += std::to_string(_int); break;
        case Kind::Real: out += _text; break;
        case Kind::String: serializeString(out, _text, _hex); break;
        case Kind::Name:
            out += '/';
            for (unsigned char c : _text) {
                if (isRegularNameChar(c)) {
                    out += static_cast<char>(c);
                } else {
                    out += '#';
                    appendHexByte(out, c);
                }
            }
            break;
        case Kind::Array: {
            out += '[';
            bool first = true;
            for (const auto& item : _items) {
                if (!first) out += ' ';
                first = false;
                item.serializeTo(out);
            }
            out += ']';
            break;
        }
        case Kind::Dictionary:
            out += "<<";
            for (const auto& [k, v] : _entries) {
                PdfObject::name(k).serializeTo(out);
                out += ' ';
                v.serializeTo(out);
            }
            out += ">>";
            break;
        case Kind::Reference:
            out += std::to_string(_ref.number);
            out += ' ';
            out += std::to_string(_ref.generation);
            out += " R";
            break;
    }
}

std::string PdfObject::serialize() const {
    std::string out;
    serializeTo(out);
    return out;
}

PdfObject pdfTextString(std::string_view utf8) {
    bool ascii = true;
    for (unsigned char c : utf8)
        if (c < 0x20 || c > 0x7e) ascii = false;
    if (ascii) return PdfObject::string(std::string(utf8));
    // UTF-8 to UTF-16BE; a malformed sequence becomes U+FFFD.
    std::string out = "\xFE\xFF";
    auto put16 = [&](std::uint32_t u) {
        out += static_cast<char>((u >> 8) & 0xff);
        out += static_cast<char>(u & 0xff);
    };
    std::size_t i = 0;
    while (i < utf8.size()) {
        auto c = static_cast<unsigned char>(utf8[i]);
        std::uint32_t cp = 0xFFFD;
        std::size_t len = 1;
        if (c < 0x80) {
            cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
        }
        if (len > 1) {
            if (i + len > utf8.size()) {
                len = 1;
            } else {
                std::uint32_t v = c & (0x7F >> len);
                bool ok = true;
                for (std::size_t k = 1; k < len; ++k) {
                    auto cc = static_cast<unsigned char>(utf8[i + k]);
                    if ((cc & 0xC0) != 0x80) ok = false;
                    v = (v << 6) | (cc & 0x3F);
                }
                if (ok && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) cp = v;
                else len = 1;
            }
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put16(0xD800 + (cp >> 10));
            put16(0xDC00 + (cp & 0x3FF));
        } else {
            put16(cp);
        }
        i += len;
    }
    return PdfObject::string(std::move(out), true);
}

}  // namespace duly::pdf
