// Work locks and the instances table as several `duly serve` on one store
// use them (StoreLocks, SqliteInstances): a lock is held by one holder at a
// time, freed at once when its holder's process is killed (a child process
// killed with SIGKILL) or its lock connection is cut (PostgreSQL:
// pg_terminate_backend), and then taken by another; each instance's
// heartbeat row says what it holds. Also: a digest queued twice for one
// officer and day (two ticks at two instances) is kept once. Runs on SQLite
// (lock files) and PostgreSQL (advisory locks).
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/store/StoreLocks.h"
#include "../support/TestStore.h"

#include "TempDir.h"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using duly::engine::Instant;
using duly::engine::InstanceRecord;
using duly::engine::OutboundMessage;
using duly::store::SqliteCaseStore;
using duly::store::openWorkLocks;
using duly::store::test::TempDir;
using duly::testsupport::onPostgreSql;
using duly::testsupport::storeAt;
using namespace std::chrono_literals;

namespace {

const Instant kNow = duly::engine::parseRfc3339("2026-12-08T09:00:00Z");

// Tries to take `name` for up to five seconds (the server notices a
// closed connection a moment after the process is gone).
bool takeWithin(duly::engine::WorkLocks& locks, const std::string& name) {
    for (int i = 0; i < 100; ++i) {
        if (locks.tryHold(name)) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

}  // namespace

TEST(WorkLocks, OneHolderAtATimeAndReleaseLetsAnotherTakeIt) {
    TempDir dir;
    const auto location = storeAt(dir / "duly.db");
    SqliteCaseStore store(location);  // migrated; the locks need no tables
    auto a = openWorkLocks(location);
    auto b = openWorkLocks(location);
    ASSERT_TRUE(a->tryHold("mailbox:inbox"));
    EXPECT_TRUE(a->tryHold("mailbox:inbox"));  // held already: still true
    EXPECT_FALSE(b->tryHold("mailbox:inbox"));
    EXPECT_EQ(b->lastProblem(), "");  // another holder is not a problem
    EXPECT_TRUE(a->stillHeld("mailbox:inbox"));
    EXPECT_FALSE(b->stillHeld("mailbox:inbox"));
    // Another name is another lock.
    EXPECT_TRUE(b->tryHold("tick"));
    EXPECT_FALSE(a->tryHold("tick"));
    EXPECT_EQ(a->held(), std::vector<std::string>{"mailbox:inbox"});
    EXPECT_EQ(b->held(), std::vector<std::string>{"tick"});
    a->release("mailbox:inbox");
    EXPECT_FALSE(a->stillHeld("mailbox:inbox"));
    EXPECT_TRUE(b->tryHold("mailbox:inbox"));
    EXPECT_FALSE(a->tryHold("mailbox:inbox"));
    // Names that differ only in characters a file name cannot keep are two locks.
    EXPECT_TRUE(a->tryHold("mailbox:a/b"));
    EXPECT_TRUE(b->tryHold("mailbox:a_b"));
}

TEST(WorkLocks, AKilledHolderFreesItsLockAtOnce) {
    TempDir dir;
    const auto location = storeAt(dir / "duly.db");
    { SqliteCaseStore store(location); }
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(ready[0]);
        auto mine = openWorkLocks(location);
        const char ok = mine->tryHold("mailbox:inbox") ? 'y' : 'n';
        if (write(ready[1], &ok, 1) != 1) _exit(2);
        for (;;) pause();  // until killed
    }
    close(ready[1]);
    char ok = 0;
    ASSERT_EQ(read(ready[0], &ok, 1), 1);
    close(ready[0]);
    ASSERT_EQ(ok, 'y') << "the child could not take the lock";
    auto locks = openWorkLocks(location);
    EXPECT_FALSE(locks->tryHold("mailbox:inbox"));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(takeWithin(*locks, "mailbox:inbox"));
}

TEST(WorkLocks, ALostLockConnectionCountsAsLostAndIsTakenAgainLater) {
    if (!onPostgreSql()) GTEST_SKIP() << "PostgreSQL only: SQLite's locks have no connection to lose";
    TempDir dir;
    const auto location = storeAt(dir / "duly.db");
    SqliteCaseStore store(location);
    auto a = openWorkLocks(location);
    auto b = openWorkLocks(location);
    ASSERT_TRUE(a->tryHold("tick"));
    ASSERT_TRUE(a->tryHold("mailbox:inbox"));
    // Cut every lock connection on this database (a's is the only one open).
    {
        Poco::Data::Session admin("PostgreSQL", location.connectionString());
        using namespace Poco::Data::Keywords;
        admin << "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'duly-locks'"
                 " AND datname = current_database()",
            now;
    }
    EXPECT_TRUE(takeWithin(*b, "tick"));
    EXPECT_FALSE(a->stillHeld("tick"));
    EXPECT_NE(a->lastProblem().find("lost"), std::string::npos) << a->lastProblem();
    EXPECT_TRUE(a->held().empty());  // every lock went with the connection
    // a connects again: the mailbox lock nobody took is its again.
    EXPECT_TRUE(a->tryHold("mailbox:inbox"));
    EXPECT_FALSE(a->tryHold("tick"));
    b->release("tick");
    EXPECT_TRUE(a->tryHold("tick"));
}

TEST(Instances, HeartbeatsAreKeptPerInstanceAndReplaced) {
    TempDir dir;
    const auto location = storeAt(dir / "duly.db");
    SqliteCaseStore one(location);
    SqliteCaseStore two(location);  // another instance's connection
    InstanceRecord a{"a", "host-1", 100, kNow, kNow + 5s, {"mailbox:inbox", "tick"}};
    InstanceRecord b{"b", "host-2", 200, kNow, kNow + 3s, {}};
    one.heartbeat(a);
    two.heartbeat(b);
    auto seen = one.instances();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].name, "a");  // most recently seen first
    EXPECT_EQ(seen[0].host, "host-1");
    EXPECT_EQ(seen[0].pid, 100);
    EXPECT_EQ(seen[0].lastSeen, kNow + 5s);
    EXPECT_EQ(seen[0].holds, (std::vector<std::string>{"mailbox:inbox", "tick"}));
    EXPECT_TRUE(seen[1].holds.empty());
    // b takes over after a dies; a restarted under its name replaces its row.
    b.lastSeen = kNow + 20s;
    b.holds = {"mailbox:inbox", "tick"};
    two.heartbeat(b);
    a.pid = 101;
    a.started = a.lastSeen = kNow + 21s;
    a.holds = {};
    one.heartbeat(a);
    seen = two.instances();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].name, "a");
    EXPECT_EQ(seen[0].pid, 101);
    EXPECT_TRUE(seen[0].holds.empty());
    EXPECT_EQ(seen[1].holds, (std::vector<std::string>{"mailbox:inbox", "tick"}));
    EXPECT_EQ(one.forgetInstancesSeenBefore(kNow + 21s), 1u);
    ASSERT_EQ(one.instances().size(), 1u);
    EXPECT_EQ(one.instances()[0].name, "a");
}

TEST(Instances, ADigestQueuedByTwoTicksIsKeptOnce) {
    // Two ticks at two instances (the tick lock lost and taken over within
    // one minute) plan the same digest: its Message-ID is one per officer
    // and day, and the store keeps it once.
    TempDir dir;
    const auto location = storeAt(dir / "duly.db");
    SqliteCaseStore one(location);
    SqliteCaseStore two(location);
    OutboundMessage m;
    m.route = OutboundMessage::Route::Email;
    m.documentKey = "digest/jwong/2026-12-08";
    m.messageKey = "<digest.jwong.2026-12-08@duly.example.org>";
    m.recipient = "jwong@example.org";
    m.bytes = "digest";
    m.queuedAt = m.nextAttemptAt = kNow;
    one.queueMessages({m});
    two.queueMessages({m});  // ON CONFLICT (message_key) DO NOTHING: kept once, no error
    const auto due = two.claimForDelivery(OutboundMessage::Route::Email, kNow, kNow + 1h, 10);
    EXPECT_EQ(due.size(), 1u);
}
