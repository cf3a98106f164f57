// duly store copy and check (StoreCopy.h): a SQLite store holding a row in
// every table — raw messages and attachments with NUL and non-UTF-8 bytes,
// NULL times, text in several scripts — copied to the test's store (a
// PostgreSQL database when ctest runs this binary through with-postgres, a
// second SQLite file otherwise) and back to a SQLite file, then compared
// table by table, row by row. A non-empty target is refused; a copy that
// fails half-way leaves the target empty; text PostgreSQL cannot hold is
// refused naming the table, column and row.
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/Migrations.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/store/StoreCopy.h"
#include "../support/SampleStore.h"
#include "../support/TestStore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Poco/Data/Session.h>

#include <algorithm>
#include <filesystem>

using namespace duly::engine;
using namespace Poco::Data::Keywords;
using duly::store::SqliteCaseStore;
using duly::store::StoreUrl;
using duly::testsupport::onPostgreSql;
using duly::testsupport::storeAt;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

Instant at(const char* t) { return parseRfc3339(t); }

const std::string kRaw("From: a@example.org\r\nSubject: =?utf-8?q?Damp?=\r\n\r\nIt is back.\0\xFF\xFE\x80 end\r\n", 58);
const std::string kScan("%PDF-1.4\n\0\x01\x02\xFF\xD8 binary", 22);

Case sampleCase(const std::string& reference, const char* received, const std::string& source) {
    Case c;
    c.reference = reference;
    c.charter = "progress";
    c.channel = Channel::Email;
    c.kind = Kind::ComplaintStage1;
    c.customerRef = "C10001";
    c.officerId = "jwong";
    c.subject = "Damp in the bedroom — Schimmel, плесень, カビ";
    c.received = at(received);
    c.countedFrom = parseDate("2026-11-23");
    c.acknowledgeBy = at("2026-11-30T17:00:00Z");
    c.respondBy = at("2026-12-07T17:00:00Z");
    c.items.push_back(Item{0, Channel::Email, c.received, c.subject, "It is back.\nTabs\tand \"quotes\" and 'single'",
                           source, "a@example.org"});
    c.items.front().attachments = {{"SCAN0042.PDF", "application/pdf", kScan}, {"empty.txt", "text/plain", ""}};
    c.events.push_back({0, EventType::Received, c.received, "duly", "email"});
    return c;
}

// A SQLite store at `file` with a row in every table.
void fillSample(const fs::path& file) {
    SqliteCaseStore store(StoreUrl::sqliteFile(file));
    const auto sample = fs::path(DULY_SOURCE_HOME) / "config" / "sample";
    importOfficers(duly::testsupport::readFile(sample / "officers.csv"), "officers.csv", store);
    importCustomers(duly::testsupport::readFile(sample / "customers.csv"), "customers.csv", store);
    for (int i = 1; i <= 3; ++i) {
        Case c = sampleCase(store.reserveReference("PHG", 2026), "2026-11-23T10:00:00Z",
                            "<m" + std::to_string(i) + "@example.org>");
        OutboundMessage ack;
        ack.caseReference = c.reference;
        ack.documentKey = "acknowledgement";
        ack.messageKey = "<" + c.reference + ".acknowledgement@duly.example.org>";
        ack.recipient = "a@example.org";
        ack.bytes = std::string("raw\0bytes\xFF", 10);
        ack.queuedAt = ack.nextAttemptAt = at("2026-11-23T10:00:01Z");
        store.createCaseWithMessages(c, kRaw, {ack});
    }
    store.addItem("PHG-2026-00001", Item{0, Channel::Letter, at("2026-11-24T09:00:00Z"), "", "", "scan-7.pdf", ""}, "",
                  {{0, EventType::Note, at("2026-11-24T09:00:00Z"), "jwong", "letter scanned"}});
    store.saveProgress("INBOX", {7, 42});
    store.quarantine({0, "INBOX", "<broken@example.org>", at("2026-11-24T09:30:00Z"), "no From header",
                      "PHG-2026-00002", std::string("\0\0broken\xC3", 9)});
    // The tables the API fills only through longer stories, directly.
    auto& s = store.session();
    s << "INSERT INTO extensions (case_id, number, working_days, reason, date_before, date_after, actor, at)"
         " VALUES (1, 1, 10, 'surveyor', NULL, 1765000000, 'jwong', 1764000000)",
        now;
    s << "INSERT INTO dates_given (case_id, document_key, date, given_at) VALUES (1, 'acknowledgement', 1765000000, 1764000000)",
        now;
    s << "INSERT INTO calls (case_id, number, at, actor, phone, outcome, purpose, note)"
         " VALUES (2, 1, 1764000000, 'jwong', '+44 20 7946 0000', 'answered', 'callback', '')",
        now;
    s << "INSERT INTO representatives (case_id, kind, name, email, address, consent_at, consent_how, send_to, added_by,"
         " added_at) VALUES (1, 'advocate', 'Zoë Ålund', 'z@example.org', 'Flat 1\n2 High St\nLS1 1AA', 1764000000,"
         " 'signed form', 'both', 'jwong', 1764000000)",
        now;
    s << "INSERT INTO remedies (case_id, kind, detail, due_by, amount_pence, actor, at)"
         " VALUES (1, 'payment', 'goodwill', '2026-12-20', 5000, 'jwong', 1764000000),"
         " (1, 'repair', 'fix the gutter', NULL, 0, 'jwong', 1764000001)",
        now;
    s << "INSERT INTO referrals (case_id, referred_at, outcome, outcome_at, actor) VALUES (1, 1764000000, '', NULL, 'jwong')",
        now;
    s << "INSERT INTO customer_changes (customer_ref, field, old_value, new_value, actor, at)"
         " VALUES ('C10001', 'email', 'old@example.org', 'new@example.org', 'jwong', 1764000000)",
        now;
    // The dashboard's sign-in records and audit log (migrations 17 and 18).
    s << "INSERT INTO web_sessions (id_hash, csrf, user_id, started, last_seen, must_change, credential)"
         " VALUES ('9f2c…hash', 'csrf-token', 'jwong', 1764000000, 1764000060, 1, 'cred-1')",
        now;
    s << "INSERT INTO sign_in_attempts (kind, name, at) VALUES ('account', 'jwong', 1764000000),"
         " ('address', '192.0.2.7', 1764000001)",
        now;
    s << "INSERT INTO audit_log (at, actor, action, subject, detail)"
         " VALUES (1764000000, 'jwong', 'viewed', 'PHG-2026-00001', 'case page')",
        now;
    s << "INSERT INTO instances (name, host, pid, started, last_seen, holds)"
         " VALUES ('a', 'host-1', 4242, 1764000000, 1764000005, 'mailbox:inbox\ntick')",
        now;
}

std::string encoded(const duly::store::Row& row) {
    std::string out;
    for (const auto& v : row)
        out += std::to_string(static_cast<int>(v.kind)) + ":" + std::to_string(v.integer) + ":" +
               std::to_string(v.bytes.size()) + ":" + v.bytes + "|";
    return out;
}

// Every row of every table of `a` is in `b`, and no other (schema_version,
// which records each store's own migrations, compared by version only).
void expectSameRows(SqliteCaseStore& a, SqliteCaseStore& b) {
    EXPECT_EQ(a.schemaVersion(), b.schemaVersion());
    const auto tables = duly::store::readSchema(a.session());
    const auto theirs = duly::store::readSchema(b.session());
    EXPECT_EQ(tables.size(), theirs.size());
    for (const auto& t : tables) {
        if (t.name == "schema_version") continue;
        auto left = duly::store::readRows(a.session(), t), right = duly::store::readRows(b.session(), t);
        ASSERT_EQ(left.size(), right.size()) << t.name;
        // Text keys sort differently on the two databases: compare as sets.
        auto byBytes = [](const auto& x, const auto& y) { return encoded(x) < encoded(y); };
        std::sort(left.begin(), left.end(), byBytes);
        std::sort(right.begin(), right.end(), byBytes);
        for (std::size_t i = 0; i < left.size(); ++i) EXPECT_EQ(encoded(left[i]), encoded(right[i])) << t.name << " row " << i;
    }
}

std::int64_t rowsIn(SqliteCaseStore& store) {
    std::int64_t all = 0;
    for (const auto& t : duly::store::readSchema(store.session()))
        if (t.name != "schema_version") all += static_cast<std::int64_t>(duly::store::readRows(store.session(), t).size());
    return all;
}

class StoreCopyTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = duly::testsupport::freshTestFolder("copy");
        fs::create_directories(_dir);
    }
    void TearDown() override { fs::remove_all(_dir); }
    fs::path _dir;
};

}  // namespace

TEST_F(StoreCopyTest, EveryTableIsCopiedThereAndBackRowForRow) {
    const auto source = _dir / "source.db", back = _dir / "back.db";
    fillSample(source);
    const StoreUrl middle = storeAt(_dir / "middle.db");
    {
        // The sample holds a row in every table, so every table's copy is
        // tested: a table a migration adds needs a row here.
        SqliteCaseStore s(StoreUrl::sqliteFile(source));
        for (const auto& t : duly::store::readSchema(s.session()))
            EXPECT_FALSE(duly::store::readRows(s.session(), t).empty())
                << t.name << " is empty in the sample: fill it in fillSample so that its copy is tested";
    }
    std::vector<std::string> progress;
    const auto there = duly::store::copyStore(StoreUrl::sqliteFile(source), middle,
                                              [&](const std::string& t, std::int64_t n, std::int64_t total) {
                                                  progress.push_back(t + " " + std::to_string(n) + "/" + std::to_string(total));
                                              });
    EXPECT_THAT(progress, ::testing::Contains("items 4/4"));
    // Parents before children.
    auto position = [&](const std::string& name) {
        return std::find_if(there.rows.begin(), there.rows.end(), [&](const auto& r) { return r.first == name; }) -
               there.rows.begin();
    };
    EXPECT_LT(position("cases"), position("items"));
    EXPECT_LT(position("items"), position("raw_items"));
    EXPECT_LT(position("items"), position("attachments"));

    duly::store::copyStore(middle, StoreUrl::sqliteFile(back));
    SqliteCaseStore a(StoreUrl::sqliteFile(source)), m(middle), b(StoreUrl::sqliteFile(back));
    expectSameRows(a, m);
    expectSameRows(a, b);
    // Through the API too: the bytes as received, exactly.
    const auto kase = m.findCase("PHG-2026-00001");
    ASSERT_TRUE(kase);
    EXPECT_EQ(m.rawItem(kase->items.front().id).value(), kRaw);
    EXPECT_EQ(m.attachments(kase->items.front().id).at(0).bytes, kScan);
    EXPECT_EQ(m.quarantined(10).at(0).raw, std::string("\0\0broken\xC3", 9));
    EXPECT_EQ(m.outbound("PHG-2026-00003").at(0).bytes, std::string("raw\0bytes\xFF", 10));
    EXPECT_FALSE(kase->acknowledgedAt);

    // check: the same rows and checksums on all three; references resolve.
    const auto ca = duly::store::checkStore(StoreUrl::sqliteFile(source));
    EXPECT_TRUE(ca.problems.empty()) << ca.problems.front();
    EXPECT_EQ(ca.schemaVersion, duly::store::migrations().back().version);
    EXPECT_TRUE(duly::store::compareChecks(ca, "source", duly::store::checkStore(middle), "middle").empty());
    EXPECT_TRUE(duly::store::compareChecks(ca, "source", duly::store::checkStore(StoreUrl::sqliteFile(back)), "back").empty());

    // New rows after the copy take new ids (PostgreSQL's sequences were moved on).
    Case next = sampleCase(m.reserveReference("PHG", 2026), "2026-11-25T10:00:00Z", "<m9@example.org>");
    EXPECT_EQ(next.reference, "PHG-2026-00004");
    const Case stored = m.createCaseWithMessages(next, "raw", {});
    EXPECT_EQ(m.findCase(stored.reference)->items.front().id, 5);
    EXPECT_THAT(duly::store::compareChecks(ca, "source", duly::store::checkStore(middle), "middle"),
                ::testing::Contains("cases: 3 rows in source, 4 in middle"));
}

TEST_F(StoreCopyTest, ANonEmptyTargetIsRefused) {
    const auto source = _dir / "source.db";
    fillSample(source);
    const StoreUrl target = storeAt(_dir / "target.db");
    {
        SqliteCaseStore t(target);
        t.saveProgress("INBOX", {1, 1});
    }
    try {
        duly::store::copyStore(StoreUrl::sqliteFile(source), target);
        FAIL() << "copied into a store that holds rows";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), target.shown() +
                                             ": the target store is not empty (mailbox_progress hold rows); copy into a "
                                             "new, empty store");
    }
    SqliteCaseStore t(target);
    EXPECT_EQ(rowsIn(t), 1);
    EXPECT_THROW(duly::store::copyStore(StoreUrl::sqliteFile(source), StoreUrl::sqliteFile(source)), InputError);
    try {
        duly::store::copyStore(StoreUrl::sqliteFile(_dir / "missing.db"), target);
        FAIL() << "copied from a file that does not exist";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  (_dir / "missing.db").string() + ": no such store (there is no SQLite file there)");
    }
    EXPECT_FALSE(fs::exists(_dir / "missing.db"));
}

TEST_F(StoreCopyTest, AFailureHalfWayLeavesTheTargetEmpty) {
    const auto source = _dir / "source.db";
    fillSample(source);
    const StoreUrl target = storeAt(_dir / "target.db");
    EXPECT_THROW(duly::store::copyStore(StoreUrl::sqliteFile(source), target,
                                        [](const std::string& table, std::int64_t, std::int64_t) {
                                            if (table == "items") throw std::runtime_error("the disk is full");
                                        }),
                 std::runtime_error);
    {
        SqliteCaseStore t(target);
        EXPECT_EQ(rowsIn(t), 0);
    }
    // And it can be tried again.
    duly::store::copyStore(StoreUrl::sqliteFile(source), target);
    SqliteCaseStore a(StoreUrl::sqliteFile(source)), t(target);
    expectSameRows(a, t);
}

// A NUL byte or bytes that are not UTF-8 in a text column: SQLite keeps
// them, PostgreSQL's text cannot; the copy says where instead of cutting.
TEST_F(StoreCopyTest, TextPostgreSqlCannotHoldIsRefusedByName) {
    const auto source = _dir / "source.db";
    fillSample(source);
    {
        SqliteCaseStore s(StoreUrl::sqliteFile(source));
        std::string body("before\0after", 12);
        s.session() << "UPDATE items SET body = ? WHERE id = 2", use(body), now;
    }
    const StoreUrl target = storeAt(_dir / "target.db");
    if (!onPostgreSql()) {
        duly::store::copyStore(StoreUrl::sqliteFile(source), target);
        SqliteCaseStore a(StoreUrl::sqliteFile(source)), t(target);
        expectSameRows(a, t);
        return;
    }
    try {
        duly::store::copyStore(StoreUrl::sqliteFile(source), target);
        FAIL() << "a NUL byte went into PostgreSQL's text";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "items.body (id 2): the text holds a NUL byte, which PostgreSQL's text cannot store");
    }
    {
        SqliteCaseStore s(StoreUrl::sqliteFile(source));
        std::string subject("Caf\xE9", 4);  // Latin-1
        s.session() << "UPDATE items SET body = '', subject = ? WHERE id = 2", use(subject), now;
    }
    try {
        duly::store::copyStore(StoreUrl::sqliteFile(source), target);
        FAIL() << "text that is not UTF-8 went into PostgreSQL";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "items.subject (id 2): the text is not valid UTF-8, which PostgreSQL's text cannot store");
    }
    SqliteCaseStore t(target);
    EXPECT_EQ(rowsIn(t), 0);
}

// A reference that does not resolve: a declared foreign key (SQLite lets
// one be broken with foreign_keys off; PostgreSQL refuses the row itself),
// and a queued message naming a case that is not there (not declared).
TEST_F(StoreCopyTest, CheckFindsAReferenceThatDoesNotResolve) {
    const StoreUrl where = storeAt(_dir / "store.db");
    {
        SqliteCaseStore s(where);
        Case c = sampleCase(s.reserveReference("PHG", 2026), "2026-11-23T10:00:00Z", "<m1@example.org>");
        OutboundMessage ack;
        ack.caseReference = "PHG-2026-09999";
        ack.documentKey = "acknowledgement";
        ack.messageKey = "<k@duly.example.org>";
        ack.recipient = "a@example.org";
        ack.bytes = "x";
        ack.queuedAt = ack.nextAttemptAt = at("2026-11-23T10:00:01Z");
        s.createCaseWithMessages(c, "raw", {ack});
        if (!onPostgreSql()) {
            s.session() << "PRAGMA foreign_keys = OFF", now;
            s.session() << "INSERT INTO events (case_id, type, at, actor, detail) VALUES (99, 'note', 1, 'x', '')", now;
        }
    }
    const auto check = duly::store::checkStore(where);
    if (onPostgreSql())
        EXPECT_THAT(check.problems, ::testing::ElementsAre("outbound: 1 row(s) name a case_reference that is not in cases"));
    else
        EXPECT_THAT(check.problems, ::testing::ElementsAre("events: 1 row(s) refer to cases rows that do not exist (row 2)",
                                                           "outbound: 1 row(s) name a case_reference that is not in cases"));
}
