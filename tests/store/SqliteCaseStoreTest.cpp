// The SQLite store against a real file: round trips, references, due lists,
// migrations, and the mail ledger's exactly-once guarantees.
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/Migrations.h"
#include "duly/store/SqliteCaseStore.h"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <filesystem>

using namespace duly::engine;
using duly::store::SqliteCaseStore;
namespace fs = std::filesystem;

namespace {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = fs::temp_directory_path() / ("duly-store-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(_dir);
    }
    void TearDown() override { fs::remove_all(_dir); }
    fs::path file() const { return _dir / "sub" / "duly.db"; }
    fs::path _dir;
};

Instant at(const char* t) { return parseRfc3339(t); }

Case sampleCase(const char* received) {
    Case c;
    c.charter = "progress";
    c.channel = Channel::Letter;
    c.kind = Kind::ComplaintStage1;
    c.customerRef = "C1";
    c.officerId = "o1";
    c.subject = "Damp, again";
    c.received = at(received);
    c.countedFrom = parseDate("2026-11-23");
    c.acknowledgeBy = at("2026-11-30T17:00:00Z");
    c.respondBy = at("2026-12-07T17:00:00Z");
    c.items.push_back(Item{0, Channel::Letter, c.received, "Damp, again", "It is back.", "<m1@example.org>", "a@example.org"});
    c.events.push_back({0, EventType::Received, c.received, "duly", "letter"});
    return c;
}

}  // namespace

TEST_F(StoreTest, CaseRoundTripKeepsEveryField) {
    SqliteCaseStore store(file());
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.holdingReplyBy = at("2026-12-03T17:00:00Z");
    Case created = store.createCase(c, "PHG");
    EXPECT_EQ(created.reference, "PHG-2026-00001");
    auto found = store.findCase("PHG-2026-00001");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->subject, "Damp, again");
    EXPECT_EQ(found->kind, Kind::ComplaintStage1);
    EXPECT_EQ(formatDate(found->countedFrom), "2026-11-23");
    EXPECT_EQ(found->acknowledgeBy, c.acknowledgeBy);
    EXPECT_EQ(found->holdingReplyBy, c.holdingReplyBy);
    EXPECT_FALSE(found->acknowledgedAt);
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].source, "<m1@example.org>");
    EXPECT_EQ(found->items[0].from, "a@example.org");
    ASSERT_EQ(found->events.size(), 1u);
    EXPECT_EQ(found->events[0].type, EventType::Received);

    found->acknowledgedAt = at("2026-11-24T09:00:00Z");
    store.updateCase(*found, {{0, EventType::Acknowledged, at("2026-11-24T09:00:00Z"), "o1", ""}});
    SqliteCaseStore reopened(file());
    auto again = reopened.findCase("PHG-2026-00001");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->acknowledgedAt, at("2026-11-24T09:00:00Z"));
    EXPECT_EQ(again->events.size(), 2u);
    EXPECT_EQ(reopened.schemaVersion(), duly::store::migrations().back().version);
}

TEST_F(StoreTest, ReferencesCountPerPrefixAndYear) {
    SqliteCaseStore store(file());
    EXPECT_EQ(store.createCase(sampleCase("2026-11-23T10:00:00Z"), "PHG").reference, "PHG-2026-00001");
    Case second = sampleCase("2026-11-23T11:00:00Z");
    second.items[0].source = "<m2@example.org>";
    EXPECT_EQ(store.createCase(second, "PHG").reference, "PHG-2026-00002");
    Case other = sampleCase("2027-01-04T10:00:00Z");
    other.items[0].source = "<m3@example.org>";
    EXPECT_EQ(store.createCase(other, "PHG").reference, "PHG-2027-00001");
    EXPECT_EQ(store.reserveReference("PHA", 2026), "PHA-2026-00001");
}

TEST_F(StoreTest, DueActionsMostUrgentFirst) {
    SqliteCaseStore store(file());
    Case a = sampleCase("2026-11-23T10:00:00Z");
    store.createCase(a, "PHG");
    Case b = sampleCase("2026-11-20T10:00:00Z");
    b.items[0].source = "<b@example.org>";
    b.acknowledgeBy = at("2026-11-27T17:00:00Z");
    b.acknowledgedAt = at("2026-11-21T10:00:00Z");  // acknowledged: only the response is due
    b.respondBy = at("2026-12-01T17:00:00Z");
    store.createCase(b, "PHG");
    Case closed = sampleCase("2026-11-19T10:00:00Z");
    closed.items[0].source = "<c@example.org>";
    closed.state = CaseState::Closed;
    store.createCase(closed, "PHG");

    auto all = store.dueActions(std::string("o1"), std::nullopt, 0);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].caseReference, "PHG-2026-00001");
    EXPECT_EQ(all[0].what, DueAction::What::Acknowledge);
    EXPECT_EQ(all[1].caseReference, "PHG-2026-00002");
    EXPECT_EQ(all[1].what, DueAction::What::Respond);
    EXPECT_EQ(all[2].what, DueAction::What::Respond);
    EXPECT_EQ(all[2].dueAt, at("2026-12-07T17:00:00Z"));

    auto overdue = store.dueActions(std::string("o1"), at("2026-12-02T00:00:00Z"), 0);
    EXPECT_EQ(overdue.size(), 2u);
    EXPECT_TRUE(store.dueActions(std::string("nobody"), std::nullopt, 0).empty());
    EXPECT_EQ(store.dueActions(std::nullopt, std::nullopt, 1).size(), 1u);
}

TEST_F(StoreTest, OfficersAndCustomersUpsert) {
    SqliteCaseStore store(file());
    Officer o{"o1", "Jo", "Officer", "jo@example.org", "", "team", "", Role::Officer};
    store.upsertOfficer(o);
    o.position = "Senior Officer";
    store.upsertOfficer(o);
    EXPECT_EQ(store.officer("o1")->position, "Senior Officer");
    EXPECT_EQ(store.officers().size(), 1u);
    Customer c;
    c.reference = "C1";
    c.name = "Mrs A";
    c.email = "Mrs.A@Example.org";
    c.formats = {"large-print", "braille"};
    c.language = "ur";
    store.upsertCustomer(c);
    auto byEmail = store.customerByEmail("mrs.a@example.ORG");
    ASSERT_TRUE(byEmail);
    EXPECT_EQ(byEmail->formats, (std::vector<std::string>{"large-print", "braille"}));
    EXPECT_EQ(byEmail->language, "ur");
    EXPECT_FALSE(store.customerByEmail(""));
    EXPECT_EQ(store.customerCount(), 1u);
}

TEST_F(StoreTest, AMessageIsTakenInOnce) {
    SqliteCaseStore store(file());
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.reference = store.reserveReference("PHG", 2026);
    OutboundMessage ack;
    ack.caseReference = c.reference;
    ack.documentKey = "acknowledgement";
    ack.messageKey = "<PHG-2026-00001.acknowledgement@duly.example.org>";
    ack.recipient = "a@example.org";
    ack.bytes = std::string("raw\0bytes", 9);
    ack.queuedAt = ack.nextAttemptAt = at("2026-11-23T10:00:01Z");
    store.createCaseWithMessages(c, "From: a@example.org\r\n\r\nIt is back.\r\n", {ack});
    EXPECT_TRUE(store.knownSource("<m1@example.org>"));
    EXPECT_EQ(store.caseForSource("<m1@example.org>").value(), "PHG-2026-00001");

    // The same Message-ID again is refused and leaves nothing half-written.
    Case dup = sampleCase("2026-11-23T10:05:00Z");
    dup.reference = store.reserveReference("PHG", 2026);
    EXPECT_ANY_THROW(store.createCaseWithMessages(dup, "raw", {}));
    EXPECT_FALSE(store.findCase(dup.reference));
    EXPECT_EQ(store.caseCount(), 1u);

    // Queuing the same document twice queues it once.
    auto found = *store.findCase("PHG-2026-00001");
    store.updateCaseWithMessages(found, {}, {ack});
    auto queued = store.outbound("PHG-2026-00001");
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].bytes, std::string("raw\0bytes", 9));
    EXPECT_EQ(store.rawItem(found.items[0].id).value(), "From: a@example.org\r\n\r\nIt is back.\r\n");
    EXPECT_EQ(store.autoRepliesSince("A@example.org", at("2026-11-23T00:00:00Z")), 1u);
}

TEST_F(StoreTest, OutboxRetryDeliverFail) {
    SqliteCaseStore store(file());
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.reference = store.reserveReference("PHG", 2026);
    OutboundMessage m;
    m.caseReference = c.reference;
    m.documentKey = "acknowledgement";
    m.messageKey = "<k1@duly.example.org>";
    m.recipient = "a@example.org";
    m.bytes = "x";
    m.queuedAt = m.nextAttemptAt = at("2026-11-23T10:00:00Z");
    OutboundMessage letter = m;
    letter.route = OutboundMessage::Route::Post;
    letter.messageKey = "PHG-2026-00001/acknowledgement";
    store.createCaseWithMessages(c, "", {m, letter});
    auto due = store.dueForDelivery(OutboundMessage::Route::Email, at("2026-11-23T10:00:00Z"), 10);
    ASSERT_EQ(due.size(), 1u);
    store.markRetry(due[0].id, at("2026-11-23T10:05:00Z"), "451 try later");
    EXPECT_TRUE(store.dueForDelivery(OutboundMessage::Route::Email, at("2026-11-23T10:01:00Z"), 10).empty());
    due = store.dueForDelivery(OutboundMessage::Route::Email, at("2026-11-23T10:05:00Z"), 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].attempts, 1);
    EXPECT_EQ(due[0].lastResult, "451 try later");
    store.markDelivered(due[0].id, at("2026-11-23T10:05:01Z"), "250 ok");
    EXPECT_TRUE(store.dueForDelivery(OutboundMessage::Route::Email, at("2026-11-24T00:00:00Z"), 10).empty());
    auto post = store.dueForDelivery(OutboundMessage::Route::Post, at("2026-11-24T00:00:00Z"), 10);
    ASSERT_EQ(post.size(), 1u);
    store.markFailed(post[0].id, at("2026-11-24T00:00:00Z"), "no address");
    auto all = store.outbound(c.reference);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].state, OutboundMessage::State::Delivered);
    EXPECT_EQ(all[1].state, OutboundMessage::State::Failed);
}

TEST_F(StoreTest, ProgressAndQuarantine) {
    SqliteCaseStore store(file());
    EXPECT_FALSE(store.progress("inbox"));
    store.saveProgress("inbox", {7, 42});
    store.saveProgress("inbox", {7, 43});
    EXPECT_EQ(store.progress("inbox")->lastUid, 43u);
    QuarantinedMessage q{0, "inbox", "<broken@x>", at("2026-11-23T10:00:00Z"), "no header/body separator", "", "garbage"};
    auto id = store.quarantine(q);
    EXPECT_EQ(store.quarantine(q), id);  // kept once
    auto list = store.quarantined(10);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].reason, "no header/body separator");
    EXPECT_EQ(list[0].raw, "garbage");
}

TEST_F(StoreTest, NewerSchemaIsRefused) {
    { SqliteCaseStore store(file()); }
    {
        Poco::Data::Session s("SQLite", file().string());
        s << "INSERT INTO schema_version (version, description) VALUES (999, 'from the future')", Poco::Data::Keywords::now;
    }
    try {
        SqliteCaseStore store(file());
        FAIL() << "a newer store must be refused";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), file().string() + ": the store is at schema version 999, newer than this duly "
                                                           "knows (2); use the duly that wrote it, or a newer one");
    }
}
