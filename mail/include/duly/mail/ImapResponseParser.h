// ImapResponseParser: turns the bytes an IMAP4rev1 server sends into whole
// responses — tagged completions, untagged status and data responses, and
// "+" continuation requests — with quoted strings, literals of any size up
// to a bound, and nested parenthesised lists. It owns nothing but its
// buffer. Every input is bounded (line length, literal size, literals per
// response, list nesting) and a violation throws ImapProtocolError naming
// the response and the limit; after that the parser refuses further input,
// because the connection can no longer be trusted to be in step.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace duly::mail {

class ImapProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One token of an IMAP data response.
struct ImapValue {
    enum class Kind { Atom, String, Nil, List };
    Kind kind = Kind::Atom;
    std::string text;               // Atom or String (quoted or literal) contents
    std::vector<ImapValue> items;   // List members

    bool isAtom(std::string_view word) const;  // case-insensitive atom comparison
};

struct ImapResponse {
    enum class Kind { Untagged, Tagged, Continuation };
    Kind kind = Kind::Untagged;
    std::string tag;      // Tagged only
    std::string status;   // "OK", "NO", "BAD", "BYE" or "PREAUTH" (upper case) for status responses, else empty
    std::string code;     // the response code inside [...] without the brackets, e.g. "UIDVALIDITY 42"
    std::string text;     // the human-readable text of a status response or continuation
    std::vector<ImapValue> data;  // untagged data responses: "* 3 EXISTS" is {3, EXISTS}
};

struct ImapLimits {
    std::size_t maxLine = 64 * 1024;             // one line, not counting literals
    std::size_t maxLiteral = 64 * 1024 * 1024;   // one literal
    std::size_t maxLiterals = 64;                // literals in one response
    std::size_t maxNesting = 16;                 // depth of parenthesised lists
};

class ImapResponseParser {
public:
    explicit ImapResponseParser(ImapLimits limits = {});

    // Takes more bytes from the server. Throws ImapProtocolError when they
    // break a limit or the grammar; every later call throws too.
    void feed(std::string_view bytes);

    // The next complete response, if one has arrived.
    std::optional<ImapResponse> next();

    // True when a response has started but not finished (bytes are buffered).
    bool midResponse() const { return !_buffer.empty() || !_lines.empty(); }

private:
    void advance();
    [[noreturn]] void fail(const std::string& what);
    ImapResponse parse();

    ImapLimits _limits;
    std::string _buffer;               // bytes not yet part of a line or literal
    std::vector<std::string> _lines;   // lines of the current response; all but the last end in {N}
    std::vector<std::string> _literals;
    std::size_t _literalWanted = 0;    // bytes still owed to the current literal
    bool _inLiteral = false;
    bool _broken = false;
    std::size_t _responses = 0;        // responses completed, for messages
    std::deque<ImapResponse> _ready;
};

}  // namespace duly::mail
