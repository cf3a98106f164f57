// PdfObject: one PDF value (PDF 1.7, 7.3) as the signer and verifier need it:
// null, boolean, integer, real (kept as written), string (raw bytes), name
// (decoded), array, dictionary (entries in file order) and indirect
// reference. It owns its children by value. serialize() writes the value
// back as PDF syntax; it cannot fail. Streams are not values: PdfReader keeps
// a stream's dictionary and data apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duly::pdf {

struct PdfRef {
    std::uint32_t number = 0;
    std::uint32_t generation = 0;
    friend bool operator==(const PdfRef&, const PdfRef&) = default;
};

class PdfObject {
public:
    enum class Kind { Null, Boolean, Integer, Real, String, Name, Array, Dictionary, Reference };
    using Entry = std::pair<std::string, PdfObject>;

    PdfObject() = default;
    static PdfObject boolean(bool b);
    static PdfObject integer(std::int64_t i);
    static PdfObject real(std::string literal);  // digits, sign and one '.'
    static PdfObject string(std::string bytes, bool hex = false);
    static PdfObject name(std::string decoded);
    static PdfObject array(std::vector<PdfObject> items = {});
    static PdfObject dictionary(std::vector<Entry> entries = {});
    static PdfObject reference(PdfRef ref);

    Kind kind() const { return _kind; }
    bool isNull() const { return _kind == Kind::Null; }
    bool isInteger() const { return _kind == Kind::Integer; }
    bool isName() const { return _kind == Kind::Name; }
    bool isName(std::string_view n) const { return _kind == Kind::Name && _text == n; }
    bool isString() const { return _kind == Kind::String; }
    bool isArray() const { return _kind == Kind::Array; }
    bool isDictionary() const { return _kind == Kind::Dictionary; }
    bool isReference() const { return _kind == Kind::Reference; }

    bool booleanValue() const { return _bool; }
    std::int64_t integerValue() const { return _int; }
    // String bytes, name (decoded) or real literal.
    const std::string& text() const { return _text; }
    PdfRef ref() const { return _ref; }

    const std::vector<PdfObject>& items() const { return _items; }
    std::vector<PdfObject>& items() { return _items; }
    const std::vector<Entry>& entries() const { return _entries; }

    // Dictionary lookup; nullptr when absent (or when this is no dictionary).
    const PdfObject* find(std::string_view key) const;
    // Sets or replaces an entry, keeping the position of an existing one.
    void set(std::string_view key, PdfObject value);

    // PDF syntax for the value: names and strings escaped as needed.
    std::string serialize() const;
    void serializeTo(std::string& out) const;

    // The name of a kind for messages ("a dictionary", "an integer").
    static const char* describe(Kind kind);

private:
    Kind _kind = Kind::Null;
    bool _bool = false;
    bool _hex = false;
    std::int64_t _int = 0;
    std::string _text;
    PdfRef _ref;
    std::vector<PdfObject> _items;
    std::vector<Entry> _entries;
};

// A text string for a document or signature field: PDFDocEncoding when the
// text is printable ASCII, else UTF-16BE with a byte-order mark (7.9.2.2).
PdfObject pdfTextString(std::string_view utf8);

}  // namespace duly::pdf
