// ImapResponseParser: assembles a response from lines and the literals
// they announce ("{N}" at the end of a line), then tokenises it. Assembly
// and tokenising are separate so that the bounds are checked on the raw
// bytes before anything is interpreted. Throws ImapProtocolError.
#include "duly/mail/ImapResponseParser.h"

#include <cctype>

namespace duly::mail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool isControl(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

// Where "{N}" or "{N+}" starts at the end of `line`, or npos.
std::size_t literalMarker(std::string_view line) {
    if (line.size() < 3 || line.back() != '}') return std::string_view::npos;
    const std::size_t open = line.rfind('{');
    if (open == std::string_view::npos) return open;
    std::string_view digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
    if (digits.empty()) return std::string_view::npos;
    for (const char c : digits) {
        if (c < '0' || c > '9') return std::string_view::npos;
    }
    return open;
}

// Walks the lines and literals of one response as one stream of tokens.
class Tokeniser {
public:
    Tokeniser(const std::vector<std::string>& lines, const std::vector<std::string>& literals, std::size_t maxNesting,
              std::size_t start)
        : _lines(lines), _literals(literals), _maxNesting(maxNesting), _pos(start) {}

    // Throws std::string with the problem (turned into ImapProtocolError by the caller).
    std::vector<ImapValue> values(std::size_t depth, bool inList) {
        std::vector<ImapValue> out;
        for (;;) {
            while (_pos < line().size() && line()[_pos] == ' ') ++_pos;
            if (_pos >= line().size()) {
                if (inList) throw std::string("list not closed");
                return out;
            }
            const char c = line()[_pos];
            if (c == ')') {
                if (!inList) throw std::string("unexpected ) at column " + std::to_string(_pos + 1));
                ++_pos;
                return out;
            }
            if (c == '(') {
                if (depth + 1 > _maxNesting) throw std::string("lists nested deeper than " + std::to_string(_maxNesting));
                ++_pos;
                ImapValue list;
                list.kind = ImapValue::Kind::List;
                list.items = values(depth + 1, true);
                out.push_back(std::move(list));
            } else if (c == '"') {
                out.push_back(quoted());
            } else if (c == '{') {
                out.push_back(literal());
            } else {
                out.push_back(atom());
            }
        }
    }

private:
    const std::string& line() const { return _lines[_line]; }

    ImapValue quoted() {
        ImapValue v;
        v.kind = ImapValue::Kind::String;
        ++_pos;
        for (;;) {
            if (_pos >= line().size()) throw std::string("quoted string not closed");
            const char c = line()[_pos++];
            if (c == '"') return v;
            if (c == '\\') {
                if (_pos >= line().size() || (line()[_pos] != '"' && line()[_pos] != '\\'))
                    throw std::string("bad escape in quoted string at column " + std::to_string(_pos));
                v.text += line()[_pos++];
            } else {
                v.text += c;
            }
        }
    }

    ImapValue literal() {
        if (_line + 1 >= _lines.size() || literalMarker(line()) != _pos)
            throw std::string("{ at column " + std::to_string(_pos + 1) + " is not a literal at the end of a line");
        ImapValue v;
        v.kind = ImapValue::Kind::String;
        v.text = _literals[_line];
        ++_line;
        _pos = 0;
        return v;
    }

    ImapValue atom() {
        ImapValue v;
        std::size_t brackets = 0;
        while (_pos < line().size()) {
            const char c = line()[_pos];
            if (isControl(c)) throw std::string("control character at column " + std::to_string(_pos + 1));
            if (brackets == 0 && (c == ' ' || c == '(' || c == ')' || c == '"' || c == '{')) break;
            if (c == '[') ++brackets;
            if (c == ']' && brackets > 0) --brackets;
            v.text += c;
            ++_pos;
        }
        if (brackets > 0) throw std::string("[ not closed");
        v.kind = iequals(v.text, "NIL") ? ImapValue::Kind::Nil : ImapValue::Kind::Atom;
        return v;
    }

    const std::vector<std::string>& _lines;
    const std::vector<std::string>& _literals;
    std::size_t _maxNesting;
    std::size_t _line = 0;
    std::size_t _pos;
};

}  // namespace

bool ImapValue::isAtom(std::string_view word) const { return kind == Kind::Atom && iequals(text, word); }

ImapResponseParser::ImapResponseParser(ImapLimits limits) : _limits(limits) {}

void ImapResponseParser::fail(const std::string& what) {
    _broken = true;
    _buffer.clear();
    _lines.clear();
    _literals.clear();
    throw ImapProtocolError("IMAP response " + std::to_string(_responses + 1) + ": " + what);
}

void ImapResponseParser::feed(std::string_view bytes) {
    if (_broken) throw ImapProtocolError("IMAP response parser: input after a protocol error");
    _buffer.append(bytes);
    advance();
}

std::optional<ImapResponse> ImapResponseParser::next() {
    if (_ready.empty()) return std::nullopt;
    ImapResponse r = std::move(_ready.front());
    _ready.pop_front();
    return r;
}

void ImapResponseParser::advance() {
    std::size_t used = 0;
    for (;;) {
        if (_inLiteral) {
            const std::size_t take = std::min(_literalWanted, _buffer.size() - used);
            _literals.back().append(_buffer, used, take);
            used += take;
            _literalWanted -= take;
            if (_literalWanted > 0) break;
            _inLiteral = false;
            continue;
        }
        const std::size_t lf = _buffer.find('\n', used);
        if (lf == std::string::npos) {
            if (_buffer.size() - used > _limits.maxLine)
                fail("line longer than " + std::to_string(_limits.maxLine) + " bytes");
            break;
        }
        std::size_t end = lf;
        if (end > used && _buffer[end - 1] == '\r') --end;
        if (end - used > _limits.maxLine) fail("line longer than " + std::to_string(_limits.maxLine) + " bytes");
        std::string line = _buffer.substr(used, end - used);
        used = lf + 1;
        const std::size_t marker = literalMarker(line);
        if (marker != std::string::npos) {
            if (_literals.size() + 1 > _limits.maxLiterals)
                fail("more than " + std::to_string(_limits.maxLiterals) + " literals");
            std::size_t size = 0;
            for (std::size_t i = marker + 1; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
                size = size * 10 + static_cast<std::size_t>(line[i] - '0');
                if (size > _limits.maxLiteral)
                    fail("literal " + line.substr(marker, std::min<std::size_t>(line.size() - marker, 24)) +
                         " is over the limit of " + std::to_string(_limits.maxLiteral) + " bytes");
            }
            _lines.push_back(std::move(line));
            _literals.emplace_back();
            _literals.back().reserve(size);
            _literalWanted = size;
            _inLiteral = true;
            continue;
        }
        _lines.push_back(std::move(line));
        ImapResponse r = parse();
        _lines.clear();
        _literals.clear();
        ++_responses;
        _ready.push_back(std::move(r));
    }
    _buffer.erase(0, used);
}

ImapResponse ImapResponseParser::parse() {
    const std::string& first = _lines.front();
    ImapResponse r;
    if (first.empty()) fail("empty line");
    if (first[0] == '+') {
        r.kind = ImapResponse::Kind::Continuation;
        r.text = first.substr(first.size() > 1 && first[1] == ' ' ? 2 : 1);
        return r;
    }
    const std::size_t space = first.find(' ');
    if (space == std::string::npos || space == 0) fail("expected a tag or * and a space, found \"" + first.substr(0, 40) + "\"");
    std::string_view tag(first.data(), space);
    for (const char c : tag) {
        if (isControl(c) || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' || c == '\\')
            fail("bad character in tag \"" + std::string(tag.substr(0, 40)) + "\"");
    }
    r.kind = tag == "*" ? ImapResponse::Kind::Untagged : ImapResponse::Kind::Tagged;
    if (r.kind == ImapResponse::Kind::Tagged) r.tag = std::string(tag);

    std::size_t pos = space + 1;
    const std::size_t wordEnd = std::min(first.find(' ', pos), first.size());
    const std::string word = upper(std::string_view(first).substr(pos, wordEnd - pos));
    const bool isStatus = word == "OK" || word == "NO" || word == "BAD" || word == "BYE" || word == "PREAUTH";
    if (r.kind == ImapResponse::Kind::Tagged && word != "OK" && word != "NO" && word != "BAD")
        fail("tagged response " + r.tag + " is not OK, NO or BAD");
    if (isStatus) {
        r.status = word;
        pos = wordEnd;
        if (pos < first.size()) ++pos;
        if (pos < first.size() && first[pos] == '[') {
            const std::size_t close = first.find(']', pos);
            if (close == std::string::npos) fail("response code [ not closed");
            r.code = first.substr(pos + 1, close - pos - 1);
            pos = close + 1;
            if (pos < first.size() && first[pos] == ' ') ++pos;
        }
        r.text = first.substr(std::min(pos, first.size()));
        return r;
    }
    try {
        Tokeniser tokens(_lines, _literals, _limits.maxNesting, pos);
        r.data = tokens.values(0, false);
    } catch (const std::string& what) {
        fail(what);
    }
    return r;
}

}  // namespace duly::mail
