// Data protection against a real SQLite file: erasing a customer removes
// their name, address and words from the file itself (read back as bytes)
// while the charter report for the period gives the same figures; the
// other customer's data is untouched; corrections keep their history; the
// rules for refusing an erasure and for retention periods; the [retention]
// table of a charter file.
#include "duly/engine/CharterFile.h"
#include "duly/engine/DataProtection.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "../support/TestStore.h"
#include "duly/web/Report.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

using namespace duly::engine;
using duly::store::SqliteCaseStore;
using duly::testsupport::storeAt;
using duly::store::test::TempDir;
namespace fs = std::filesystem;

namespace {

Instant at(const char* t) { return parseRfc3339(t); }

std::string fileBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The store file and its journal, as bytes. On PostgreSQL, whose files
// are the server's, the counterpart: every value of every column of every
// table as the database gives it back (bytea as text with only unprintable
// bytes escaped), so what erasure must remove is searched where a
// reader of the database could find it. (PostgreSQL keeps no
// secure_delete: see SqliteCaseStore::rewriteFile.)
std::string storeBytes(const fs::path& db) {
    if (duly::testsupport::onPostgreSql()) {
        SqliteCaseStore store(storeAt(db));
        std::lock_guard lock(store.mutex());
        std::vector<std::string> tables, columns, types;
        store.session() << "SELECT table_name, column_name, data_type FROM information_schema.columns"
                           " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            Poco::Data::Keywords::into(tables), Poco::Data::Keywords::into(columns), Poco::Data::Keywords::into(types),
            Poco::Data::Keywords::now;
        std::string all;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            const std::string value = types[i] == "bytea" ? "encode(\"" + columns[i] + "\", 'escape')"
                                                          : "CAST(\"" + columns[i] + "\" AS text)";
            std::vector<std::string> values;
            store.session() << "SELECT COALESCE(" + value + ", '') FROM \"" + tables[i] + "\"",
                Poco::Data::Keywords::into(values), Poco::Data::Keywords::now;
            for (const auto& v : values) all += v + "\n";
        }
        return all;
    }
    std::string all = fileBytes(db);
    if (fs::exists(db.string() + "-wal")) all += fileBytes(db.string() + "-wal");
    return all;
}

Customer customer(const std::string& ref, const std::string& name, const std::string& email) {
    Customer c;
    c.reference = ref;
    c.name = name;
    c.email = email;
    c.addressLine1 = "7 Quillfeather Row";
    c.postcode = "PR25 3AB";
    return c;
}

// A closed email enquiry answered on time, with an attachment, a raw
// message and an acknowledgement emailed to the customer.
Case emailCase(SqliteCaseStore& store, const Customer& who, const std::string& words, const char* received) {
    Case c;
    c.reference = store.reserveReference("PHG", 2026);
    c.charter = "progress";
    c.channel = Channel::Email;
    c.kind = Kind::Enquiry;
    c.customerRef = who.reference;
    c.officerId = "sali";
    c.subject = words + " (subject)";
    c.received = at(received);
    c.countedFrom = ZoneRules::london().toLocal(c.received).date;
    c.acknowledgeBy = c.received + std::chrono::hours{30};
    c.respondBy = c.received + std::chrono::days{7};
    c.acknowledgedAt = c.received + std::chrono::hours{1};
    c.items.push_back(Item{0, Channel::Email, c.received, words + " (subject)", words, "<" + c.reference + "@mail.example.org>",
                           who.name + " <" + who.email + ">", {{"photo of " + who.name + ".jpg", "image/jpeg", "JPEG:" + words}}, {}});
    c.events.push_back({0, EventType::Received, c.received, "duly", "email from " + who.email});
    OutboundMessage ack;
    ack.caseReference = c.reference;
    ack.documentKey = "acknowledgement";
    ack.route = OutboundMessage::Route::Email;
    ack.messageKey = "<" + c.reference + ".acknowledgement@duly.example.org>";
    ack.recipient = who.email;
    ack.bytes = "To: " + who.name + " <" + who.email + ">\r\n\r\nDear " + who.name + ", about: " + words + "\r\n";
    ack.queuedAt = c.received;
    ack.nextAttemptAt = c.received;
    Case stored = store.createCaseWithMessages(c, "From: " + who.email + "\r\n\r\n" + words + "\r\n", {ack});
    Case closed = *store.findCase(stored.reference);
    closed.repliedAt = c.received + std::chrono::days{2};
    closed.state = CaseState::Closed;
    closed.closedAt = c.received + std::chrono::days{3};
    store.updateCase(closed, {{0, EventType::Replied, *closed.repliedAt, "sali", "reply sent to " + who.email},
                              {0, EventType::Closed, *closed.closedAt, "sali", ""}});
    return *store.findCase(stored.reference);
}

std::string reportFor(const SqliteCaseStore& store, duly::web::ReportBy by) {
    duly::web::ReportInputs inputs;
    inputs.workingDaysToReply = [](const Case& c) {
        return static_cast<int>((ZoneRules::london().toLocal(*c.repliedAt).date - c.countedFrom).count());
    };
    inputs.teamOf = [](const std::string&) { return std::string("customer-services"); };
    const auto cases = store.casesReceived(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
    return duly::web::reportCsv(duly::web::buildReport(cases, parseDate("2026-01-01"), parseDate("2026-12-31"), by,
                                                       at("2026-12-07T12:00:00Z"), inputs));
}

TEST(PersonalDataTest, ErasureRemovesTheBytesAndKeepsTheReportFigures) {
    TempDir dir;
    const fs::path db = dir / "duly.db";
    std::string reference;
    std::string reportsBefore;
    {
        SqliteCaseStore store(storeAt(db));
        const Customer zanthia = customer("C1", "Zanthia Oyelaran", "zanthia.oyelaran@example.org");
        const Customer barnaby = customer("C2", "Barnaby Quennell", "barnaby.quennell@example.org");
        store.upsertCustomer(zanthia);
        store.upsertCustomer(barnaby);
        reference = emailCase(store, zanthia, "the grinding boiler in flat nine", "2026-03-02T10:00:00Z").reference;
        emailCase(store, zanthia, "a second note about the marigold gate", "2026-04-06T10:00:00Z");
        emailCase(store, barnaby, "the heron fence leans", "2026-05-04T10:00:00Z");
        // A copy in quarantine, and an officer's digest that lists the case
        // with its subject (it belongs to no case of its own).
        QuarantinedMessage q;
        q.mailbox = "inbox";
        q.messageKey = "<q1@example.org>";
        q.received = at("2026-03-02T10:00:00Z");
        q.reason = "unreadable part";
        q.caseReference = reference;
        q.raw = "From: zanthia.oyelaran@example.org\r\n\r\nthe quarantined copy of the grinding boiler\r\n";
        store.quarantine(q);
        OutboundMessage digest;
        digest.documentKey = "digest-sali-2026-03-03";
        digest.messageKey = "<digest-sali-2026-03-03@duly.example.org>";
        digest.recipient = "sali@example.org";
        digest.bytes = "Due today: " + reference + " Zanthia Oyelaran: the grinding boiler in flat nine (subject)\r\n";
        digest.queuedAt = at("2026-03-03T07:00:00Z");
        digest.nextAttemptAt = digest.queuedAt;
        OutboundMessage otherDigest = digest;
        otherDigest.documentKey = "digest-jwong-2026-05-05";
        otherDigest.messageKey = "<digest-jwong-2026-05-05@duly.example.org>";
        otherDigest.bytes = "Due today: the heron fence digest line\r\n";
        store.queueMessages({digest, otherDigest});
        store.correctCustomer(customer("C1", "Zanthia Oyelaran-Brisk", "zanthia.oyelaran@example.org"),
                              {{"name", "Zanthia Oyelaran", "Zanthia Oyelaran-Brisk", "rhughes", at("2026-06-01T09:00:00Z")}});
        for (auto by : {duly::web::ReportBy::Charter, duly::web::ReportBy::Channel, duly::web::ReportBy::Kind,
                        duly::web::ReportBy::Officer, duly::web::ReportBy::Month})
            reportsBefore += reportFor(store, by);
    }
    // Before: the words are in the file (so the search below can find them).
    for (const char* needle : {"Zanthia", "zanthia.oyelaran@example.org", "grinding boiler", "marigold gate",
                               "quarantined copy", "Due today: PHG-2026-00001 Zanthia"})
        ASSERT_NE(storeBytes(db).find(needle), std::string::npos) << needle;

    SqliteCaseStore store(storeAt(db));
    const auto refs = store.casesOfCustomer("C1");
    ASSERT_EQ(refs.size(), 2u);
    const auto done = store.anonymise(refs, "C1", {0, EventType::Note, at("2026-12-07T12:00:00Z"), "rhughes", "personal data erased"});
    EXPECT_EQ(done.cases, 2u);
    EXPECT_TRUE(done.journalEmptied);
    EXPECT_EQ(done.anonymousId.size(), 5u + 16u);
    EXPECT_EQ(done.anonymousId.rfind("anon-", 0), 0u);

    const std::string after = storeBytes(db);
    for (const char* needle : {"Zanthia", "zanthia.oyelaran@example.org", "Oyelaran", "grinding boiler", "marigold gate",
                               "JPEG:the grinding", "quarantined copy"})
        EXPECT_EQ(after.find(needle), std::string::npos) << needle << " is still in the store file";
    // The other customer's data is all there.
    for (const char* needle : {"Barnaby Quennell", "barnaby.quennell@example.org", "heron fence", "the heron fence digest line"})
        EXPECT_NE(after.find(needle), std::string::npos) << needle;

    std::string reportsAfter;
    for (auto by : {duly::web::ReportBy::Charter, duly::web::ReportBy::Channel, duly::web::ReportBy::Kind,
                    duly::web::ReportBy::Officer, duly::web::ReportBy::Month})
        reportsAfter += reportFor(store, by);
    EXPECT_EQ(reportsAfter, reportsBefore);
    EXPECT_NE(reportsBefore.find("All,3,"), std::string::npos) << reportsBefore;

    EXPECT_FALSE(store.customer("C1"));
    EXPECT_TRUE(store.customerChanges("C1").empty());
    EXPECT_TRUE(store.casesOfCustomer("C1").empty());
    const Case kept = *store.findCase(reference);
    EXPECT_EQ(kept.customerRef, done.anonymousId);
    EXPECT_EQ(kept.subject, "");
    EXPECT_EQ(kept.items.at(0).body, "");
    EXPECT_EQ(kept.items.at(0).from, "");
    EXPECT_FALSE(store.rawItem(kept.items.at(0).id));
    EXPECT_TRUE(store.attachments(kept.items.at(0).id).empty());
    EXPECT_EQ(store.outbound(reference).at(0).bytes, "");
    EXPECT_EQ(store.outbound(reference).at(0).recipient, "");
    EXPECT_EQ(kept.events.back().detail, "personal data erased");
    EXPECT_EQ(kept.closedAt, at("2026-03-05T10:00:00Z"));
    // Both cases carry the same anonymous id; the other customer's are theirs.
    EXPECT_EQ(store.findCase(refs[1])->customerRef, done.anonymousId);
    EXPECT_TRUE(store.quarantined(10).empty());
    EXPECT_EQ(store.casesOfCustomer("C2").size(), 1u);
    // Anonymising again changes nothing more.
    EXPECT_EQ(store.anonymise(refs, "", {0, EventType::Note, at("2026-12-08T12:00:00Z"), "duly", "again"}).cases, 0u);
    EXPECT_EQ(store.findCase(reference)->events.back().detail, "personal data erased");
}

TEST(PersonalDataTest, AnUnknownCaseIsRefusedAndNothingChanges) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    const Customer c = customer("C1", "Ada Quist", "ada@example.org");
    store.upsertCustomer(c);
    const auto ref = emailCase(store, c, "a loose tile", "2026-03-02T10:00:00Z").reference;
    try {
        store.anonymise({ref, "PHG-2026-99999"}, "C1", {0, EventType::Note, at("2026-12-07T12:00:00Z"), "x", "erased"});
        FAIL() << "no error for an unknown case";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "no case PHG-2026-99999");
    }
    EXPECT_EQ(store.findCase(ref)->subject, "a loose tile (subject)");
    EXPECT_TRUE(store.customer("C1"));
}

TEST(PersonalDataTest, CorrectionsAreKeptWithWhoAndWhen) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    Customer c = customer("C1", "Ada Quist", "ada@example.org");
    store.upsertCustomer(c);
    std::vector<CustomerChange> changes;
    for (auto [field, value] : {std::pair<std::string, std::string>{"postcode", "pr25 9zz"}, {"formats", "Braille, audio"},
                                {"preferred-contact", "post"}, {"email", "ada@example.org"}})
        if (auto ch = correctField(c, field, value, "rhughes", at("2026-12-01T10:00:00Z"))) changes.push_back(*ch);
    ASSERT_EQ(changes.size(), 3u);  // the email is unchanged
    store.correctCustomer(c, changes);
    const auto stored = *store.customer("C1");
    EXPECT_EQ(stored.postcode, "PR25 9ZZ");
    EXPECT_EQ(stored.formats, (std::vector<std::string>{"braille", "audio"}));
    EXPECT_EQ(stored.preferredChannel, PreferredChannel::Post);
    const auto history = store.customerChanges("C1");
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].field, "postcode");
    EXPECT_EQ(history[0].before, "PR25 3AB");
    EXPECT_EQ(history[0].after, "PR25 9ZZ");
    EXPECT_EQ(history[0].actor, "rhughes");
    EXPECT_EQ(history[0].at, at("2026-12-01T10:00:00Z"));
    EXPECT_EQ(history[1].before, "");
    EXPECT_EQ(history[1].after, "braille,audio");
    EXPECT_EQ(history[2].before, "email");
    EXPECT_EQ(history[2].after, "post");

    Customer nobody = customer("C9", "No One", "");
    EXPECT_THROW(store.correctCustomer(nobody, {}), InputError);
    EXPECT_FALSE(store.customer("C9"));
}

TEST(PersonalDataTest, BadCorrectionsNameTheFieldAndTheValue) {
    Customer c = customer("C1", "Ada Quist", "ada@example.org");
    const Instant t = at("2026-12-01T10:00:00Z");
    const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> table = {
        {{"postcode", "XYZ"}, "--postcode: expected a UK postcode such as PR25 2LW, or nothing, found \"XYZ\""},
        {{"email", "ada at example"}, "--email: expected an email address such as j.smith@example.org, or nothing, found \"ada at example\""},
        {{"name", "  "}, "--name: expected the customer's name, found \"\""},
        {{"name", "Ada\nQuist"}, "--name: expected text on one line without control characters, found \"Ada\nQuist\""},
        {{"formats", "braille,sign-language"}, "--formats: expected formats separated by commas from large-print, braille, audio, easy-read, or nothing, found \"braille,sign-language\""},
        {{"language", "not a tag!"}, "--language: expected a BCP 47 language tag such as en-GB, ur or yue-Hant, found \"not a tag!\""},
        {{"preferred-contact", "pigeon"}, "--preferred-contact: expected email, post or phone, found \"pigeon\""},
        {{"colour", "red"}, "unknown field \"colour\" (accepted: name, salutation, email, phone, address-line-1, address-line-2, address-line-3, town, postcode, language, formats, preferred-contact)"},
    };
    for (const auto& [input, message] : table) {
        Customer copy = c;
        try {
            correctField(copy, input.first, input.second, "x", t);
            ADD_FAILURE() << input.first << " " << input.second << ": no error";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), message);
        }
        EXPECT_EQ(copy, c) << input.first;
    }
    Customer noEmail = c;
    ASSERT_TRUE(correctField(noEmail, "email", "", "x", t));
    EXPECT_THROW(checkCorrectedCustomer(noEmail), InputError);
}

Case closedCase(Kind kind, const char* closed, const char* replied = nullptr) {
    Case c;
    c.reference = "PHG-2026-00001";
    c.kind = kind;
    c.state = CaseState::Closed;
    c.closedAt = at(closed);
    if (replied) c.repliedAt = at(replied);
    return c;
}

TEST(DataProtectionTest, RetentionEndsYearsAfterClosing) {
    RetentionSchedule defaults;
    EXPECT_EQ(retentionEnds(closedCase(Kind::Enquiry, "2024-03-05T10:00:00Z"), defaults), at("2026-03-05T10:00:00Z"));
    EXPECT_EQ(retentionEnds(closedCase(Kind::ComplaintStage2, "2020-01-31T10:00:00Z"), defaults), at("2026-01-31T10:00:00Z"));
    EXPECT_EQ(retentionEnds(closedCase(Kind::Enquiry, "2024-02-29T10:00:00Z"), defaults), at("2026-03-01T10:00:00Z"));
    RetentionSchedule custom;
    custom.years[Kind::Compliment] = 1;
    EXPECT_EQ(retentionEnds(closedCase(Kind::Compliment, "2025-06-01T10:00:00Z"), custom), at("2026-06-01T10:00:00Z"));
    Case open = closedCase(Kind::Enquiry, "2024-03-05T10:00:00Z");
    open.state = CaseState::Open;
    open.closedAt.reset();
    EXPECT_FALSE(retentionEnds(open, defaults));
}

TEST(DataProtectionTest, ErasureIsRefusedForAnOpenCaseOrAComplaintStillReferable) {
    Case open = closedCase(Kind::Enquiry, "2026-01-05T10:00:00Z");
    open.reference = "PHG-2026-00004";
    open.state = CaseState::Open;
    EXPECT_EQ(erasureRefusal({closedCase(Kind::Enquiry, "2026-01-05T10:00:00Z"), open}, at("2026-12-07T10:00:00Z")),
              "case PHG-2026-00004 is still open");
    const Case complaint = closedCase(Kind::ComplaintStage1, "2026-02-10T10:00:00Z", "2026-02-09T10:00:00Z");
    EXPECT_EQ(erasureRefusal({complaint}, at("2026-12-07T10:00:00Z")),
              "complaint PHG-2026-00001 was answered on 2026-02-10 and the customer may refer it to the Housing "
              "Ombudsman until 2027-02-10");
    EXPECT_EQ(erasureRefusal({complaint}, at("2027-02-10T10:00:00Z")), std::nullopt);
    EXPECT_EQ(erasureRefusal({closedCase(Kind::Enquiry, "2026-12-01T10:00:00Z")}, at("2026-12-07T10:00:00Z")),
              std::nullopt);
}

TEST(DataProtectionTest, ACharterSaysHowLongEachKindIsKept) {
    const std::string base = "name = \"t\"\nreference_prefix = \"TT\"\n[organisation]\nname = \"T\"\n"
                             "[calendar]\nregion = \"england-and-wales\"\n[calendar.hours]\nmonday = \"09:00-17:00\"\n"
                             "[[rule]]\nkinds = [\"enquiry\"]\nrespond_within = 5\n";
    const fs::path calendars = fs::path(DULY_SOURCE_HOME) / "config" / "calendars";
    const Charter c = parseCharter(base + "[retention]\nenquiry = 3\ncompliment = 1\n", "t.toml", calendars);
    EXPECT_EQ(c.retention.yearsFor(Kind::Enquiry), 3);
    EXPECT_EQ(c.retention.yearsFor(Kind::Compliment), 1);
    EXPECT_EQ(c.retention.yearsFor(Kind::ComplaintStage1), 6);
    EXPECT_EQ(parseCharter(base, "t.toml", calendars).retention.yearsFor(Kind::Enquiry), 2);
    auto message = [&](const std::string& retention) {
        try {
            parseCharter(base + retention, "t.toml", calendars);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("[retention]\nenquiry = 0\n"),
              "t.toml:13: retention.enquiry: expected a whole number of years from 1 to 100, found 0");
    EXPECT_EQ(message("[retention]\nletters = 2\n"),
              "t.toml:13: retention.letters: unknown kind (accepted: " + acceptedKinds() + ")");
    EXPECT_EQ(message("[retention]\nenquiry = \"two\"\n"),
              "t.toml:13: retention.enquiry: expected a whole number of years from 1 to 100, found \"two\"");
}

}  // namespace

TEST(PersonalDataTest, ErasureRemovesTheRepresentativeAndTheRemediesWordsButKeepsTheFigures) {
    TempDir dir;
    const fs::path db = dir / "duly.db";
    SqliteCaseStore store(storeAt(db));
    const Customer zanthia = customer("C1", "Zanthia Oyelaran", "zanthia.oyelaran@example.org");
    store.upsertCustomer(zanthia);
    const std::string reference = emailCase(store, zanthia, "the grinding boiler", "2026-03-02T10:00:00Z").reference;
    Representative rep;
    rep.kind = RepresentativeKind::Relative;
    rep.name = "Quorinda Oyelaran";
    rep.email = "quorinda.oyelaran@example.org";
    rep.address = {"9 Thistledown Lane", "Leyland", "PR25 9ZZ"};
    rep.consentAt = at("2026-03-02T09:00:00Z");
    rep.consentHow = "phone call with Zanthia";
    rep.addedBy = "sali";
    rep.addedAt = at("2026-03-02T11:00:00Z");
    store.setRepresentative(reference, rep, {0, EventType::Representative, rep.addedAt, "sali", "added Quorinda"});
    store.addRemedy(reference, Remedy{0, RemedyKind::Goodwill, "for Quorinda's wasted journey", std::nullopt, 2500, "sali",
                                      at("2026-03-04T10:00:00Z")},
                    {0, EventType::Remedy, at("2026-03-04T10:00:00Z"), "sali", "goodwill"});
    store.setReferral(reference, Referral{at("2026-06-01T09:00:00Z"), "", std::nullopt, "sali"},
                      {0, EventType::Referral, at("2026-06-01T09:00:00Z"), "sali", "referred"});
    ASSERT_NE(storeBytes(db).find("Quorinda"), std::string::npos);

    store.anonymise({reference}, "C1", {0, EventType::Note, at("2026-12-07T12:00:00Z"), "rhughes", "personal data erased"});
    const std::string after = storeBytes(db);
    for (const char* needle : {"Quorinda", "quorinda.oyelaran@example.org", "Thistledown", "PR25 9ZZ", "phone call with"})
        EXPECT_EQ(after.find(needle), std::string::npos) << needle << " is still in the store file";
    const Case kept = *store.findCase(reference);
    EXPECT_FALSE(kept.representative);
    ASSERT_EQ(kept.remedies.size(), 1u);
    EXPECT_EQ(kept.remedies[0].kind, RemedyKind::Goodwill);
    EXPECT_EQ(kept.remedies[0].amountPence, 2500);
    EXPECT_EQ(kept.remedies[0].detail, "");
    ASSERT_TRUE(kept.referral);
    EXPECT_EQ(kept.referral->referredAt, at("2026-06-01T09:00:00Z"));
}
