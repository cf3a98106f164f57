// Charset: bytes in each charset Duly meets → UTF-8, and what happens with
// an unknown label or bytes a charset cannot map.
#include "duly/mail/Charset.h"

#include <gtest/gtest.h>

using namespace duly::mail;

namespace {

TEST(Charset, ConvertsEachCharsetToUtf8) {
    struct Case {
        std::string charset, bytes, utf8;
    };
    const std::vector<Case> cases = {
        {"utf-8", "caf\xC3\xA9", "café"},
        {"UTF8", "caf\xC3\xA9", "café"},
        {"iso-8859-1", "caf\xE9", "café"},
        {"ISO-8859-1", "\x93quoted\x94", "“quoted”"},       // read as windows-1252, as mail clients do
        {"us-ascii", "it\x92s", "it’s"},
        {"windows-1252", "\x80 5", "€ 5"},
        {"iso-8859-15", "\xA4", "€"},
        {"big5", "\xA7\x41\xA6\x6E", "你好"},
        {"Big5-HKSCS", "\x9D\xEF", "嘅"},                    // Cantonese, only in HKSCS
        {"big5", "\x9D\xEF", "嘅"},                          // big5 is read as Big5-HKSCS
        {"gb18030", "\xC4\xE3\xBA\xC3", "你好"},
        {"gb2312", "\xC4\xE3\xBA\xC3", "你好"},
        {"GB18030", "\x94\x39\xFC\x36", "\xF0\x9F\x98\x80"}, // a four-byte sequence: U+1F600
        {"shift_jis", "\x82\xB1\x82\xF1", "こん"},
        {"iso-2022-jp", "\x1B$B$3$s\x1B(B", "こん"},
        {"koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", "Привет"},
        {"windows-1256", "\xC7\xE1\xD3\xE1\xC7\xE3", "السلام"},
        {"", "plain", "plain"},
        {"utf-8", "bad\xFF", "bad\xEF\xBF\xBD"},
        {"utf-8", "cut\xE4\xBD", "cut\xEF\xBF\xBD"},
    };
    for (const auto& c : cases) {
        const DecodedText d = decodeCharset(c.bytes, c.charset);
        EXPECT_EQ(d.utf8, c.utf8) << c.charset;
        EXPECT_EQ(d.note, "") << c.charset;
    }
}

TEST(Charset, UnknownCharsetIsReadAsWindows1252WithANote) {
    const DecodedText d = decodeCharset("caf\xE9", "x-mac-klingon");
    EXPECT_EQ(d.utf8, "café");
    EXPECT_EQ(d.note, "charset \"x-mac-klingon\" is unknown; read as windows-1252");
    EXPECT_FALSE(knownCharset("x-mac-klingon"));
    EXPECT_TRUE(knownCharset("Big5-HKSCS"));
    const DecodedText shown = decodeCharset("a", std::string("bad\x01name\xFF", 9));
    EXPECT_EQ(shown.note, "charset \"bad?name?\" is unknown; read as windows-1252");
}

TEST(Charset, LongInputCrossesConverterBuffers) {
    std::string big5;
    for (int i = 0; i < 20000; ++i) big5 += "\xA7\x41";
    const DecodedText d = decodeCharset(big5, "big5");
    EXPECT_EQ(d.utf8.size(), 20000u * 3);
    EXPECT_EQ(d.utf8.substr(0, 3), "你");
}

}  // namespace

// U+0000 is no letter's text and PostgreSQL's text cannot hold it: every
// charset's NUL, and a NUL byte in a raw header, becomes U+FFFD, and what
// follows it is kept.
TEST(Charset, NulBecomesAReplacementCharacter) {
    EXPECT_EQ(decodeCharset(std::string("door\0sticks", 11), "utf-8").utf8, "door\xEF\xBF\xBDsticks");
    EXPECT_EQ(decodeCharset(std::string("caf\xE9\0!", 6), "iso-8859-1").utf8, "caf\xC3\xA9\xEF\xBF\xBD!");
    EXPECT_EQ(decodeCharset(std::string("\0a\0\0", 4), "utf-16be").utf8, "a\xEF\xBF\xBD");
}
