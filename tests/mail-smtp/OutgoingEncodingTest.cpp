// Tests of OutgoingEncoding: quoted-printable, base64 lines, RFC 2047
// words, UTF-8 validation, dates and line ends — tables of input and the
// expected bytes, worked out from RFC 2045/2047/5322 by hand.
#include "duly/mail/OutgoingEncoding.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

using namespace duly::mail;

namespace {

struct Case {
    std::string input;
    std::string expected;
};

}  // namespace

TEST(QuotedPrintable, Table) {
    const Case cases[] = {
        {"plain", "plain"},
        {"a=b", "a=3Db"},
        {"trailing \r\nnext\t\r\n", "trailing=20\r\nnext=09\r\n"},
        {"inner space stays", "inner space stays"},
        {"caf\xC3\xA9", "caf=C3=A9"},
        {"", ""},
        {"\r\n", "\r\n"},
        // 80 'x': 75 on the first line, then "=" CRLF, then 5.
        {std::string(80, 'x'), std::string(75, 'x') + "=\r\n" + std::string(5, 'x')},
        // An encoded byte is never split across a soft break: 74 'x' + "=3D"
        // does not fit in 75, so it moves to the next line.
        {std::string(74, 'x') + "=", std::string(74, 'x') + "=\r\n=3D"},
    };
    for (const Case& c : cases) EXPECT_EQ(encodeQuotedPrintable(c.input), c.expected) << c.input;
}

TEST(QuotedPrintable, EveryLineAtMost76) {
    std::string text;
    for (int i = 0; i < 500; ++i) text += (i % 7 == 0) ? "\xC3\xA9" : "a ";
    const std::string out = encodeQuotedPrintable(text);
    std::size_t start = 0;
    while (start < out.size()) {
        std::size_t end = out.find("\r\n", start);
        if (end == std::string::npos) end = out.size();
        EXPECT_LE(end - start, 76u);
        start = end + 2;
    }
}

TEST(Base64Lines, Table) {
    const Case cases[] = {
        {"", ""},
        {"M", "TQ==\r\n"},
        {"Ma", "TWE=\r\n"},
        {"Man", "TWFu\r\n"},
        // 57 bytes are exactly one 76-character line.
        {std::string(57, '\0'), std::string(76, 'A') + "\r\n"},
        {std::string(58, '\0'), std::string(76, 'A') + "\r\nAA==\r\n"},
    };
    for (const Case& c : cases) EXPECT_EQ(encodeBase64Lines(c.input), c.expected);
}

TEST(HeaderWords, ShortTextIsOneWord) {
    // "café" = 63 61 66 c3 a9 → base64 "Y2Fmw6k=".
    EXPECT_EQ(encodeHeaderWords("caf\xC3\xA9", 9), "=?UTF-8?B?Y2Fmw6k=?=");
}

TEST(HeaderWords, LongTextSplitsOnCharacterBoundariesWithinLimits) {
    // 40 × "ہ" (U+06C1, two bytes each): 80 bytes.
    std::string text;
    for (int i = 0; i < 40; ++i) text += "\xDB\x81";
    const std::string out = encodeHeaderWords(text, 9);
    // First line: 76 - 9 - 12 = 55 base64 characters → 52 → 39 bytes → 38
    // (whole characters); then 60 → 45 → 42 bytes = the remaining 42.
    // 38 bytes → 52 base64 characters (51 rounded up with padding); 42 → 56.
    std::size_t start = 0;
    int words = 0;
    std::size_t firstLength = 0;
    while (start < out.size()) {
        std::size_t end = out.find("\r\n ", start);
        if (end == std::string::npos) end = out.size();
        const std::string word = out.substr(start, end - start);
        EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
        EXPECT_LE(word.size(), 75u);
        if (words == 0) firstLength = word.size();
        ++words;
        start = end == out.size() ? end : end + 3;
    }
    EXPECT_EQ(words, 2);
    EXPECT_EQ(firstLength, 12u + 52u);
    EXPECT_LE(9 + firstLength, 76u);
}

TEST(Utf8, Table) {
    EXPECT_TRUE(isValidUtf8("plain"));
    EXPECT_TRUE(isValidUtf8("\xDB\x81\xE9\x80\x9A\xF0\x9F\x98\x80"));
    EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(isValidUtf8("\xE9\x80"));          // truncated
    EXPECT_FALSE(isValidUtf8("\xFF"));
    EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Rfc5322Date, Table) {
    using namespace std::chrono;
    EXPECT_EQ(formatRfc5322Date(sys_days{2026y / November / 23} + 9h + 30min), "Mon, 23 Nov 2026 09:30:00 +0000");
    EXPECT_EQ(formatRfc5322Date(sys_days{2024y / February / 29} + 23h + 59min + 59s),
              "Thu, 29 Feb 2024 23:59:59 +0000");
    EXPECT_EQ(formatRfc5322Date(sys_days{1970y / January / 1}), "Thu, 1 Jan 1970 00:00:00 +0000");
}

TEST(LineEnds, Table) {
    EXPECT_EQ(normalizeLineEnds("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
    EXPECT_EQ(normalizeLineEnds("\r\r\n\n"), "\r\n\r\n\r\n");
}
