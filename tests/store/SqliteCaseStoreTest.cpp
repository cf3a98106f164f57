// The SQLite case store against real files: every field of officers,
// customers, cases, items and events survives a round trip (and a reopen);
// references follow "PREFIX-YEAR-NNNNN" per prefix and year, also with
// several threads and connections; updates replace and append in one
// transaction; a failing write leaves nothing behind; due lists follow the
// rules of CaseStore.h in due order.
#include "TempDir.h"

#include "duly/engine/InputError.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/store/StoreError.h"
#include "../support/TestStore.h"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

using namespace Poco::Data::Keywords;
using namespace duly::engine;
using namespace std::chrono_literals;
using duly::store::SqliteCaseStore;
using duly::testsupport::storeAt;
using duly::store::test::TempDir;
using std::chrono::December;
using std::chrono::November;
using std::chrono::sys_days;

namespace {

// Monday 23 November 2026, 09:00 UTC.
const Instant kMonday = sys_days{2026y / November / 23} + 9h;

Instant at(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
    return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} +
           std::chrono::hours{hour} + std::chrono::minutes{minute};
}

void exec(const SqliteCaseStore& store, const std::string& sql) {
    std::lock_guard lock(store.mutex());
    store.session() << sql, now;
}

long long count(const SqliteCaseStore& store, const std::string& sql) {
    std::lock_guard lock(store.mutex());
    Poco::Int64 n = 0;
    store.session() << sql, into(n), now;
    return n;
}

// Makes the database itself refuse a row of `table` whose `column` is
// `value` (a trigger, in the store's own dialect), as a full disk or a
// broken constraint would half-way through a write.
void refuseInserts(const SqliteCaseStore& store, const std::string& table, const std::string& column,
                   const std::string& value) {
    const std::string name = "refuse_" + table;
    if (duly::testsupport::onPostgreSql()) {
        exec(store, "CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS"
                    " $$ BEGIN RAISE EXCEPTION '" + table + " refused by test'; END $$");
        exec(store, "CREATE TRIGGER " + name + " BEFORE INSERT ON " + table + " FOR EACH ROW WHEN (NEW." + column +
                        " = '" + value + "') EXECUTE FUNCTION " + name + "()");
    } else {
        exec(store, "CREATE TRIGGER " + name + " BEFORE INSERT ON " + table + " WHEN NEW." + column + " = '" + value +
                        "' BEGIN SELECT RAISE(ABORT, '" + table + " refused by test'); END");
    }
}

Officer officer(const std::string& id, const std::string& team) {
    return Officer{id, "Officer " + id, "Customer Services Officer", id + "@example.org", "01772 450600", team, "",
                   Role::Officer};
}

// A case with every optional time empty and no history.
Case bareCase(const std::string& officerId, Instant received, const std::string& subject = "Rent statement") {
    Case c;
    c.charter = "progress";
    c.channel = Channel::Letter;
    c.kind = Kind::Enquiry;
    c.customerRef = "C10001";
    c.officerId = officerId;
    c.subject = subject;
    c.received = received;
    c.countedFrom = std::chrono::floor<std::chrono::days>(received);
    return c;
}

// A case with every field set to something other than its default.
Case fullCase() {
    Case c;
    c.charter = "complaints";
    c.channel = Channel::PhoneMessage;
    c.kind = Kind::ComplaintStage2;
    c.state = CaseState::Closed;
    c.customerRef = "C10042";
    c.officerId = "jwong";
    c.subject = "Damp in the back bedroom — 2nd time";
    c.received = at(2026, 11, 20, 16, 45);
    c.countedFrom = sys_days{2026y / November / 23};
    c.acknowledgeBy = at(2026, 11, 25, 17);
    c.respondBy = at(2026, 12, 18, 17);
    c.holdingReplyBy = at(2026, 12, 4, 17);
    c.acknowledgedAt = at(2026, 11, 24, 10, 12);
    c.holdingReplySentAt = at(2026, 12, 3, 11);
    c.repliedAt = at(2026, 12, 15, 14, 30);
    c.closedAt = at(2026, 12, 16, 9);
    c.extensionDays = 10;
    c.holdingReason = "We are waiting for the surveyor's report.";
    c.holdingNewDate = at(2026, 12, 11, 17);
    c.items = {
        Item{0, Channel::PhoneMessage, at(2026, 11, 20, 16, 45), "Call note", "Mrs Khan rang about the damp.\nAgain.",
             "manual", "01772 000000"},
        Item{0, Channel::Email, at(2026, 11, 21, 8, 2), "Re: damp", "Photos attached.", "<abc@example.net>",
             "a.khan@example.net"},
    };
    c.events = {
        CaseEvent{0, EventType::Received, at(2026, 11, 20, 16, 45), "duly", ""},
        CaseEvent{0, EventType::EscalatedToStage2, at(2026, 11, 20, 16, 46), "akhan", "not resolved at stage 1"},
        CaseEvent{0, EventType::Assigned, at(2026, 11, 20, 16, 47), "akhan", "jwong"},
    };
    return c;
}

void expectSameFields(const Case& a, const Case& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.reference, b.reference);
    EXPECT_EQ(a.charter, b.charter);
    EXPECT_EQ(a.channel, b.channel);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.state, b.state);
    EXPECT_EQ(a.customerRef, b.customerRef);
    EXPECT_EQ(a.officerId, b.officerId);
    EXPECT_EQ(a.subject, b.subject);
    EXPECT_EQ(a.received, b.received);
    EXPECT_EQ(a.countedFrom, b.countedFrom);
    EXPECT_EQ(a.acknowledgeBy, b.acknowledgeBy);
    EXPECT_EQ(a.respondBy, b.respondBy);
    EXPECT_EQ(a.holdingReplyBy, b.holdingReplyBy);
    EXPECT_EQ(a.acknowledgedAt, b.acknowledgedAt);
    EXPECT_EQ(a.holdingReplySentAt, b.holdingReplySentAt);
    EXPECT_EQ(a.repliedAt, b.repliedAt);
    EXPECT_EQ(a.closedAt, b.closedAt);
    EXPECT_EQ(a.extensionDays, b.extensionDays);
    EXPECT_EQ(a.holdingReason, b.holdingReason);
    EXPECT_EQ(a.holdingNewDate, b.holdingNewDate);
}

void expectSameHistory(const Case& a, const Case& b) {
    ASSERT_EQ(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
        EXPECT_EQ(a.items[i].id, b.items[i].id);
        EXPECT_EQ(a.items[i].channel, b.items[i].channel);
        EXPECT_EQ(a.items[i].received, b.items[i].received);
        EXPECT_EQ(a.items[i].subject, b.items[i].subject);
        EXPECT_EQ(a.items[i].body, b.items[i].body);
        EXPECT_EQ(a.items[i].source, b.items[i].source);
        EXPECT_EQ(a.items[i].from, b.items[i].from);
    }
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        EXPECT_EQ(a.events[i].id, b.events[i].id);
        EXPECT_EQ(a.events[i].type, b.events[i].type);
        EXPECT_EQ(a.events[i].at, b.events[i].at);
        EXPECT_EQ(a.events[i].actor, b.events[i].actor);
        EXPECT_EQ(a.events[i].detail, b.events[i].detail);
    }
}

std::vector<std::string> references(const std::vector<Case>& cases) {
    std::vector<std::string> out;
    for (const auto& c : cases) out.push_back(c.reference);
    return out;
}

// "PHG-2026-00001 acknowledge 2026-11-24T09:00:00Z" per action, to compare
// whole lists at once.
std::vector<std::string> describe(const std::vector<DueAction>& actions) {
    std::vector<std::string> out;
    for (const auto& a : actions)
        out.push_back(a.caseReference + " " + std::string(dueWhatName(a.what)) + " " +
                      std::to_string(a.dueAt.time_since_epoch().count()));
    return out;
}

std::string line(const std::string& reference, const char* what, Instant due) {
    return reference + " " + what + " " + std::to_string(due.time_since_epoch().count());
}

}  // namespace

TEST(Officers, RoundTripAndUpsertById) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    Officer jw{"jwong", "Jenny Wong", "Customer Services Officer", "j.wong@example.org", "01772 450603",
               "customer-services", "akhan", Role::Officer};
    Officer ak{"akhan", "Aisha Khan", "Customer Services Manager", "a.khan@example.org", "", "customer-services",
               "", Role::Manager};
    store.upsertOfficer(jw);
    store.upsertOfficer(ak);
    EXPECT_EQ(store.officer("jwong"), jw);
    EXPECT_EQ(store.officer("akhan"), ak);
    EXPECT_EQ(store.officer("nobody"), std::nullopt);

    jw.position = "Senior Officer";
    jw.role = Role::Administrator;
    jw.managerId = "";
    jw.phone = "";
    store.upsertOfficer(jw);
    EXPECT_EQ(store.officer("jwong"), jw);
    const auto all = store.officers();
    ASSERT_EQ(all.size(), 2u);  // updated, not added
    EXPECT_EQ(all[0], ak);      // ordered by id
    EXPECT_EQ(all[1], jw);
}

TEST(Customers, RoundTripOfEveryFieldAndUpsertByReference) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    Customer c;
    c.reference = "C10042";
    c.name = "Mrs Amina Khan";
    c.salutation = "Dear Mrs Khan";
    c.email = "A.Khan@Example.NET";
    c.phone = "07700 900123";
    c.addressLine1 = "Flat 3";
    c.addressLine2 = "12 Fishergate Hill";
    c.addressLine3 = "Broadgate";
    c.town = "Preston";
    c.postcode = "PR1 8JB";
    c.language = "ur";
    c.formats = {"large-print", "audio"};
    c.preferredChannel = PreferredChannel::Post;
    c.languageConfirmed = false;
    store.upsertCustomer(c);
    Customer plain;
    plain.reference = "C10001";
    plain.name = "Mr Lee";
    store.upsertCustomer(plain);

    EXPECT_EQ(store.customer("C10042"), c);
    EXPECT_EQ(store.customer("C10001"), plain);  // defaults: en-GB, no formats, email, confirmed
    EXPECT_EQ(store.customer("C99999"), std::nullopt);
    EXPECT_EQ(store.customerCount(), 2u);

    c.language = "yue-Hant";
    c.formats = {"braille"};
    c.preferredChannel = PreferredChannel::Phone;
    c.languageConfirmed = true;
    c.addressLine3 = "";
    store.upsertCustomer(c);
    EXPECT_EQ(store.customer("C10042"), c);
    EXPECT_EQ(store.customerCount(), 2u);
}

TEST(Customers, ByEmailIgnoresCase) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    Customer c;
    c.reference = "C10042";
    c.name = "Mrs Khan";
    c.email = "A.Khan@Example.NET";
    store.upsertCustomer(c);
    Customer noEmail;
    noEmail.reference = "C10001";
    noEmail.name = "Mr Lee";
    store.upsertCustomer(noEmail);

    for (const char* asked : {"A.Khan@Example.NET", "a.khan@example.net", "A.KHAN@EXAMPLE.NET"}) {
        auto found = store.customerByEmail(asked);
        ASSERT_TRUE(found) << asked;
        EXPECT_EQ(found->reference, "C10042") << asked;
    }
    EXPECT_EQ(store.customerByEmail("khan@example.net"), std::nullopt);
    EXPECT_EQ(store.customerByEmail(""), std::nullopt);  // never the customers without an address
}

TEST(Cases, RoundTripOfEveryFieldWithItemsAndEvents) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    const Case created = store.createCase(fullCase(), "PHG");
    EXPECT_GT(created.id, 0);
    EXPECT_EQ(created.reference, "PHG-2026-00001");
    ASSERT_EQ(created.items.size(), 2u);
    EXPECT_GT(created.items[0].id, 0);
    EXPECT_GT(created.items[1].id, created.items[0].id);
    ASSERT_EQ(created.events.size(), 3u);
    EXPECT_GT(created.events[0].id, 0);

    auto found = store.findCase("PHG-2026-00001");
    ASSERT_TRUE(found);
    expectSameFields(*found, created);
    ASSERT_EQ(found->items.size(), 2u);
    ASSERT_EQ(found->events.size(), 3u);
    expectSameHistory(*found, created);
    // What was given comes back, in the order given.
    const Case given = fullCase();
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(found->items[i].id, created.items[i].id);
        EXPECT_EQ(found->items[i].body, given.items[i].body);
        EXPECT_EQ(found->items[i].from, given.items[i].from);
        EXPECT_EQ(found->items[i].source, given.items[i].source);
        EXPECT_EQ(found->items[i].received, given.items[i].received);
        EXPECT_EQ(found->items[i].channel, given.items[i].channel);
    }
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(found->events[i].type, given.events[i].type);
        EXPECT_EQ(found->events[i].at, given.events[i].at);
        EXPECT_EQ(found->events[i].actor, given.events[i].actor);
        EXPECT_EQ(found->events[i].detail, given.events[i].detail);
    }
    EXPECT_EQ(store.findCase("PHG-2026-00002"), std::nullopt);
    EXPECT_EQ(store.caseCount(), 1u);
}

TEST(Cases, OptionalTimesAbsentStayAbsent) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    const Case created = store.createCase(bareCase("", kMonday), "PHG");
    auto found = store.findCase(created.reference);
    ASSERT_TRUE(found);
    expectSameFields(*found, created);
    EXPECT_FALSE(found->acknowledgeBy);
    EXPECT_FALSE(found->respondBy);
    EXPECT_FALSE(found->holdingReplyBy);
    EXPECT_FALSE(found->acknowledgedAt);
    EXPECT_FALSE(found->holdingReplySentAt);
    EXPECT_FALSE(found->repliedAt);
    EXPECT_FALSE(found->closedAt);
    EXPECT_FALSE(found->holdingNewDate);
    EXPECT_EQ(found->holdingReason, "");
    EXPECT_TRUE(found->items.empty());
    EXPECT_TRUE(found->events.empty());
    EXPECT_EQ(found->officerId, "");
    EXPECT_EQ(found->state, CaseState::Open);
}

TEST(Cases, EverythingSurvivesReopening) {
    TempDir dir;
    const auto file = dir / "duly.db";
    Case created;
    const Officer jw = officer("jwong", "customer-services");
    Customer c;
    c.reference = "C10042";
    c.name = "Mrs Khan";
    c.formats = {"large-print"};
    {
        SqliteCaseStore store(storeAt(file));
        store.upsertOfficer(jw);
        store.upsertCustomer(c);
        created = store.createCase(fullCase(), "PHG");
    }
    SqliteCaseStore store(storeAt(file));
    EXPECT_EQ(store.officer("jwong"), jw);
    EXPECT_EQ(store.customer("C10042"), c);
    auto found = store.findCase(created.reference);
    ASSERT_TRUE(found);
    expectSameFields(*found, created);
    expectSameHistory(*found, created);
    // The sequence carries on where it stopped.
    EXPECT_EQ(store.createCase(bareCase("", kMonday), "PHG").reference, "PHG-2026-00002");
}

TEST(References, PerPrefixAndYearOfReceiptInUtc) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    struct Row {
        const char* prefix;
        Instant received;
        const char* expected;
    };
    const Row rows[] = {
        {"PHG", kMonday, "PHG-2026-00001"},
        {"PHG", kMonday, "PHG-2026-00002"},
        {"RVH", kMonday, "RVH-2026-00001"},
        {"PHG", at(2025, 12, 31, 23, 59), "PHG-2025-00001"},
        {"PHG", at(2027, 1, 1, 0, 0), "PHG-2027-00001"},
        {"PHG", at(2026, 12, 31, 23, 59), "PHG-2026-00003"},
        {"RVH", at(2025, 6, 1), "RVH-2025-00001"},
        {"PHG", kMonday, "PHG-2026-00004"},
    };
    for (const auto& row : rows) {
        const Case c = store.createCase(bareCase("", row.received), row.prefix);
        EXPECT_EQ(c.reference, row.expected);
        EXPECT_EQ(store.findCase(row.expected).value().id, c.id);
    }
}

TEST(References, PrefixMustBeCapitalsOrDigits) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    for (const std::string bad : {"", "phg", "PH-G", "PHG ", "ABCDEFGHIJKLMNOPQ"}) {
        try {
            store.createCase(bareCase("", kMonday), bad);
            ADD_FAILURE() << "accepted prefix \"" << bad << "\"";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()),
                      "reference prefix \"" + bad + "\": expected 1 to 16 capital letters or digits, such as PHG");
        }
    }
    EXPECT_EQ(store.caseCount(), 0u);
    EXPECT_EQ(store.createCase(bareCase("", kMonday), "H2O").reference, "H2O-2026-00001");
}

TEST(References, GrowPastFiveDigits) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    EXPECT_EQ(store.createCase(bareCase("", kMonday), "PHG").reference, "PHG-2026-00001");
    exec(store, "UPDATE reference_sequences SET last = 99998 WHERE prefix = 'PHG' AND year = 2026");
    EXPECT_EQ(store.createCase(bareCase("", kMonday), "PHG").reference, "PHG-2026-99999");
    EXPECT_EQ(store.createCase(bareCase("", kMonday), "PHG").reference, "PHG-2026-100000");
}

TEST(References, UniqueAcrossThreadsAndConnections) {
    TempDir dir;
    const auto file = dir / "duly.db";
    SqliteCaseStore first(storeAt(file));
    SqliteCaseStore second(storeAt(file));  // a second connection, as a second process would have
    constexpr int kThreads = 4;
    constexpr int kEach = 10;
    std::vector<std::vector<std::string>> made(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            SqliteCaseStore& store = t % 2 == 0 ? first : second;
            for (int i = 0; i < kEach; ++i) made[static_cast<std::size_t>(t)].push_back(
                store.createCase(bareCase("", kMonday), "PHG").reference);
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> all;
    for (const auto& refs : made) all.insert(refs.begin(), refs.end());
    std::set<std::string> expected;
    for (int n = 1; n <= kThreads * kEach; ++n) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "PHG-2026-%05d", n);
        expected.insert(buf);
    }
    EXPECT_EQ(all, expected);
    EXPECT_EQ(first.caseCount(), static_cast<std::size_t>(kThreads * kEach));
}

TEST(Cases, UpdateReplacesFieldsAndAppendsEvents) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    Case c = bareCase("jwong", kMonday);
    c.acknowledgeBy = kMonday + 48h;
    c.respondBy = kMonday + 240h;
    c.items = {Item{0, Channel::Letter, kMonday, "Rent", "Please send a statement.", "scan-0001.pdf", "Mr Lee"}};
    c.events = {CaseEvent{0, EventType::Received, kMonday, "duly", ""}};
    Case stored = store.createCase(c, "PHG");

    Case changed = stored;
    changed.items.clear();   // items are not touched by updateCase
    changed.events.clear();
    changed.officerId = "akhan";
    changed.acknowledgedAt = kMonday + 1h;
    changed.acknowledgeBy.reset();
    changed.respondBy = kMonday + 480h;
    changed.extensionDays = 10;
    changed.kind = Kind::ComplaintStage1;
    changed.subject = "Rent statement (complaint)";
    const std::vector<CaseEvent> added = {
        CaseEvent{0, EventType::Assigned, kMonday + 1h, "duly", "akhan"},
        CaseEvent{0, EventType::Extended, kMonday + 2h, "akhan", "awaiting contractor's report"},
    };
    store.updateCase(changed, added);

    auto found = store.findCase(stored.reference);
    ASSERT_TRUE(found);
    expectSameFields(*found, changed);
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].body, "Please send a statement.");
    ASSERT_EQ(found->events.size(), 3u);
    EXPECT_EQ(found->events[0].type, EventType::Received);
    EXPECT_EQ(found->events[1].type, EventType::Assigned);
    EXPECT_EQ(found->events[1].detail, "akhan");
    EXPECT_EQ(found->events[2].type, EventType::Extended);
    EXPECT_EQ(found->events[2].detail, "awaiting contractor's report");
    EXPECT_EQ(store.caseCount(), 1u);

    Case missing = bareCase("", kMonday);
    missing.reference = "PHG-2026-09999";
    try {
        store.updateCase(missing, added);
        FAIL() << "updated a case that does not exist";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "no case with reference \"PHG-2026-09999\"");
    }
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM events"), 3);
}

TEST(Transactions, FailedCreateLeavesNothingHalfWritten) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    // The database itself refuses the second item, after the sequence, the
    // case and the first item have been written.
    refuseInserts(store, "items", "subject", "refuse");
    Case c = fullCase();
    c.items[1].subject = "refuse";
    EXPECT_THROW(store.createCase(c, "PHG"), std::exception);
    EXPECT_EQ(store.caseCount(), 0u);
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM items"), 0);
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM events"), 0);
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM reference_sequences"), 0);
    // The store is usable afterwards and the reference was not used up.
    EXPECT_EQ(store.createCase(fullCase(), "PHG").reference, "PHG-2026-00001");
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM items"), 2);
}

// A text value holding a NUL byte: Poco's PostgreSQL binder cut it there
// without an error while SQLite kept it whole. Both stores now refuse it
// alike, naming the table and column, and nothing is written.
TEST(Transactions, ANulInTextIsRefusedOnBothStoresNamingTheColumn) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    Case c = fullCase();
    c.items[1].body = std::string("Half\0the rest", 13);
    try {
        store.createCase(c, "PHG");
        ADD_FAILURE() << "a NUL in items.body was accepted";
    } catch (const duly::store::StoreError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "items.body: the text holds a NUL byte (at byte 4), which the store refuses on SQLite and "
                  "PostgreSQL alike (PostgreSQL's text cannot hold one); nothing was written");
    }
    EXPECT_EQ(store.caseCount(), 0u);
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM items"), 0);
    // An UPDATE names its column too; the case stays as it was.
    const Case stored = store.createCase(fullCase(), "PHG");
    Case changed = stored;
    changed.subject = std::string("Rent\0", 5);
    try {
        store.updateCase(changed, {});
        ADD_FAILURE() << "a NUL in cases.subject was accepted";
    } catch (const duly::store::StoreError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("cases.subject: the text holds a NUL byte (at byte 4), ", 0), 0u) << e.what();
    }
    EXPECT_EQ(store.findCase(stored.reference)->subject, stored.subject);
}

TEST(Transactions, FailedUpdateLeavesTheCaseAsItWas) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    const Case stored = store.createCase(fullCase(), "PHG");
    refuseInserts(store, "events", "detail", "refuse");
    Case changed = stored;
    changed.officerId = "akhan";
    changed.state = CaseState::Open;
    changed.closedAt.reset();
    const std::vector<CaseEvent> added = {
        CaseEvent{0, EventType::Assigned, kMonday, "duly", "akhan"},
        CaseEvent{0, EventType::Note, kMonday, "duly", "refuse"},
    };
    EXPECT_THROW(store.updateCase(changed, added), std::exception);
    auto found = store.findCase(stored.reference);
    ASSERT_TRUE(found);
    expectSameFields(*found, stored);
    EXPECT_EQ(found->events.size(), 3u);
    // And the next write goes through.
    store.updateCase(changed, {added[0]});
    EXPECT_EQ(store.findCase(stored.reference).value().officerId, "akhan");
    EXPECT_EQ(store.findCase(stored.reference).value().events.size(), 4u);
}

TEST(Cases, ListFilteredNewestFirst) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    store.upsertOfficer(officer("jwong", "customer-services"));
    store.upsertOfficer(officer("mpatel", "complaints"));
    // Created out of time order, so that "newest first" is not creation order.
    const std::string a = store.createCase(bareCase("jwong", kMonday + 2h), "PHG").reference;   // 00001
    const std::string b = store.createCase(bareCase("mpatel", kMonday + 5h), "PHG").reference;  // 00002
    Case closed = bareCase("jwong", kMonday + 9h);
    closed.state = CaseState::Closed;
    closed.closedAt = kMonday + 10h;
    const std::string c = store.createCase(closed, "PHG").reference;                          // 00003
    const std::string d = store.createCase(bareCase("", kMonday + 1h), "PHG").reference;      // 00004
    const std::string e = store.createCase(bareCase("jwong", kMonday + 7h), "PHG").reference; // 00005

    EXPECT_EQ(references(store.listCases({})), (std::vector<std::string>{c, e, b, a, d}));
    EXPECT_EQ(references(store.listCases({"jwong", std::nullopt, std::nullopt, 0})),
              (std::vector<std::string>{c, e, a}));
    EXPECT_EQ(references(store.listCases({"jwong", CaseState::Open, std::nullopt, 0})),
              (std::vector<std::string>{e, a}));
    EXPECT_EQ(references(store.listCases({std::nullopt, CaseState::Closed, std::nullopt, 0})),
              (std::vector<std::string>{c}));
    EXPECT_EQ(references(store.listCases({std::nullopt, std::nullopt, "complaints", 0})),
              (std::vector<std::string>{b}));
    EXPECT_EQ(references(store.listCases({std::nullopt, CaseState::Open, "customer-services", 0})),
              (std::vector<std::string>{e, a}));
    EXPECT_EQ(references(store.listCases({std::nullopt, std::nullopt, std::nullopt, 2})),
              (std::vector<std::string>{c, e}));
    EXPECT_TRUE(store.listCases({"nobody", std::nullopt, std::nullopt, 0}).empty());
    // A period of receipt (the dashboard's reports): from inclusive, before exclusive.
    EXPECT_EQ(references(store.casesReceived(kMonday + 2h, kMonday + 9h)), (std::vector<std::string>{e, b, a}));
    // Listed cases carry no items or events.
    Case withItems = fullCase();
    withItems.received = kMonday + 20h;
    store.createCase(withItems, "PHG");
    const auto listed = store.listCases({std::nullopt, std::nullopt, std::nullopt, 1});
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_TRUE(listed[0].items.empty());
    EXPECT_TRUE(listed[0].events.empty());
    EXPECT_EQ(listed[0].subject, withItems.subject);
}

TEST(DueActions, RulesOrderingAndFilters) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    const Instant day1 = kMonday + 24h, day5 = kMonday + 5 * 24h, day10 = kMonday + 10 * 24h,
                  day20 = kMonday + 20 * 24h;

    // 1. Nothing done yet: all three actions are due.
    Case fresh = bareCase("jwong", kMonday, "Fresh");
    fresh.acknowledgeBy = day1;
    fresh.holdingReplyBy = day10;
    fresh.respondBy = day20;
    const std::string c1 = store.createCase(fresh, "PHG").reference;
    // 2. Acknowledged, holding reply sent: only the response.
    Case waiting = bareCase("jwong", kMonday, "Waiting");
    waiting.acknowledgeBy = day1;
    waiting.acknowledgedAt = kMonday + 1h;
    waiting.holdingReplyBy = day1;
    waiting.holdingReplySentAt = kMonday + 2h;
    waiting.respondBy = day5;
    const std::string c2 = store.createCase(waiting, "PHG").reference;
    // 3. Acknowledged and replied: the unsent holding reply is no longer due.
    Case answered = bareCase("jwong", kMonday, "Answered");
    answered.acknowledgeBy = day1;
    answered.acknowledgedAt = kMonday + 1h;
    answered.holdingReplyBy = day5;
    answered.respondBy = day10;
    answered.repliedAt = kMonday + 3h;
    store.createCase(answered, "PHG");
    // 4. Closed with nothing done: closed cases list nothing.
    Case closed = bareCase("jwong", kMonday, "Closed");
    closed.state = CaseState::Closed;
    closed.acknowledgeBy = day1;
    closed.respondBy = day5;
    store.createCase(closed, "PHG");
    // 5. No deadlines at all (a compliment).
    store.createCase(bareCase("jwong", kMonday, "Thanks"), "PHG");
    // 6. Another officer, due at the same instant as case 1's acknowledgement;
    //    its reference "AAA-…" sorts first although it was created last.
    Case other = bareCase("mpatel", kMonday, "Other");
    other.acknowledgeBy = day1;
    other.customerRef = "C20002";
    other.channel = Channel::Web;
    other.kind = Kind::ComplaintStage1;
    const std::string c6 = store.createCase(other, "AAA").reference;
    ASSERT_EQ(c6, "AAA-2026-00001");

    EXPECT_EQ(describe(store.dueActions("jwong", std::nullopt)),
              (std::vector<std::string>{line(c1, "acknowledge", day1), line(c2, "respond", day5),
                                        line(c1, "holding-reply", day10), line(c1, "respond", day20)}));
    EXPECT_EQ(describe(store.dueActions(std::nullopt, std::nullopt)),
              (std::vector<std::string>{line(c6, "acknowledge", day1), line(c1, "acknowledge", day1),
                                        line(c2, "respond", day5), line(c1, "holding-reply", day10),
                                        line(c1, "respond", day20)}));
    // Overdue: due strictly before the instant given.
    EXPECT_EQ(describe(store.dueActions(std::nullopt, day5)),
              (std::vector<std::string>{line(c6, "acknowledge", day1), line(c1, "acknowledge", day1)}));
    EXPECT_EQ(describe(store.dueActions("jwong", day5 + 1s)),
              (std::vector<std::string>{line(c1, "acknowledge", day1), line(c2, "respond", day5)}));
    EXPECT_TRUE(store.dueActions("jwong", day1).empty());
    EXPECT_TRUE(store.dueActions("nobody", std::nullopt).empty());
    // Limit keeps the most urgent.
    EXPECT_EQ(describe(store.dueActions(std::nullopt, std::nullopt, 2)),
              (std::vector<std::string>{line(c6, "acknowledge", day1), line(c1, "acknowledge", day1)}));
    EXPECT_EQ(describe(store.dueActions("jwong", day20, 1)),
              (std::vector<std::string>{line(c1, "acknowledge", day1)}));

    // The other fields come from the case.
    const auto mine = store.dueActions("mpatel", std::nullopt);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].officerId, "mpatel");
    EXPECT_EQ(mine[0].customerRef, "C20002");
    EXPECT_EQ(mine[0].subject, "Other");
    EXPECT_EQ(mine[0].channel, Channel::Web);
    EXPECT_EQ(mine[0].kind, Kind::ComplaintStage1);
    EXPECT_EQ(mine[0].what, DueAction::What::Acknowledge);

    // Acknowledging case 1 takes it off the list at once.
    Case ack = store.findCase(c1).value();
    ack.acknowledgedAt = kMonday + 4h;
    store.updateCase(ack, {CaseEvent{0, EventType::Acknowledged, kMonday + 4h, "jwong", ""}});
    EXPECT_EQ(describe(store.dueActions("jwong", std::nullopt)),
              (std::vector<std::string>{line(c2, "respond", day5), line(c1, "holding-reply", day10),
                                        line(c1, "respond", day20)}));
}

TEST(DueActions, Names) {
    EXPECT_EQ(dueWhatName(DueAction::What::Acknowledge), "acknowledge");
    EXPECT_EQ(dueWhatName(DueAction::What::HoldingReply), "holding-reply");
    EXPECT_EQ(dueWhatName(DueAction::What::Respond), "respond");
}

TEST(DueActions, EachBranchReadsItsIndexInOrder) {
    DULY_SQLITE_ONLY("the plan is SQLite's EXPLAIN QUERY PLAN");
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    struct Row {
        std::optional<std::string> officer;
        std::optional<Instant> overdueAt;
        std::size_t limit;
        const char* key;  // how each index is searched
    };
    const Row rows[] = {
        {"jwong", std::nullopt, 0, "(officer_id=?"},
        {"jwong", kMonday, 0, "(officer_id=?"},
        {std::nullopt, std::nullopt, 50, ""},
        {std::nullopt, kMonday, 0, "_by<?"},
    };
    for (const auto& row : rows) {
        const auto plan = store.dueActionsPlan(row.officer, row.overdueAt, row.limit);
        std::string all;
        for (const auto& step : plan) all += step + "\n";
        EXPECT_NE(all.find("MERGE (UNION ALL)"), std::string::npos) << all;
        EXPECT_EQ(all.find("TEMP B-TREE"), std::string::npos) << all;  // nothing sorted
        for (const char* what : {"acknowledge", "holding_reply", "respond"}) {
            const std::string index = std::string("USING INDEX cases_due_") + what + (row.officer ? " " : "_all");
            const auto at = all.find(index);
            ASSERT_NE(at, std::string::npos) << index << " in\n" << all;
            EXPECT_NE(all.find(row.key, at), std::string::npos) << all;
        }
        EXPECT_EQ(all.find("SCAN cases\n"), std::string::npos) << all;  // never the whole table
    }
}

TEST(Complaints, RepresentativeRemediesAndReferralRoundTripThroughReopening) {
    TempDir dir;
    std::string ref;
    Representative rep;
    rep.kind = RepresentativeKind::Mp;
    rep.name = "Ms Priya Patel MP";
    rep.salutation = "Dear Ms Patel";
    rep.email = "priya.patel@parliament.example.org";
    rep.address = {"House of Commons", "London", "SW1A 0AA"};
    rep.consentAt = at(2026, 11, 20, 10);
    rep.consentHow = "signed form";
    rep.sendTo = SendTo::RepresentativeOnly;
    rep.addedBy = "rhughes";
    rep.addedAt = at(2026, 11, 23, 11);
    Remedy action{0, RemedyKind::Action, "replace the back door", std::chrono::sys_days{2026y / December / 18},
                  0, "sali", at(2026, 11, 24, 9)};
    Remedy payment{0, RemedyKind::Compensation, "for the weeks without heating", std::nullopt, 12550, "rhughes",
                   at(2026, 11, 25, 9)};
    Referral referral{at(2027, 1, 4, 9), "service-failure", at(2027, 3, 1, 9), "rhughes"};
    {
        SqliteCaseStore store(storeAt(dir / "duly.db"));
        ref = store.createCase(bareCase("sali", kMonday), "PHG").reference;
        store.setRepresentative(ref, rep, {0, EventType::Representative, rep.addedAt, "rhughes", "added"});
        EXPECT_GT(store.addRemedy(ref, action, {0, EventType::Remedy, action.at, "sali", "action"}).id, 0);
        const Remedy second = store.addRemedy(ref, payment, {0, EventType::Remedy, payment.at, "rhughes", "paid"});
        payment.id = second.id;
        store.setReferral(ref, Referral{at(2027, 1, 4, 9), "", std::nullopt, "sali"},
                          {0, EventType::Referral, at(2027, 1, 4, 9), "sali", "referred"});
        store.setReferral(ref, referral, {0, EventType::Referral, at(2027, 3, 1, 9), "rhughes", "outcome"});
    }
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    const Case c = *store.findCase(ref);
    ASSERT_TRUE(c.representative);
    EXPECT_EQ(*c.representative, rep);
    ASSERT_EQ(c.remedies.size(), 2u);
    action.id = c.remedies[0].id;
    EXPECT_EQ(c.remedies[0], action);
    EXPECT_EQ(c.remedies[1], payment);
    ASSERT_TRUE(c.referral);
    EXPECT_EQ(*c.referral, referral);
    // Each change is in the history with who made it.
    std::vector<std::string> history;
    for (const auto& e : c.events)
        if (e.type != EventType::Received) history.push_back(std::string(eventTypeName(e.type)) + " " + e.actor);
    EXPECT_EQ(history, (std::vector<std::string>{"representative rhughes", "remedy sali", "remedy rhughes",
                                                 "referral sali", "referral rhughes"}));
    // The period's cases carry their remedies and referral for the reports.
    const auto period = store.casesReceived(at(2026, 11, 1), at(2026, 12, 1));
    ASSERT_EQ(period.size(), 1u);
    EXPECT_EQ(period[0].remedies.size(), 2u);
    EXPECT_TRUE(period[0].referral);
    EXPECT_TRUE(store.casesReceived(at(2026, 12, 1), at(2027, 1, 1)).empty());
    // Removing the representative deletes the row.
    store.setRepresentative(ref, std::nullopt, {0, EventType::Representative, at(2026, 11, 26), "rhughes", "removed"});
    EXPECT_FALSE(store.findCase(ref)->representative);
    EXPECT_EQ(count(store, "SELECT COUNT(*) FROM representatives"), 0);
    // An unknown case is refused.
    EXPECT_THROW(store.addRemedy("PHG-2026-99999", action, {0, EventType::Remedy, kMonday, "sali", ""}), InputError);
}
