// PdfParser: bounded tokeniser and value reader for PDF syntax. Recursion is
// limited to kMaxDepth, collections to kMaxItems, integers to 18 digits; a
// string or dictionary left open at the end of the data is an error naming
// where it began.
#include "duly/pdf/PdfParser.h"

#include "duly/pdf/PdfFormatError.h"

namespace duly::pdf {

PdfParser::PdfParser(std::string_view data, std::string label) : _data(data), _label(std::move(label)) {}

bool PdfParser::isWhitespace(unsigned char c) {
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

bool PdfParser::isDelimiter(unsigned char c) {
    switch (c) {
        case '(': case ')': case '<': case '>': case '[': case ']':
        case '{': case '}': case '/': case '%':
            return true;
        default:
            return false;
    }
}

void PdfParser::fail(const std::string& message) const { failAt(_pos, message); }

void PdfParser::failAt(std::size_t at, const std::string& message) const {
    if (_label.empty()) throw PdfFormatError(at, message);
    throw PdfFormatError(_label + ", offset " + std::to_string(at) + ": " + message);
}

void PdfParser::seek(std::uint64_t pos) {
    if (pos > _data.size())
        failAt(_data.size(), "an offset of " + std::to_string(pos) + " points beyond the end of the data (" +
                                 std::to_string(_data.size()) + " bytes)");
    _pos = static_cast<std::size_t>(pos);
}

void PdfParser::skipWhitespace() {
    while (_pos < _data.size()) {
        auto c = static_cast<unsigned char>(_data[_pos]);
        if (isWhitespace(c)) {
            ++_pos;
        } else if (c == '%') {
            while (_pos < _data.size() && _data[_pos] != '\r' && _data[_pos] != '\n') ++_pos;
        } else {
            break;
        }
    }
}

bool PdfParser::atEnd() {
    skipWhitespace();
    return _pos >= _data.size();
}

std::string PdfParser::readRegularRun() {
    std::size_t start = _pos;
    while (_pos < _data.size()) {
        auto c = static_cast<unsigned char>(_data[_pos]);
        if (isWhitespace(c) || isDelimiter(c)) break;
        ++_pos;
    }
    return std::string(_data.substr(start, _pos - start));
}

std::string PdfParser::peekToken() {
    skipWhitespace();
    if (_pos >= _data.size()) return "the end of the data";
    std::size_t save = _pos;
    std::string token;
    auto c = static_cast<unsigned char>(_data[_pos]);
    if (isDelimiter(c)) {
        token = std::string(1, static_cast<char>(c));
        if ((c == '<' || c == '>') && _pos + 1 < _data.size() && _data[_pos + 1] == static_cast<char>(c)) token += token;
    } else {
        token = readRegularRun();
        if (token.size() > 20) token = token.substr(0, 20) + "...";
    }
    _pos = save;
    std::string shown;
    for (unsigned char t : token) {
        if (t >= 0x20 && t < 0x7f) {
            shown += static_cast<char>(t);
        } else {
            static const char digits[] = "0123456789abcdef";
            shown += "\\x";
            shown += digits[t >> 4];
            shown += digits[t & 15];
        }
    }
    return "'" + shown + "'";
}

bool PdfParser::acceptKeyword(std::string_view keyword) {
    skipWhitespace();
    if (_data.substr(_pos, keyword.size()) != keyword) return false;
    std::size_t after = _pos + keyword.size();
    if (after < _data.size()) {
        auto c = static_cast<unsigned char>(_data[after]);
        if (!isWhitespace(c) && !isDelimiter(c)) return false;
    }
    _pos = after;
    return true;
}

void PdfParser::expectKeyword(std::string_view keyword, std::string_view context) {
    if (acceptKeyword(keyword)) return;
    fail("expected '" + std::string(keyword) + "' " + std::string(context) + ", found " + peekToken());
}

std::uint64_t PdfParser::readUnsigned(std::string_view what) {
    skipWhitespace();
    std::size_t start = _pos;
    std::uint64_t value = 0;
    while (_pos < _data.size() && _data[_pos] >= '0' && _data[_pos] <= '9') {
        if (_pos - start >= 18) failAt(start, "expected " + std::string(what) + ", found a number of more than 18 digits");
        value = value * 10 + static_cast<std::uint64_t>(_data[_pos] - '0');
        ++_pos;
    }
    if (_pos == start) fail("expected " + std::string(what) + ", found " + peekToken());
    if (_pos < _data.size()) {
        auto c = static_cast<unsigned char>(_data[_pos]);
        if (!isWhitespace(c) && !isDelimiter(c)) {
            _pos = start;
            fail("expected " + std::string(what) + ", found " + peekToken());
        }
    }
    return value;
}

PdfRef PdfParser::parseObjectHeader() {
    skipWhitespace();
    std::size_t start = _pos;
    std::uint64_t number = readUnsigned("an object number");
    std::uint64_t generation = readUnsigned("a generation number");
    if (number > 0xffffffffu || generation > 65535) failAt(start, "object or generation number out of range");
    expectKeyword("obj", "after the object and generation numbers");
    return {static_cast<std::uint32_t>(number), static_cast<std::uint32_t>(generation)};
}

PdfObject PdfParser::parseObject() { return parseValue(0); }

PdfObject PdfParser::parseValue(int depth) {
    if (depth > kMaxDepth) fail("values nested more than " + std::to_string(kMaxDepth) + " deep");
    skipWhitespace();
    if (_pos >= _data.size()) fail("expected a PDF value, found the end of the data");
    const char c = _data[_pos];
    if (c == '/') return parseName();
    if (c == '(') return parseLiteralString();
    if (c == '<') {
        if (_pos + 1 < _data.size() && _data[_pos + 1] == '<') {
            std::size_t start = _pos;
            _pos += 2;
            std::vector<PdfObject::Entry> entries;
            for (;;) {
                skipWhitespace();
                if (_pos >= _data.size()) failAt(start, "dictionary not closed with '>>' before the end of the data");
                if (_data[_pos] == '>') {
                    if (_pos + 1 < _data.size() && _data[_pos + 1] == '>') {
                        _pos += 2;
                        return PdfObject::dictionary(std::move(entries));
                    }
                    fail("expected '>>' to close the dictionary, found '>'");
                }
                if (_data[_pos] != '/') fail("expected a name as dictionary key, found " + peekToken());
                if (entries.size() >= kMaxItems) fail("dictionary has more than " + std::to_string(kMaxItems) + " entries");
                std::string key = parseName().text();
                PdfObject value = parseValue(depth + 1);
                entries.emplace_back(std::move(key), std::move(value));
            }
        }
        return parseHexString();
    }
    if (c == '[') {
        std::size_t start = _pos;
        ++_pos;
        std::vector<PdfObject> items;
        for (;;) {
            skipWhitespace();
            if (_pos >= _data.size()) failAt(start, "array not closed with ']' before the end of the data");
            if (_data[_pos] == ']') {
                ++_pos;
                return PdfObject::array(std::move(items));
            }
            if (items.size() >= kMaxItems) fail("array has more than " + std::to_string(kMaxItems) + " items");
            items.push_back(parseValue(depth + 1));
        }
    }
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') return parseNumberOrReference();
    if (acceptKeyword("true")) return PdfObject::boolean(true);
    if (acceptKeyword("false")) return PdfObject::boolean(false);
    if (acceptKeyword("null")) return PdfObject();
    fail("expected a PDF value, found " + peekToken());
}

PdfObject PdfParser::parseNumberOrReference() {
    const std::size_t start = _pos;
    std::string literal = readRegularRun();
    bool sign = !literal.empty() && (literal[0] == '+' || literal[0] == '-');
    std::size_t digits = 0, dots = 0;
    for (std::size_t i = sign ? 1 : 0; i < literal.size(); ++i) {
        if (literal[i] >= '0' && literal[i] <= '9') ++digits;
        else if (literal[i] == '.') ++dots;
        else failAt(start, "expected a number, found '" + literal + "'");
    }
    if (digits == 0 || dots > 1) failAt(start, "expected a number, found '" + literal + "'");
    if (dots == 1) {
        if (literal.size() > 40) failAt(start, "a real number of more than 40 characters");
        return PdfObject::real(literal);
    }
    if (digits > 18) failAt(start, "an integer of more than 18 digits");
    std::int64_t value = std::stoll(literal);
    if (!sign && value <= 0xffffffffLL) {
        // "N G R": look ahead without committing.
        std::size_t save = _pos;
        skipWhitespace();
        std::size_t genStart = _pos;
        while (_pos < _data.size() && _data[_pos] >= '0' && _data[_pos] <= '9' && _pos - genStart < 6) ++_pos;
        if (_pos > genStart && (_pos >= _data.size() || isWhitespace(static_cast<unsigned char>(_data[_pos])))) {
            std::uint32_t generation = static_cast<std::uint32_t>(std::stoul(std::string(_data.substr(genStart, _pos - genStart))));
            if (generation <= 65535 && acceptKeyword("R"))
                return PdfObject::reference({static_cast<std::uint32_t>(value), generation});
        }
        _pos = save;
    }
    return PdfObject::integer(value);
}

PdfObject PdfParser::parseName() {
    ++_pos;  // '/'
    std::string name;
    while (_pos < _data.size()) {
        auto c = static_cast<unsigned char>(_data[_pos]);
        if (isWhitespace(c) || isDelimiter(c)) break;
        if (c == '#') {
            auto hex = [](char h) -> int {
                if (h >= '0' && h <= '9') return h - '0';
                if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                return -1;
            };
            if (_pos + 2 >= _data.size()) fail("expected two hex digits after '#' in a name");
            int hi = hex(_data[_pos + 1]), lo = hex(_data[_pos + 2]);
            if (hi < 0 || lo < 0) fail("expected two hex digits after '#' in a name");
            name += static_cast<char>(hi * 16 + lo);
            _pos += 3;
            continue;
        }
        name += static_cast<char>(c);
        ++_pos;
        if (name.size() > 127 * 3) fail("a name longer than 381 bytes");
    }
    return PdfObject::name(std::move(name));
}

PdfObject PdfParser::parseLiteralString() {
    const std::size_t start = _pos;
    ++_pos;  // '('
    std::string bytes;
    std::size_t open = 1;
    while (_pos < _data.size()) {
        char c = _data[_pos++];
        if (c == '(') {
            ++open;
        } else if (c == ')') {
            if (--open == 0) return PdfObject::string(std::move(bytes));
        } else if (c == '\\') {
            if (_pos >= _data.size()) break;
            char e = _data[_pos++];
            switch (e) {
                case 'n': bytes += '\n'; continue;
                case 'r': bytes += '\r'; continue;
                case 't': bytes += '\t'; continue;
                case 'b': bytes += '\b'; continue;
                case 'f': bytes += '\f'; continue;
                case '\r':
                    if (_pos < _data.size() && _data[_pos] == '\n') ++_pos;
                    continue;
                case '\n': continue;
                default:
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && _pos < _data.size() && _data[_pos] >= '0' && _data[_pos] <= '7'; ++k)
                            v = v * 8 + (_data[_pos++] - '0');
                        bytes += static_cast<char>(v & 0xff);
                    } else {
                        bytes += e;
                    }
                    continue;
            }
        } else if (c == '\r') {
            if (_pos < _data.size() && _data[_pos] == '\n') ++_pos;
            bytes += '\n';
            continue;
        }
        bytes += c;
    }
    failAt(start, "string not closed with ')' before the end of the data");
}

PdfObject PdfParser::parseHexString() {
    const std::size_t start = _pos;
    ++_pos;  // '<'
    std::string bytes;
    int pending = -1;
    while (_pos < _data.size()) {
        auto c = static_cast<unsigned char>(_data[_pos++]);
        if (c == '>') {
            if (pending >= 0) bytes += static_cast<char>(pending << 4);
            return PdfObject::string(std::move(bytes), true);
        }
        if (isWhitespace(c)) continue;
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else failAt(_pos - 1, "expected a hex digit or '>' in a hex string, found '" + std::string(1, static_cast<char>(c)) + "'");
        if (pending < 0) {
            pending = v;
        } else {
            bytes += static_cast<char>(pending * 16 + v);
            pending = -1;
        }
    }
    failAt(start, "hex string not closed with '>' before the end of the data");
}

}  // namespace duly::pdf
