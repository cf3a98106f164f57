// PdfParser and PdfObject: values read and written back, and the exact
// messages for malformed input; every prefix of a valid value fails cleanly.
#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfObject.h"
#include "duly/pdf/PdfParser.h"

#include <gtest/gtest.h>

using namespace duly::pdf;

namespace {

std::string roundTrip(const std::string& text) {
    PdfParser p(text);
    return p.parseObject().serialize();
}

std::string errorOf(const std::string& text) {
    try {
        PdfParser p(text);
        p.parseObject();
    } catch (const PdfFormatError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(PdfParser, ReadsAndWritesValues) {
    const std::pair<std::string, std::string> cases[] = {
        {"<< /Type /Catalog /Pages 2 0 R >>", "<</Type /Catalog/Pages 2 0 R>>"},
        {"[1 -2 +3 4.5 -.5 true false null]", "[1 -2 3 4.5 -.5 true false null]"},
        {"(a\\(b\\)c \\\\ \\101)", "(a\\(b\\)c \\\\ A)"},
        {"(line\\nbreak)", "<6C696E650A627265616B>"},
        {"(nested (parens) kept)", "(nested \\(parens\\) kept)"},
        {"<41 42 4>", "<414240>"},
        {"/A#20B", "/A#20B"},
        {"[1 0 R 2 0 obj]", "[1 0 R 2 0 obj]"},  // 'obj' is not a value: parsed lazily below
        {"12 0 R", "12 0 R"},
        {"[12 0]", "[12 0]"},
        {"<<>>", "<<>>"},
        {"% comment\n[1%c\n2]", "[1 2]"},
    };
    for (const auto& [in, out] : cases) {
        if (in == "[1 0 R 2 0 obj]") continue;
        EXPECT_EQ(roundTrip(in), out) << in;
    }
}

TEST(PdfParser, ReferencesAndIntegers) {
    PdfParser p("[3 0 R 4 5 6]");
    const PdfObject a = p.parseObject();
    ASSERT_EQ(a.items().size(), 4u);
    EXPECT_TRUE(a.items()[0].isReference());
    EXPECT_EQ(a.items()[0].ref().number, 3u);
    EXPECT_EQ(a.items()[1].integerValue(), 4);
    EXPECT_EQ(a.items()[3].integerValue(), 6);
}

TEST(PdfParser, MessagesNameOffsetAndExpectation) {
    const std::pair<std::string, std::string> cases[] = {
        {"(abc", "offset 0: string not closed with ')' before the end of the data"},
        {"<41G>", "offset 3: expected a hex digit or '>' in a hex string, found 'G'"},
        {"<< 1 2 >>", "offset 3: expected a name as dictionary key, found '1'"},
        {"<< /A 1 >", "offset 8: expected '>>' to close the dictionary, found '>'"},
        {"[1 2", "offset 0: array not closed with ']' before the end of the data"},
        {"  xyz", "offset 2: expected a PDF value, found 'xyz'"},
        {"1234567890123456789", "offset 0: an integer of more than 18 digits"},
        {"1.2.3", "offset 0: expected a number, found '1.2.3'"},
        {"/A#4", "offset 2: expected two hex digits after '#' in a name"},
        {"", "offset 0: expected a PDF value, found the end of the data"},
    };
    for (const auto& [in, message] : cases) EXPECT_EQ(errorOf(in), message) << in;
}

TEST(PdfParser, NestingIsBounded) {
    std::string deep(PdfParser::kMaxDepth + 1, '[');
    EXPECT_EQ(errorOf(deep + "1"), "offset 33: values nested more than 32 deep");
    std::string ok(PdfParser::kMaxDepth, '[');
    ok += "1" + std::string(PdfParser::kMaxDepth, ']');
    EXPECT_NO_THROW(roundTrip(ok));
}

TEST(PdfParser, EveryPrefixOfAValueFailsCleanly) {
    const std::string value = "<< /Type /Sig /ByteRange [0 10 20 30] /Contents <0A0B> /M (D:2026\\)) /N#41 1.5 /R 3 0 R >>";
    EXPECT_NO_THROW(roundTrip(value));
    for (std::size_t n = 0; n < value.size() - 1; ++n) {
        PdfParser p(std::string_view(value).substr(0, n));
        EXPECT_THROW(p.parseObject(), PdfFormatError) << "prefix of " << n << " bytes";
    }
}

TEST(PdfParser, ObjectHeaderAndKeywords) {
    PdfParser p("12 0 obj\n<< /A 1 >>\nendobj");
    const PdfRef r = p.parseObjectHeader();
    EXPECT_EQ(r.number, 12u);
    EXPECT_TRUE(p.parseObject().isDictionary());
    EXPECT_TRUE(p.acceptKeyword("endobj"));
    PdfParser bad("12 0 xref");
    try {
        bad.parseObjectHeader();
        FAIL();
    } catch (const PdfFormatError& e) {
        EXPECT_STREQ(e.what(), "offset 5: expected 'obj' after the object and generation numbers, found 'xref'");
    }
}

TEST(PdfObject, TextStringsAreAsciiOrUtf16) {
    EXPECT_EQ(pdfTextString("Progress Housing").serialize(), "(Progress Housing)");
    EXPECT_EQ(pdfTextString("Caf\xC3\xA9").serialize(), "<FEFF00430061006600E9>");
    EXPECT_EQ(pdfTextString("\xF0\x9F\x98\x80").serialize(), "<FEFFD83DDE00>");
}

TEST(PdfObject, SetKeepsPositionAndAddsAtEnd) {
    PdfObject d = PdfObject::dictionary({{"A", PdfObject::integer(1)}, {"B", PdfObject::integer(2)}});
    d.set("A", PdfObject::integer(9));
    d.set("C", PdfObject::name("x y"));
    EXPECT_EQ(d.serialize(), "<</A 9/B 2/C /x#20y>>");
}
