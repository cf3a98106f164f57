// Claims from several connections at once, as several processes (or
// `duly serve` instances) would make them: every queued email and every
// queued letter is claimed by exactly one connection. On PostgreSQL the
// claim locks the rows it reads and skips rows another connection holds
// (FOR UPDATE SKIP LOCKED); on SQLite BEGIN IMMEDIATE lets one writer claim
// at a time. Four threads, each with a store connection of its own.
#include "duly/engine/MailLedger.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "../support/TestStore.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using duly::engine::Instant;
using duly::engine::OutboundMessage;
using duly::store::SqliteCaseStore;
using duly::store::test::TempDir;
using duly::testsupport::storeAt;

namespace {

const Instant kNow = duly::engine::parseRfc3339("2026-11-23T10:00:00Z");

std::vector<OutboundMessage> queue(OutboundMessage::Route route, int count) {
    std::vector<OutboundMessage> out;
    for (int i = 0; i < count; ++i) {
        OutboundMessage m;
        m.route = route;
        const std::string n = std::to_string(i);
        m.caseReference = "PHG-2026-" + n;
        m.documentKey = "acknowledgement";
        m.messageKey = route == OutboundMessage::Route::Email ? "<" + n + ".ack@duly.example.org>" : "PHG-2026-" + n + "/ack";
        m.recipient = route == OutboundMessage::Route::Email ? "tenant" + n + "@example.org" : "Tenant " + n;
        m.bytes = "message " + n;
        m.queuedAt = kNow - std::chrono::minutes{1};
        m.nextAttemptAt = kNow - std::chrono::seconds{i % 7};
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace

TEST(ConcurrentClaims, EachEmailAndLetterIsClaimedByExactlyOneConnection) {
    TempDir dir;
    const auto file = dir / "duly.db";
    constexpr int kEmails = 300, kLetters = 150, kWorkers = 4;
    {
        SqliteCaseStore store(storeAt(file));
        store.queueMessages(queue(OutboundMessage::Route::Email, kEmails));
        store.queueMessages(queue(OutboundMessage::Route::Post, kLetters));
    }
    std::mutex mutex;
    std::multiset<std::int64_t> claimed;                   // every claim, by id
    std::map<std::int64_t, std::set<int>> claimedBy;       // id → workers that claimed it
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w) {
        workers.emplace_back([&, w] {
            try {
                SqliteCaseStore store(storeAt(file));  // a connection of its own
                for (auto route : {OutboundMessage::Route::Email, OutboundMessage::Route::Post}) {
                    while (true) {
                        // Held for an hour: not due again while this worker sends it.
                        auto batch = store.claimForDelivery(route, kNow, kNow + std::chrono::hours{1}, 7);
                        if (batch.empty()) break;
                        for (const auto& m : batch) {
                            {
                                std::lock_guard lock(mutex);
                                claimed.insert(m.id);
                                claimedBy[m.id].insert(w);
                            }
                            if (route == OutboundMessage::Route::Post)
                                store.markPrinted(m.id, kNow, "%PDF " + m.messageKey, "printed");
                            else
                                store.markDelivered(m.id, kNow, "250 OK");
                        }
                    }
                }
            } catch (const std::exception& e) {
                ++failures;
                ADD_FAILURE() << "worker " << w << ": " << e.what();
            }
        });
    }
    for (auto& t : workers) t.join();
    ASSERT_EQ(failures.load(), 0);
    EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kEmails + kLetters));
    for (const auto& [id, by] : claimedBy) EXPECT_EQ(claimed.count(id), 1u) << "message " << id << " claimed twice";
    // Every message was claimed, and each is now delivered once.
    SqliteCaseStore store(storeAt(file));
    EXPECT_TRUE(store.dueForDelivery(OutboundMessage::Route::Email, kNow + std::chrono::hours{2}, 0).empty());
    EXPECT_TRUE(store.dueForDelivery(OutboundMessage::Route::Post, kNow + std::chrono::hours{2}, 0).empty());
    std::size_t delivered = 0;
    for (int i = 0; i < kEmails; ++i)
        for (const auto& m : store.outbound("PHG-2026-" + std::to_string(i))) {
            EXPECT_EQ(m.state, OutboundMessage::State::Delivered) << m.messageKey;
            EXPECT_EQ(m.attempts, 1) << m.messageKey;
            ++delivered;
        }
    EXPECT_EQ(delivered, static_cast<std::size_t>(kEmails + kLetters));
}

// While one connection holds its claim open (inside a write batch, so its
// row locks stay), another connection's claim neither waits for it nor
// takes the same messages: it skips the locked rows (FOR UPDATE SKIP
// LOCKED). On SQLite the second claim would wait for the one writer, so
// this is PostgreSQL's alone.
TEST(ConcurrentClaims, AClaimSkipsMessagesAnotherConnectionHolds) {
    if (!duly::testsupport::onPostgreSql()) {
        GTEST_SKIP() << "PostgreSQL only: SQLite has one writer at a time";
    }
    TempDir dir;
    const auto file = dir / "duly.db";
    SqliteCaseStore first(storeAt(file)), second(storeAt(file));
    first.queueMessages(queue(OutboundMessage::Route::Email, 10));
    std::set<std::int64_t> held, skippedTo;
    {
        auto batch = first.beginBatch();
        for (const auto& m : first.claimForDelivery(OutboundMessage::Route::Email, kNow, kNow, 4)) held.insert(m.id);
        ASSERT_EQ(held.size(), 4u);
        // kNow as the hold: were the first claim's rows not locked, they
        // would still be due and the second claim would take them.
        for (const auto& m : second.claimForDelivery(OutboundMessage::Route::Email, kNow, kNow, 10))
            skippedTo.insert(m.id);
        batch->commit();
    }
    EXPECT_EQ(skippedTo.size(), 6u);
    for (auto id : held) EXPECT_EQ(skippedTo.count(id), 0u) << "message " << id << " claimed by both";
}
