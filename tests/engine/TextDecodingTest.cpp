// TextDecoding: a table of files as people save them → the UTF-8 Duly reads,
// or the line and words of the refusal.
#include "duly/engine/TextDecoding.h"

#include <gtest/gtest.h>

using namespace duly::engine;

namespace {

struct Read {
    std::string_view name;
    std::string_view bytes;
    TextEncoding encoding;
    std::string_view text;
};

struct Refused {
    std::string_view name;
    std::string_view bytes;
    std::size_t line;
    std::string_view error;
};

}  // namespace

TEST(TextDecoding, ReadsUtf8AndWindows1252) {
    const Read cases[] = {
        {"ascii", "a,b\r\n1,2\r\n", TextEncoding::Utf8, "a,b\r\n1,2\r\n"},
        {"empty", "", TextEncoding::Utf8, ""},
        {"utf-8", "Zo\xC3\xAB,\xC3\x8B\n", TextEncoding::Utf8, "Zo\xC3\xAB,\xC3\x8B\n"},
        {"utf-8 with bom", "\xEF\xBB\xBFZo\xC3\xAB\n", TextEncoding::Utf8WithBom, "Zo\xC3\xAB\n"},
        {"bom only", "\xEF\xBB\xBF", TextEncoding::Utf8WithBom, ""},
        // Excel's "CSV (Comma delimited)": ë = 0xEB, Ë = 0xCB, ’ = 0x92, € = 0x80, CRLF.
        {"windows-1252", "Zo\xEB,\xCB\r\nO\x92Neil \x80" "5\r\n", TextEncoding::Windows1252,
         "Zo\xC3\xAB,\xC3\x8B\r\nO\xE2\x80\x99Neil \xE2\x82\xAC" "5\r\n"},
        {"windows-1252 ending mid-sequence", "caf\xE9", TextEncoding::Windows1252, "caf\xC3\xA9"},
    };
    for (const auto& c : cases) {
        const DecodedText d = decodeText(c.bytes);
        EXPECT_EQ(d.error, "") << c.name;
        EXPECT_EQ(d.encoding, c.encoding) << c.name;
        EXPECT_EQ(d.text, c.text) << c.name;
    }
    EXPECT_EQ(decodeText("a\r\nb\r\nZo\xEB\r\n").firstConvertedLine, 3u);
}

TEST(TextDecoding, RefusesWithLineAndByte) {
    using namespace std::string_view_literals;
    const Refused cases[] = {
        {"undefined in windows-1252", "a\r\nb\x81\r\n", 2, "byte 0x81 is neither UTF-8 nor Windows-1252"},
        // The first Windows-1252 byte is fine; the undefined one is named.
        {"undefined after a good one", "Zo\xEB\nx\ny\x9D\n", 3, "byte 0x9D is neither UTF-8 nor Windows-1252"},
        {"mixed", "Zo\xC3\xAB\nZo\xEB\n", 2,
         "byte 0xEB is not UTF-8, but line 1 is UTF-8 (expected one encoding for the whole file, UTF-8 or Windows-1252)"},
        {"mixed, bad first", "Zo\xEB\n\nZo\xC3\xAB\n", 1,
         "byte 0xEB is not UTF-8, but line 3 is UTF-8 (expected one encoding for the whole file, UTF-8 or Windows-1252)"},
        {"bom then not utf-8", "\xEF\xBB\xBF" "a\nZo\xEB\n", 2,
         "byte 0xEB is not UTF-8, though the file starts with UTF-8's byte order mark (expected UTF-8 throughout)"},
        {"overlong utf-8 is not utf-8", "\xEF\xBB\xBF\xC0\xAF\n", 1,
         "byte 0xC0 is not UTF-8, though the file starts with UTF-8's byte order mark (expected UTF-8 throughout)"},
        {"nul", "a,b\nc\0d\n"sv, 2, "a NUL byte (expected text; is this a spreadsheet's own file rather than CSV?)"},
        {"utf-16", "\xFF\xFE" "a\0,\0"sv, 1, "the file is UTF-16 (expected UTF-8; in Excel, save as \"CSV UTF-8\")"},
        {"lone cr counts as a line end", "a\rb\rc\x8F", 3, "byte 0x8F is neither UTF-8 nor Windows-1252"},
    };
    for (const auto& c : cases) {
        const DecodedText d = decodeText(c.bytes);
        EXPECT_EQ(d.error, c.error) << c.name;
        EXPECT_EQ(d.errorLine, c.line) << c.name;
        EXPECT_EQ(d.text, "") << c.name;
    }
}

// Whatever the bytes, the result is refused, or the UTF-8 that came in, or
// a Windows-1252 conversion with no U+FFFD and no C1 control: every pair of
// bytes after a name. (A C1 control written in UTF-8 comes through here and
// is refused by the column it is in: DirectoryImportTest.)
TEST(TextDecoding, NoReplacementCharacterForAnyByte) {
    auto clean = [](const std::string& s) {
        if (s.find("\xEF\xBF\xBD") != std::string::npos) return false;
        for (std::size_t i = 0; i + 1 < s.size(); ++i)  // C1 controls are C2 80 … C2 9F
            if (s[i] == '\xC2' && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return false;
        return true;
    };
    int converted = 0, refused = 0;
    for (int a = 1; a < 256; ++a) {
        for (int b = 1; b < 256; ++b) {
            const std::string bytes = std::string("Zo") + char(a) + char(b) + "\r\n";
            const DecodedText d = decodeText(bytes);
            if (!d.error.empty()) {
                ++refused;
                EXPECT_EQ(d.text, "") << a << " " << b;
            } else if (d.encoding == TextEncoding::Windows1252) {
                ++converted;
                EXPECT_TRUE(clean(d.text)) << a << " " << b;
            } else {
                EXPECT_EQ(d.text, bytes) << a << " " << b;
            }
        }
    }
    EXPECT_GT(converted, 10000);
    EXPECT_GT(refused, 1000);
}
