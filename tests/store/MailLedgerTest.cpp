// The mail ledger half of the SQLite store against a real file: a message
// taken in once, an idempotent outbox with retries, mailbox progress and
// quarantine.
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "../support/TestStore.h"
#include "duly/store/StoreError.h"

#include <gtest/gtest.h>

#include <Poco/Data/Session.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace duly::engine;
using duly::store::SqliteCaseStore;
using duly::testsupport::storeAt;
namespace fs = std::filesystem;

namespace {

class MailLedgerTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = fs::temp_directory_path() / ("duly-ledger-" + std::to_string(::getpid()) + "-" +
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

TEST_F(MailLedgerTest, AMessageIsTakenInOnce) {
    SqliteCaseStore store(storeAt(file()));
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

TEST_F(MailLedgerTest, OutboxRetryDeliverFail) {
    SqliteCaseStore store(storeAt(file()));
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

TEST_F(MailLedgerTest, ProgressAndQuarantine) {
    SqliteCaseStore store(storeAt(file()));
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

// A zero-length BLOB reaches SQLite as NULL; the columns are NOT NULL, so an
// empty file or message broke the insert and the message was retried for
// ever, holding up every message behind it.
TEST_F(MailLedgerTest, AnEmptyAttachmentAndAnEmptyMessageAreKeptAsEmpty) {
    SqliteCaseStore store(storeAt(file()));
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.reference = store.reserveReference("PHG", 2026);
    c.items.front().attachments = {{"IMG_0001.jpg", "image/jpeg", ""}, {"note.txt", "text/plain", "x"}};
    const Case stored = store.createCaseWithMessages(c, "", {});
    const auto files = store.attachments(stored.items.front().id);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].name, "IMG_0001.jpg");
    EXPECT_EQ(files[0].bytes, "");
    EXPECT_EQ(files[1].bytes, "x");
    ASSERT_TRUE(store.rawItem(stored.items.front().id).has_value());  // the 0-byte message is kept, as 0 bytes
    EXPECT_EQ(*store.rawItem(stored.items.front().id), "");
    EXPECT_EQ(store.rawItemSize(stored.items.front().id).value_or(99), 0u);

    Item reply{0, Channel::Email, at("2026-11-24T09:00:00Z"), "Re: damp", "", "<m2@example.org>", "a@example.org"};
    reply.attachments = {{"empty.pdf", "application/pdf", ""}};
    store.addItem(c.reference, reply, "", {});
    const auto kase = store.findCase(c.reference);
    ASSERT_EQ(kase->items.size(), 2u);
    EXPECT_EQ(store.attachments(kase->items[1].id).at(0).bytes, "");
    EXPECT_EQ(store.rawItem(kase->items[1].id).value_or("missing"), "");

    store.quarantine({0, "inbox", "<empty@example.org>", at("2026-11-24T09:00:00Z"), "empty", c.reference, ""});
    const auto q = store.quarantined(10);
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].raw, "");
}

TEST_F(MailLedgerTest, AttachmentsAreKeptWithTheirItem) {
    SqliteCaseStore store(storeAt(file()));
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.reference = store.reserveReference("PHG", 2026);
    const std::string pdf("%PDF-1.4\0binary", 15);
    c.items.front().attachments = {{"SCAN0042.PDF", "application/pdf", pdf}, {"page 2.jpg", "image/jpeg", "\xFF\xD8"}};
    const Case stored = store.createCaseWithMessages(c, "raw", {});
    const auto files = store.attachments(stored.items.front().id);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].name, "SCAN0042.PDF");
    EXPECT_EQ(files[0].contentType, "application/pdf");
    EXPECT_EQ(files[0].bytes, pdf);
    EXPECT_EQ(files[1].name, "page 2.jpg");
    EXPECT_TRUE(store.findCase(c.reference)->items.front().attachments.empty());  // findCase leaves the bytes

    Item reply{0, Channel::Email, at("2026-11-24T09:00:00Z"), "Re: damp", "Photo", "<m2@example.org>", "a@example.org"};
    reply.attachments = {{"photo.jpg", "image/jpeg", "jpeg"}};
    store.addItem(c.reference, reply, "raw2", {});
    const auto kase = store.findCase(c.reference);
    ASSERT_EQ(kase->items.size(), 2u);
    ASSERT_EQ(store.attachments(kase->items[1].id).size(), 1u);
    EXPECT_EQ(store.attachments(kase->items[1].id)[0].bytes, "jpeg");
    EXPECT_TRUE(store.attachments(999).empty());
}

// A write batch: what is written inside it is kept only when it is
// committed; a write that fails inside it is undone alone; another thread's
// write waits for the batch instead of landing in the middle of it.
TEST_F(MailLedgerTest, AWriteBatchIsKeptWholeOrNotAtAll) {
    auto makeCase = [](SqliteCaseStore& store, const char* source) {
        Case c = sampleCase("2026-11-23T10:00:00Z");
        c.items[0].source = source;
        c.reference = store.reserveReference("PHG", 2026);
        return store.createCaseWithMessages(c, "raw", {}).reference;
    };
    {
        SqliteCaseStore store(storeAt(file()));
        {
            auto batch = store.beginBatch();
            makeCase(store, "<dropped-1@example.org>");
            store.saveProgress("inbox", {7, 10});
            EXPECT_EQ(store.caseCount(), 1u);  // seen inside the batch
        }  // dropped without commit: undone
        EXPECT_EQ(store.caseCount(), 0u);
        EXPECT_FALSE(store.progress("inbox"));
        EXPECT_FALSE(store.knownSource("<dropped-1@example.org>"));

        auto batch = store.beginBatch();
        const auto first = makeCase(store, "<a@example.org>");
        // The same Message-ID again fails inside the batch; only that write is undone.
        EXPECT_ANY_THROW(makeCase(store, "<a@example.org>"));
        const auto second = makeCase(store, "<b@example.org>");
        store.saveProgress("inbox", {7, 12});
        // Another thread's write waits until the batch is committed.
        std::atomic<bool> written{false};
        std::thread other([&] {
            store.saveProgress("other", {1, 1});
            written = true;
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        EXPECT_FALSE(written);
        batch->commit();
        other.join();
        EXPECT_TRUE(written);
        EXPECT_NE(first, second);
    }
    // Committed means on disk: a new connection to the file sees it all.
    SqliteCaseStore reopened(storeAt(file()));
    EXPECT_EQ(reopened.caseCount(), 2u);
    EXPECT_TRUE(reopened.knownSource("<a@example.org>"));
    EXPECT_TRUE(reopened.knownSource("<b@example.org>"));
    EXPECT_EQ(reopened.progress("inbox")->lastUid, 12u);
    EXPECT_EQ(reopened.progress("other")->lastUid, 1u);
}

// A batch inside a batch is a savepoint: dropping it undoes its own writes
// only; the synchronous=NORMAL of a Flush::System batch is put back after it.
TEST_F(MailLedgerTest, NestedAndRelaxedBatches) {
    SqliteCaseStore store(storeAt(file()));
    // SQLite's synchronous (2 FULL, 1 NORMAL); PostgreSQL's
    // synchronous_commit, set off for the transaction only.
    auto synchronous = [&] {
        std::lock_guard lock(store.mutex());
        if (duly::testsupport::onPostgreSql()) {
            std::string value;
            store.session() << "SHOW synchronous_commit", Poco::Data::Keywords::into(value), Poco::Data::Keywords::now;
            return value == "on" ? 2 : value == "off" ? 1 : -1;
        }
        int value = -1;
        store.session() << "PRAGMA synchronous", Poco::Data::Keywords::into(value), Poco::Data::Keywords::now;
        return value;
    };
    EXPECT_EQ(synchronous(), 2);  // FULL
    {
        auto outer = store.beginBatch();
        store.saveProgress("outer", {1, 1});
        {
            auto inner = store.beginBatch();
            store.saveProgress("inner", {1, 1});
        }
        {
            auto inner = store.beginBatch();
            store.saveProgress("kept", {1, 1});
            inner->commit();
        }
        outer->commit();
    }
    EXPECT_TRUE(store.progress("outer"));
    EXPECT_FALSE(store.progress("inner"));
    EXPECT_TRUE(store.progress("kept"));
    {
        auto relaxed = store.beginBatch(WriteBatch::Flush::System);
        EXPECT_EQ(synchronous(), 1);  // NORMAL while it is open
        store.saveProgress("relaxed", {1, 2});
        relaxed->commit();
    }
    EXPECT_EQ(synchronous(), 2);
    EXPECT_EQ(store.progress("relaxed")->lastUid, 2u);
}

// Messages claimed for delivery are not due to a second run until the hold
// ends; ending it by a mark (retry) sets its own time.
TEST_F(MailLedgerTest, ClaimedMessagesAreHeldFromOtherRuns) {
    SqliteCaseStore store(storeAt(file()));
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.reference = store.reserveReference("PHG", 2026);
    std::vector<OutboundMessage> messages;
    for (int i = 0; i < 3; ++i) {
        OutboundMessage m;
        m.caseReference = c.reference;
        m.documentKey = "note-" + std::to_string(i);
        m.messageKey = "<k" + std::to_string(i) + "@duly.example.org>";
        m.recipient = "a@example.org";
        m.bytes = "x";
        m.queuedAt = m.nextAttemptAt = at("2026-11-23T10:00:00Z");
        messages.push_back(m);
    }
    store.createCaseWithMessages(c, "", messages);
    const Instant now = at("2026-11-23T10:00:00Z"), until = at("2026-11-23T10:10:00Z");
    auto first = store.claimForDelivery(OutboundMessage::Route::Email, now, until, 2);
    ASSERT_EQ(first.size(), 2u);
    // A second run at the same moment gets only the one left.
    auto second = store.claimForDelivery(OutboundMessage::Route::Email, now, until, 10);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_NE(second[0].id, first[0].id);
    EXPECT_NE(second[0].id, first[1].id);
    EXPECT_TRUE(store.claimForDelivery(OutboundMessage::Route::Email, at("2026-11-23T10:09:59Z"), until, 10).empty());
    // One delivered, one put off for a retry; the third's holder "died".
    store.markDelivered(first[0].id, now, "250");
    store.markRetry(first[1].id, at("2026-11-23T10:01:00Z"), "451");
    auto retry = store.claimForDelivery(OutboundMessage::Route::Email, at("2026-11-23T10:01:00Z"), until, 10);
    ASSERT_EQ(retry.size(), 1u);
    EXPECT_EQ(retry[0].id, first[1].id);
    auto orphan = store.claimForDelivery(OutboundMessage::Route::Email, until, at("2026-11-23T10:20:00Z"), 10);
    ASSERT_EQ(orphan.size(), 2u);  // the one held since 10:00 and the retry held since 10:01
}

// A write the database refuses says which file and what SQLite said, not
// only a library's exception class name ("Constraint violation").
TEST_F(MailLedgerTest, ARefusedWriteNamesTheStoreAndSqlitesWords) {
    SqliteCaseStore store(storeAt(file()));
    {
        std::lock_guard lock(store.mutex());
        if (duly::testsupport::onPostgreSql()) {
            store.session() << "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                               " $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
                Poco::Data::Keywords::now;
            store.session() << "CREATE TRIGGER refuse BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION refuse()",
                Poco::Data::Keywords::now;
        } else {
            store.session() << "CREATE TRIGGER refuse BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
                Poco::Data::Keywords::now;
        }
    }
    Case c = sampleCase("2026-11-23T10:00:00Z");
    c.reference = store.reserveReference("PHG", 2026);
    try {
        store.createCaseWithMessages(c, "raw", {});
        FAIL() << "the write was not refused";
    } catch (const duly::store::StoreError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(storeAt(file()).shown()), std::string::npos) << what;
        EXPECT_NE(what.find("refused by the test"), std::string::npos) << what;
    }
    EXPECT_FALSE(store.findCase(c.reference));
}
