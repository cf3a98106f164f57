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
                  "customers.csv:5: column formats: expected formats separated by ; from large-print, braille, audio, "
                  "easy-read, found \"braile\"",
                  "customers.csv:5: column preferred_channel: expected email, post or phone, found \"fax\"",
              }));
}

TEST(LanguageTags, WellFormedTagsOnly) {
    for (const char* good : {"en-GB", "ur", "ur-PK", "yue-Hant", "zh-Hant-HK", "pl"}) EXPECT_TRUE(isLanguageTag(good)) << good;
    for (const char* bad : {"", "x", "en_GB_", "12", "ur--PK", "yue-Hant-"}) EXPECT_FALSE(isLanguageTag(bad)) << bad;
}
