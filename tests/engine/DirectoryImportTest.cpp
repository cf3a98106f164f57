// Officers and customers from CSV: good rows import, every bad row gets a
// message naming its line and column, quoting and byte order marks are read
// as spreadsheets write them.
#include "duly/engine/Csv.h"
#include "duly/engine/DirectoryImport.h"

#include <gtest/gtest.h>

using namespace duly::engine;

TEST(Csv, QuotedFieldsLinesAndBom) {
    auto r = parseCsv("\xEF\xBB\xBF" "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\n");
    ASSERT_TRUE(r.error.empty());
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].fields, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(r.records[1].fields, (std::vector<std::string>{"x, y", "say \"hi\""}));
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.records[2].fields, (std::vector<std::string>{"two\nlines", "z"}));
    EXPECT_EQ(r.records[2].line, 4u);
}

TEST(Csv, UnclosedQuoteNamesItsLine) {
    auto r = parseCsv("a,b\n1,2\n3,\"open\n");
    EXPECT_EQ(r.error, "line 3: a quoted field is never closed");
}

TEST(Csv, EmptyTrailingFieldsAreKept) {
    auto r = parseCsv("a,b,c\n1,,\n");
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[1].fields, (std::vector<std::string>{"1", "", ""}));
}

TEST(OfficerImport, GoodAndBadRows) {
    const std::string csv =
        "id,name,position,email,phone,team,manager_id,role\n"
        "akhan,Aisha Khan,Customer Services Manager,a.khan@example.org,01772 450601,customer-services,,manager\n"
        "jsmith,John Smith,Customer Services Officer,jsmith,01772 450602,customer-services,akhan,officer\n"
        "lchan,Lily Chan,,l.chan@example.org,,customer-services,akhan,boss\n"
        "mpatel,Mo Patel,Complaints Officer,m.patel@example.org,,complaints,akhan,\n";
    std::vector<Officer> officers;
    auto report = readOfficers(csv, "officers.csv", officers);
    EXPECT_EQ(report.imported, 2u);
    ASSERT_EQ(officers.size(), 2u);
    EXPECT_EQ(officers[0].id, "akhan");
    EXPECT_EQ(officers[0].role, Role::Manager);
    EXPECT_EQ(officers[1].id, "mpatel");
    EXPECT_EQ(officers[1].role, Role::Officer);  // an empty role is an officer
    EXPECT_EQ(officers[1].managerId, "akhan");
    EXPECT_EQ(report.errors, (std::vector<std::string>{
                                 "officers.csv:3: column email: expected an email address such as "
                                 "j.smith@example.org, found \"jsmith\"",
                                 "officers.csv:4: column position: expected the officer's position, as signed on "
                                 "letters, found \"\"",
                                 "officers.csv:4: column role: expected officer, manager or administrator, found \"boss\"",
                             }));
}

TEST(OfficerImport, MissingColumnStopsTheFile) {
    std::vector<Officer> officers;
    auto report = readOfficers("id,name,email\nx,y,z@example.org\n", "officers.csv", officers);
    EXPECT_EQ(report.imported, 0u);
    EXPECT_EQ(report.errors, (std::vector<std::string>{
                                 "officers.csv:1: the header row has no column position, phone, team, manager_id, role"}));
}

TEST(CustomerImport, GoodAndBadRows) {
    const std::string csv =
        "reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,"
        "formats,preferred_channel\n"
        "C10001,Mrs Nasreen Akhtar,Dear Mrs Akhtar,n.akhtar@example.org,,12 Church Road,,,Leyland,pr25 3ab,ur,"
        "large-print,email\n"
        "C10002,Mr Wing Lee,,,,4 Mill Lane,,,Preston,PR1 1AA,yue-Hant,,post\n"
        "C10003,Ms Jo Bloggs,,,,,,,,,en-GB,,post\n"
        "C10004,Mr Ali,,ali@example,,,,,,,xx-!!,braile,fax\n"
        "\"C10005\",\"Dr Ann O'Neil, MBE\",,ann@example.org,,,,,,,,large-print; easy-read,\n";
    std::vector<Customer> customers;
    auto report = readCustomers(csv, "customers.csv", customers);
    ASSERT_EQ(customers.size(), 3u);
    EXPECT_EQ(report.imported, 3u);
    EXPECT_EQ(customers[0].postcode, "PR25 3AB");
    EXPECT_EQ(customers[0].language, "ur");
    EXPECT_EQ(customers[0].formats, (std::vector<std::string>{"large-print"}));
    EXPECT_EQ(customers[1].salutation, "Dear Mr Wing Lee");
    EXPECT_EQ(customers[1].preferredChannel, PreferredChannel::Post);
    EXPECT_EQ(customers[2].name, "Dr Ann O'Neil, MBE");
    EXPECT_EQ(customers[2].formats, (std::vector<std::string>{"large-print", "easy-read"}));
    EXPECT_EQ(customers[2].preferredChannel, PreferredChannel::Email);  // has an email, channel left empty
    EXPECT_EQ(report.errors,
              (std::vector<std::string>{
                  "customers.csv:4: column address_line_1: expected a postal address, because preferred_channel is "
                  "post, found \"\"",
                  "customers.csv:5: column email: expected an email address or nothing, found \"ali@example\"",
                  "customers.csv:5: column language: expected a BCP 47 language tag such as en-GB, ur or yue-Hant, "
                  "found \"xx-!!\"",
                  "customers.csv:5: column formats: expected formats separated by ; from standard, large-print, braille, audio, "
                  "easy-read, found \"braile\"",
                  "customers.csv:5: column preferred_channel: expected email, post or phone, found \"fax\"",
              }));
}

TEST(LanguageTags, WellFormedTagsOnly) {
    for (const char* good : {"en-GB", "ur", "ur-PK", "yue-Hant", "zh-Hant-HK", "pl"}) EXPECT_TRUE(isLanguageTag(good)) << good;
    for (const char* bad : {"", "x", "en_GB_", "12", "ur--PK", "yue-Hant-"}) EXPECT_FALSE(isLanguageTag(bad)) << bad;
}

using namespace std::string_literals;

namespace {
const std::string kCustomerHeader =
    "reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,"
    "formats,preferred_channel\r\n";
}

// Saved from Excel as "CSV (Comma delimited)": Windows-1252, CRLF line ends.
TEST(CustomerImport, ExcelWindows1252IsConvertedWithANote) {
    const std::string csv = kCustomerHeader +
                            "C30001,Ms Zo\xEB Br\xFB" "l\xE9,Dear Ms Br\xFB" "l\xE9,,,3 \xCB" "lan Court,,,Leyland,PR25 3AB,"
                            "en-GB,standard,post\r\n"
                            "C30002,Mr Se\xE1n O\x92Neill,,sean@example.org,,,,,,,en-GB,,email\r\n";
    std::vector<Customer> customers;
    auto report = readCustomers(csv, "customers.csv", customers);
    EXPECT_EQ(report.errors, std::vector<std::string>{});
    ASSERT_EQ(customers.size(), 2u);
    EXPECT_EQ(customers[0].name, "Ms Zo\u00EB Br\u00FBl\u00E9");
    EXPECT_EQ(customers[0].salutation, "Dear Ms Br\u00FBl\u00E9");
    EXPECT_EQ(customers[0].addressLine1, "3 \u00CBlan Court");
    EXPECT_EQ(customers[0].formats, std::vector<std::string>{});  // standard: nothing beyond standard print
    EXPECT_EQ(customers[1].name, "Mr Se\u00E1n O\u2019Neill");
    EXPECT_EQ(report.notes, (std::vector<std::string>{
                                "customers.csv: not UTF-8, so read as Windows-1252 (the first such character is on "
                                "line 2); if a name looks wrong, save the file as \"CSV UTF-8\" and import it again"}));
}

TEST(CustomerImport, Utf8WithAndWithoutBomHasNoNote) {
    const std::string rows = "C30003,Ms Zo\u00EB Kay,,zoe@example.org,,,,,,,en-GB,standard; braille,email\r\n";
    for (const std::string& csv : {"\xEF\xBB\xBF" + kCustomerHeader + rows, kCustomerHeader + rows}) {
        std::vector<Customer> customers;
        auto report = readCustomers(csv, "customers.csv", customers);
        EXPECT_EQ(report.errors, std::vector<std::string>{});
        EXPECT_EQ(report.notes, std::vector<std::string>{});
        ASSERT_EQ(customers.size(), 1u);
        EXPECT_EQ(customers[0].reference, "C30003");  // the byte order mark is not part of the first column's name
        EXPECT_EQ(customers[0].name, "Ms Zo\u00EB Kay");
        EXPECT_EQ(customers[0].formats, std::vector<std::string>{"braille"});
    }
}

TEST(CustomerImport, StandardAndLargePrintContradict) {
    std::vector<Customer> customers;
    auto report = readCustomers(kCustomerHeader + "C30004,Mr A Bee,,a@example.org,,,,,,,en-GB,Standard;large-print,email\r\n",
                                "customers.csv", customers);
    EXPECT_TRUE(customers.empty());
    EXPECT_EQ(report.errors, (std::vector<std::string>{"customers.csv:2: column formats: expected standard or large-print, "
                                                       "not both, found \"Standard;large-print\""}));
}

TEST(CustomerImport, NeitherUtf8NorWindows1252IsRefusedWhole) {
    std::vector<Customer> customers;
    auto report = readCustomers(kCustomerHeader + "C30005,Ms Zo\xEB Kay,,,,,,,,,en-GB,,email\r\n"
                                                  "C30006,Mr Ab\x81 Cee,,c@example.org,,,,,,,en-GB,,email\r\n",
                                "customers.csv", customers);
    EXPECT_TRUE(customers.empty());
    EXPECT_EQ(report.imported, 0u);
    EXPECT_EQ(report.errors, (std::vector<std::string>{"customers.csv:3: byte 0x81 is neither UTF-8 nor Windows-1252"}));
}

// A row that already holds U+FFFD (a program lost a letter before Duly saw
// the file) or a C1 control is refused, so neither reaches a letter.
TEST(CustomerImport, ReplacementCharacterAndC1ControlsNeverReachACustomer) {
    std::vector<Customer> customers;
    auto report = readCustomers(kCustomerHeader + "C30007,Ms Zo\uFFFD Kay,,z@example.org,,,,,,,en-GB,,email\r\n"
                                                  "C30008,Mr Al\xC2\x85i,,a@example.org,,,,,,,en-GB,,email\r\n"
                                                  "C30009,Ms Good Row,,g@example.org,,,,,,,en-GB,,email\r\n",
                                "customers.csv", customers);
    ASSERT_EQ(customers.size(), 1u);
    EXPECT_EQ(customers[0].reference, "C30009");
    EXPECT_EQ(report.errors,
              (std::vector<std::string>{
                  "customers.csv:2: column name: expected the customer's name without U+FFFD, the character a program "
                  "leaves where it lost a letter, found \"Ms Zo\uFFFD Kay\"",
                  "customers.csv:3: column name: expected the customer's name without control characters, found "
                  "\"Mr Al\xC2\x85i\""}));
}

// A name made only of bidi marks and spaces shows nothing: it would leave a
// letter's greeting empty ("Dear ,"), so the row is refused.
TEST(CustomerImport, ANameThatShowsNothingIsRefused) {
    std::vector<Customer> customers;
    const std::string marks = "\u200F \u200E\u2067";  // RLM, a space, LRM, RLI
    auto report = readCustomers(kCustomerHeader + "C30010," + marks + ",,z@example.org,,,,,,,en-GB,,email\r\n"
                                                  "C30011,\u200FMs Noor Ali,,n@example.org,,,,,,,ur,,email\r\n",
                                "customers.csv", customers);
    ASSERT_EQ(customers.size(), 1u);
    EXPECT_EQ(customers[0].reference, "C30011");  // a mark beside letters is fine
    EXPECT_EQ(report.errors,
              (std::vector<std::string>{"customers.csv:2: column name: expected the customer's name with a letter or "
                                        "digit that shows, found \"" + marks + "\""}));
}

// What a stranger might send as a "customers file".
TEST(CustomerImport, HostileFilesAreRefusedWithTheirLine) {
    auto errorsOf = [](const std::string& csv) {
        std::vector<Customer> customers;
        auto report = readCustomers(csv, "customers.csv", customers);
        EXPECT_TRUE(customers.empty());
        return report.errors;
    };
    EXPECT_EQ(errorsOf(kCustomerHeader + "C1,Ms A\0B,,,,,,,,,,,email\r\n"s),
              std::vector<std::string>{
                  "customers.csv:2: a NUL byte (expected text; is this a spreadsheet's own file rather than CSV?)"});
    EXPECT_EQ(errorsOf(kCustomerHeader + "C1," + std::string(70000, 'x') + ",,,,,,,,,,,email\r\n"),
              std::vector<std::string>{"customers.csv: line 2: a field is longer than 64 KiB"});
    EXPECT_EQ(errorsOf(kCustomerHeader + "C1" + std::string(5000, ',') + "\r\n"),
              std::vector<std::string>{"customers.csv: line 2: more than 1024 fields"});
    EXPECT_EQ(errorsOf("\xFF\xFEr\0e\0f\0"s),
              std::vector<std::string>{
                  "customers.csv:1: the file is UTF-16 (expected UTF-8; in Excel, save as \"CSV UTF-8\")"});
    // A formula where the reference goes: the reference is written into the
    // print run's manifest CSV, so it must start with a letter or digit.
    EXPECT_EQ(errorsOf(kCustomerHeader + "-2+3,Ms A Bee,,a@example.org,,,,,,,en-GB,,email\r\n" +
                       "\"=cmd|' /C calc'!A0\",Ms A Bee,,a@example.org,,,,,,,en-GB,,email\r\n"),
              (std::vector<std::string>{
                  "customers.csv:2: column reference: expected a reference of letters, digits, . _ -, starting with "
                  "a letter or digit, found \"-2+3\"",
                  "customers.csv:3: column reference: expected a reference of letters, digits, . _ -, starting with "
                  "a letter or digit, found \"=cmd|' /C calc'!A0\""}));
}
