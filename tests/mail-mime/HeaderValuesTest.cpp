// HeaderValues and RFC 2047 header text: tables of header values and what
// is read from them.
#include "duly/mail/HeaderValues.h"
#include "duly/mail/TransferEncoding.h"

#include <gtest/gtest.h>

using namespace duly::mail;

namespace {

TEST(HeaderValues, EncodedWords) {
    struct Case {
        std::string in, out;
    };
    const std::vector<Case> cases = {
        {"=?utf-8?q?caf=C3=A9?=", "café"},
        {"=?UTF-8?B?Y2Fmw6k=?=", "café"},
        {"=?iso-8859-1?q?Andr=E9?= Pirard", "André Pirard"},
        {"=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab"},            // white space between words is dropped
        {"=?ISO-8859-1?Q?a?=\r\n =?ISO-8859-1?Q?_b?=", "a b"},       // folded; underscore is a space
        {"(=?ISO-8859-1?Q?a?= b)", "(a b)"},
        {"=?utf-8?b?5L2g?= =?utf-8?b?5aW9?=", "你好"},
        {"=?utf-8?b?5L0=?= =?utf-8?b?oOWlvQ==?=", "你好"},               // a character split across words (base64)
        {"=?gb18030?Q?=C4=E3?= =?gb18030?Q?=BA=C3?=", "你好"},
        {"=?big5?B?p0Gmbg==?=", "你好"},
        {"=?Shift_JIS?B?grGC8YLJgr+CzQ==?=", "こんにちは"},
        {"=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは"},
        {"=?koi8-r?B?8NLJ18XU?=", "Привет"},
        {"=?utf-8*en?q?hello?=", "hello"},                           // RFC 2231 language in a word
        {"=?x-unknown?q?caf=E9?=", "café"},                          // unknown: windows-1252
        {"=?utf-8?q?not closed", "=?utf-8?q?not closed"},
        {"=?utf-8?x?abc?=", "=?utf-8?x?abc?="},
        {"plain \xE9t\xE9", "plain été"},                            // raw 8-bit, not UTF-8
        {"=?utf-8?q?bad=FFbyte?=", "bad\xEF\xBF\xBD" "byte"},        // invalid UTF-8 becomes U+FFFD
    };
    for (const auto& c : cases) EXPECT_EQ(decodeHeaderText(c.in), c.out) << c.in;
    std::string note;
    decodeHeaderText("=?x-unknown?q?a?=", &note);
    EXPECT_EQ(note, "charset \"x-unknown\" is unknown; read as windows-1252");
}

TEST(HeaderValues, Parameters) {
    struct Case {
        std::string in, value, param, expected;
    };
    const std::vector<Case> cases = {
        {"text/plain; charset=\"UTF-8\"", "text/plain", "charset", "UTF-8"},
        {"Multipart/Mixed;\r\n\tboundary=\"=_a;b\"", "multipart/mixed", "boundary", "=_a;b"},
        {"attachment; filename=\"a \\\"q\\\".pdf\"", "attachment", "filename", "a \"q\".pdf"},
        {"attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", "attachment", "filename", "€ rates.pdf"},
        {"attachment; filename*0=\"long \"; filename*1=\"name.pdf\"", "attachment", "filename", "long name.pdf"},
        {"attachment; filename*0*=utf-8'en'%C3%A9t; filename*1*=%C3%A9; filename*2=\".doc\"", "attachment",
         "filename", "été.doc"},
        {"attachment; filename*1=\"b\"; filename*0=\"a\"", "attachment", "filename", "ab"},  // any order
        {"attachment; filename*0=\"a\"; filename*2=\"c\"", "attachment", "filename", "a"},   // a gap ends it
        {"attachment; filename=\"plain.pdf\"; filename*=utf-8''better.pdf", "attachment", "filename", "better.pdf"},
        {"attachment; filename=\"=?utf-8?B?0LTQvtC6LnBkZg==?=\"", "attachment", "filename", "док.pdf"},
        {"inline (comment); filename=x.txt", "inline", "filename", "x.txt"},
        {"text/plain; charset=us-ascii (Plain text)", "text/plain", "charset", "us-ascii (Plain text)"},
        {"image/jpeg; name=", "image/jpeg", "name", ""},
    };
    for (const auto& c : cases) {
        const auto p = parseParameters(c.in);
        EXPECT_EQ(p.value, c.value) << c.in;
        auto it = p.params.find(c.param);
        ASSERT_NE(it, p.params.end()) << c.in;
        EXPECT_EQ(it->second, c.expected) << c.in;
    }
}

TEST(HeaderValues, Mailboxes) {
    struct Case {
        std::string in, name, address;
    };
    const std::vector<Case> cases = {
        {"Tom Fairclough <tom@example.org>", "Tom Fairclough", "tom@example.org"},
        {"\"Fairclough, Tom\" <tom@example.org>", "Fairclough, Tom", "tom@example.org"},
        {"tom@example.org (Tom Fairclough)", "Tom Fairclough", "tom@example.org"},
        {"tom@example.org", "", "tom@example.org"},
        {"<tom@example.org>", "", "tom@example.org"},
        {"=?utf-8?q?Si=C3=A2n?= <sian@example.org>, other@example.org", "Siân", "sian@example.org"},
        {"Team: a@example.org, b@example.org;", "", "a@example.org"},
        {"\"a <b>\" <real@example.org>", "a <b>", "real@example.org"},
        {"<@relay.example:user@example.org>", "", "user@example.org"},
        {"Undisclosed recipients", "", ""},
    };
    for (const auto& c : cases) {
        const ParsedMailbox m = parseMailbox(c.in);
        EXPECT_EQ(m.name, c.name) << c.in;
        EXPECT_EQ(m.address, c.address) << c.in;
    }
}

TEST(HeaderValues, MessageIds) {
    EXPECT_EQ(parseMessageIds("<a@b> <c@d>\r\n\t<e\r\n @f>"), (std::vector<std::string>{"<a@b>", "<c@d>", "<e@f>"}));
    EXPECT_EQ(parseMessageIds("no ids here"), std::vector<std::string>{});
    EXPECT_EQ(parseMessageIds("<> <x@y> <unclosed"), std::vector<std::string>{"<x@y>"});
    EXPECT_EQ(parseMessageIds("<1@a><2@a><3@a>", 2).size(), 2u);
}

TEST(HeaderValues, Dates) {
    using namespace std::chrono;
    auto utc = [](int y, unsigned mo, unsigned d, int h, int mi, int s) {
        return duly::engine::Instant{sys_days{year{y} / mo / d}} + hours{h} + minutes{mi} + seconds{s};
    };
    struct Case {
        std::string in;
        std::optional<duly::engine::Instant> at;
    };
    const std::vector<Case> cases = {
        {"Mon, 23 Nov 2026 10:05:00 +0000", utc(2026, 11, 23, 10, 5, 0)},
        {"23 Nov 2026 10:05 +0100", utc(2026, 11, 23, 9, 5, 0)},
        {"Thu, 26 Nov 2026 11:02:45 +0800", utc(2026, 11, 26, 3, 2, 45)},
        {"Thu, 26 Nov 2026 10:00:00 +0000 (GMT)", utc(2026, 11, 26, 10, 0, 0)},
        {"Fri, 27 Nov 26 08:30:00 EST", utc(2026, 11, 27, 13, 30, 0)},
        {"Fri,27 Nov 2026 08:30:00 -0230", utc(2026, 11, 27, 11, 0, 0)},
        {"Sat, 28 Nov 2026 10:00:00", utc(2026, 11, 28, 10, 0, 0)},
        {"Sat, 31 Feb 2026 10:00:00 +0000", std::nullopt},
        {"yesterday", std::nullopt},
        {"Sat, 28 Nov 2026 25:00:00 +0000", std::nullopt},
        {"", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(parseMailDate(c.in), c.at) << c.in;
}

}  // namespace
