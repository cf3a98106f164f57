// ImapResponseParser: a table of server bytes and what they must become (a
// compact rendering of the responses, or the exact error), each fed whole
// and again one byte at a time, plus the bounds.
#include "duly/mail/ImapResponseParser.h"

#include <gtest/gtest.h>

#include <string>

using duly::mail::ImapLimits;
using duly::mail::ImapProtocolError;
using duly::mail::ImapResponse;
using duly::mail::ImapResponseParser;
using duly::mail::ImapValue;

namespace {

std::string show(const ImapValue& v) {
    switch (v.kind) {
        case ImapValue::Kind::Atom: return v.text;
        case ImapValue::Kind::String: return "\"" + v.text + "\"";
        case ImapValue::Kind::Nil: return "NIL";
        case ImapValue::Kind::List: {
            std::string out = "(";
            for (std::size_t i = 0; i < v.items.size(); ++i) out += (i ? " " : "") + show(v.items[i]);
            return out + ")";
        }
    }
    return "?";
}

std::string show(const ImapResponse& r) {
    std::string out;
    switch (r.kind) {
        case ImapResponse::Kind::Continuation: return "+|" + r.text;
        case ImapResponse::Kind::Tagged: out = "tag " + r.tag; break;
        case ImapResponse::Kind::Untagged: out = "*"; break;
    }
    if (!r.status.empty()) return out + " " + r.status + "|" + r.code + "|" + r.text;
    for (const auto& v : r.data) out += " " + show(v);
    return out;
}

// Feeds `input` in pieces of `step` bytes (0: all at once); returns the
// responses one a line, or "error: ..." for the first error.
std::string run(const std::string& input, std::size_t step, ImapLimits limits = {}) {
    ImapResponseParser parser(limits);
    std::string out;
    try {
        if (step == 0) {
            parser.feed(input);
        } else {
            for (std::size_t i = 0; i < input.size(); i += step) parser.feed(std::string_view(input).substr(i, step));
        }
    } catch (const ImapProtocolError& e) {
        while (auto r = parser.next()) out += show(*r) + "\n";
        return out + "error: " + e.what();
    }
    while (auto r = parser.next()) out += show(*r) + "\n";
    if (parser.midResponse()) out += "(incomplete)";
    return out;
}

struct Case {
    const char* name;
    std::string input;
    std::string expected;
};

const Case kCases[] = {
    {"greeting with capability code",
     "* OK [CAPABILITY IMAP4rev1 IDLE STARTTLS] Dovecot ready.\r\n",
     "* OK|CAPABILITY IMAP4rev1 IDLE STARTTLS|Dovecot ready.\n"},
    {"tagged completion", "a1 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
     "tag a1 OK|READ-WRITE|Select completed (0.001 + 0.000 secs).\n"},
    {"tagged no", "a2 no [AUTHENTICATIONFAILED] Authentication failed.\r\n",
     "tag a2 NO|AUTHENTICATIONFAILED|Authentication failed.\n"},
    {"continuation", "+ idling\r\n", "+|idling\n"},
    {"bare continuation", "+\r\n", "+|\n"},
    {"exists", "* 23 EXISTS\r\n", "* 23 EXISTS\n"},
    {"search", "* SEARCH 4 5 9\r\n", "* SEARCH 4 5 9\n"},
    {"empty search", "* SEARCH\r\n", "* SEARCH\n"},
    {"flags with backslashes", "* FLAGS (\\Answered \\Seen $Forwarded)\r\n", "* FLAGS (\\Answered \\Seen $Forwarded)\n"},
    {"fetch with literal",
     "* 1 FETCH (UID 7 INTERNALDATE \"02-Dec-2026 01:39:36 +0000\" BODY[] {12}\r\nHello\r\nWorld)\r\n",
     "* 1 FETCH (UID 7 INTERNALDATE \"02-Dec-2026 01:39:36 +0000\" BODY[] \"Hello\r\nWorld\")\n"},
    {"literal holding a fake response", "* 2 FETCH (BODY[] {12}\r\na3 OK done\r\n)\r\n",
     "* 2 FETCH (BODY[] \"a3 OK done\r\n\")\n"},
    {"empty literal", "* 3 FETCH (BODY[] {0}\r\n UID 9)\r\n", "* 3 FETCH (BODY[] \"\" UID 9)\n"},
    {"non-synchronising literal marker", "* 3 FETCH (BODY[] {2+}\r\nab)\r\n", "* 3 FETCH (BODY[] \"ab\")\n"},
    {"two literals", "* 4 FETCH (A {1}\r\nx B {1}\r\ny)\r\n", "* 4 FETCH (A \"x\" B \"y\")\n"},
    {"quoted escapes", "* LIST (\\HasNoChildren) \"/\" \"a \\\"b\\\" \\\\c\"\r\n",
     "* LIST (\\HasNoChildren) \"/\" \"a \"b\" \\c\"\n"},
    {"nil", "* 5 FETCH (ENVELOPE (NIL nil))\r\n", "* 5 FETCH (ENVELOPE (NIL NIL))\n"},
    {"section with spaces", "* 6 FETCH (BODY[HEADER.FIELDS (FROM TO)] \"x\")\r\n",
     "* 6 FETCH (BODY[HEADER.FIELDS (FROM TO)] \"x\")\n"},
    {"bare LF line ends", "* 1 EXISTS\n* 2 RECENT\n", "* 1 EXISTS\n* 2 RECENT\n"},
    {"several responses", "* BYE logging out\r\nz9 OK Logout completed.\r\n", "* BYE||logging out\ntag z9 OK||Logout completed.\n"},
    {"partial response", "* 1 FETCH (BODY[] {10}\r\nabc", "(incomplete)"},
    {"unclosed list", "* 1 FETCH (UID 4\r\n", "error: IMAP response 1: list not closed"},
    {"stray paren", "* 1 FETCH UID 4)\r\n", "error: IMAP response 1: unexpected ) at column 16"},
    {"unclosed quote", "* LIST () \"/\" \"abc\r\n", "error: IMAP response 1: quoted string not closed"},
    {"bad escape", "* LIST () \"/\" \"a\\bc\"\r\n", "error: IMAP response 1: bad escape in quoted string at column 17"},
    {"tagged not status", "a1 FETCH (UID 1)\r\n", "error: IMAP response 1: tagged response a1 is not OK, NO or BAD"},
    {"no tag", "OK\r\n", "error: IMAP response 1: expected a tag or * and a space, found \"OK\""},
    {"empty line", "* 1 EXISTS\r\n\r\n", "* 1 EXISTS\nerror: IMAP response 2: empty line"},
    {"unclosed code", "* OK [ALERT oops\r\n", "error: IMAP response 1: response code [ not closed"},
    {"control character", std::string("* 1 FETCH (FLAGS (a\x01))\r\n"),
     "error: IMAP response 1: control character at column 20"},
    {"brace not at end", "* 1 FETCH (X {3} Y)\r\n",
     "error: IMAP response 1: { at column 14 is not a literal at the end of a line"},
    {"unclosed section", "* 1 FETCH (BODY[HEADER \"x\")\r\n", "error: IMAP response 1: [ not closed"},
};

TEST(ImapResponseParser, TableWhole) {
    for (const auto& c : kCases) EXPECT_EQ(run(c.input, 0), c.expected) << c.name;
}

TEST(ImapResponseParser, TableOneByteAtATime) {
    for (const auto& c : kCases) EXPECT_EQ(run(c.input, 1), c.expected) << c.name;
}

TEST(ImapResponseParser, TableInThreeByteSteps) {
    for (const auto& c : kCases) EXPECT_EQ(run(c.input, 3), c.expected) << c.name;
}

TEST(ImapResponseParser, LineLengthIsBounded) {
    ImapLimits limits;
    limits.maxLine = 16;
    EXPECT_EQ(run("* 1 EXISTS\r\n", 1, limits), "* 1 EXISTS\n");
    EXPECT_EQ(run("* SEARCH 1 2 3 4 5 6 7 8\r\n", 0, limits), "error: IMAP response 1: line longer than 16 bytes");
    // Without a line end the parser gives up as soon as the bound is passed.
    EXPECT_EQ(run(std::string(17, 'x'), 1, limits), "error: IMAP response 1: line longer than 16 bytes");
}

TEST(ImapResponseParser, LiteralSizeIsBoundedWithoutOverflow) {
    ImapLimits limits;
    limits.maxLiteral = 100;
    EXPECT_EQ(run("* 1 FETCH (BODY[] {100}\r\n" + std::string(100, 'a') + ")\r\n", 0, limits),
              "* 1 FETCH (BODY[] \"" + std::string(100, 'a') + "\")\n");
    EXPECT_EQ(run("* 1 FETCH (BODY[] {101}\r\n", 0, limits),
              "error: IMAP response 1: literal {101} is over the limit of 100 bytes");
    EXPECT_EQ(run("* 1 FETCH (BODY[] {99999999999999999999999999}\r\n", 0),
              "error: IMAP response 1: literal {99999999999999999999999 is over the limit of 67108864 bytes");
}

TEST(ImapResponseParser, LiteralCountAndNestingAreBounded) {
    ImapLimits limits;
    limits.maxLiterals = 2;
    limits.maxNesting = 3;
    EXPECT_EQ(run("* 1 FETCH (A {1}\r\na B {1}\r\nb C {1}\r\nc)\r\n", 0, limits),
              "error: IMAP response 1: more than 2 literals");
    EXPECT_EQ(run("* X (((a)))\r\n", 0, limits), "* X (((a)))\n");
    EXPECT_EQ(run("* X ((((a))))\r\n", 0, limits), "error: IMAP response 1: lists nested deeper than 3");
}

TEST(ImapResponseParser, RefusesInputAfterAnError) {
    ImapResponseParser parser;
    EXPECT_THROW(parser.feed("* 1 FETCH (\r\n"), ImapProtocolError);
    try {
        parser.feed("* 1 EXISTS\r\n");
        FAIL() << "expected a throw";
    } catch (const ImapProtocolError& e) {
        EXPECT_STREQ(e.what(), "IMAP response parser: input after a protocol error");
    }
}

}  // namespace
