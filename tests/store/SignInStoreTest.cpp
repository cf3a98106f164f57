// Sign-in sessions and the login throttle kept in the store (SignInStore,
// migration 17), as two instances of `duly serve` would use them: two store
// connections on one store, each with its own web::Sessions and
// web::LoginThrottle. A session made at one is found at the other, a
// sign-out at one ends it at the other, and failed sign-ins add up across
// both. Runs on SQLite and on PostgreSQL (tests/store/CMakeLists.txt).
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/LoginThrottle.h"
#include "duly/web/Sessions.h"
#include "../support/TestStore.h"

#include "TempDir.h"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using duly::engine::Instant;
using duly::engine::SessionRecord;
using duly::store::SqliteCaseStore;
using duly::store::test::TempDir;
using duly::testsupport::storeAt;
using duly::web::LoginThrottle;
using duly::web::Sessions;
using Verdict = duly::web::LoginThrottle::Verdict;
using namespace std::chrono_literals;

namespace {

const Instant kNow = duly::engine::parseRfc3339("2026-12-07T09:00:00Z");

// Two instances of serve: two connections to one store.
struct TwoInstances {
    TempDir dir;
    SqliteCaseStore one{storeAt(dir / "duly.db")};
    SqliteCaseStore two{storeAt(dir / "duly.db")};
};

std::size_t rowsHolding(SqliteCaseStore& store, const std::string& value) {
    using namespace Poco::Data::Keywords;
    std::lock_guard lock(store.mutex());
    auto& s = store.session();
    const bool pg = s.connector() == "postgresql";
    std::string v1 = value, v2 = value, v3 = value, v4 = value;
    Poco::Int64 n = 0;
    s << (pg ? "SELECT COUNT(*) FROM web_sessions WHERE id_hash = $1 OR csrf = $2 OR user_id = $3 OR credential = $4"
             : "SELECT COUNT(*) FROM web_sessions WHERE id_hash = ? OR csrf = ? OR user_id = ? OR credential = ?"),
        use(v1), use(v2), use(v3), use(v4), into(n), now;
    return static_cast<std::size_t>(n);
}

}  // namespace

TEST(SignInStoreSessions, MadeAtOneInstanceIsFoundAtTheOther) {
    TwoInstances stores;
    Sessions one(stores.one), two(stores.two);
    const auto made = one.create("jbloggs", kNow, true, "credential-1");
    const auto found = two.find(made.id, kNow + 5min);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, made.id);
    EXPECT_EQ(found->userId, "jbloggs");
    EXPECT_EQ(found->csrf, made.csrf);
    EXPECT_TRUE(found->mustChangePassword);
    EXPECT_EQ(found->credential, "credential-1");
    EXPECT_EQ(found->started, kNow);
    EXPECT_FALSE(two.find(made.id + "x", kNow + 5min));
    EXPECT_FALSE(two.find("", kNow + 5min));
    EXPECT_EQ(two.size(), 1u);
}

TEST(SignInStoreSessions, TheStoreHoldsOnlyTheHashOfTheId) {
    TwoInstances stores;
    Sessions one(stores.one);
    const auto made = one.create("jbloggs", kNow);
    EXPECT_EQ(rowsHolding(stores.one, made.id), 0u);
    EXPECT_FALSE(stores.two.findSession(made.id));
    EXPECT_EQ(stores.two.sessionCount(), 1u);
}

TEST(SignInStoreSessions, SignOutAtOneInstanceEndsItAtTheOther) {
    TwoInstances stores;
    Sessions one(stores.one), two(stores.two);
    const auto made = one.create("jbloggs", kNow);
    ASSERT_TRUE(two.find(made.id, kNow + 1min));
    one.destroy(made.id);
    EXPECT_FALSE(two.find(made.id, kNow + 2min));
    EXPECT_FALSE(one.find(made.id, kNow + 2min));
    EXPECT_EQ(stores.two.sessionCount(), 0u);
}

TEST(SignInStoreSessions, PasswordChangeAtOneInstanceEndsTheUsersOtherSessionsEverywhere) {
    TwoInstances stores;
    Sessions one(stores.one), two(stores.two);
    const auto old = one.create("jbloggs", kNow, false, "credential-1");
    const auto other = one.create("asmith", kNow, false, "credential-9");
    const auto renewed = two.create("jbloggs", kNow + 1min, true, "credential-2");
    two.destroyUser("jbloggs", "credential-2");
    EXPECT_FALSE(one.find(old.id, kNow + 2min));
    ASSERT_TRUE(one.find(renewed.id, kNow + 2min));
    EXPECT_TRUE(one.find(other.id, kNow + 2min));
    // Cleared at one, seen at the other.
    one.clearMustChange(renewed.id);
    EXPECT_FALSE(two.find(renewed.id, kNow + 3min)->mustChangePassword);
    two.destroyUser("jbloggs");
    EXPECT_FALSE(one.find(renewed.id, kNow + 4min));
    EXPECT_EQ(one.size(), 1u);
}

TEST(SignInStoreSessions, LastRequestAtEitherInstanceKeepsTheSessionAlive) {
    TwoInstances stores;
    Sessions one(stores.one), two(stores.two);
    const auto made = one.create("jbloggs", kNow);
    ASSERT_TRUE(two.find(made.id, kNow + 20min));
    // 45 minutes after sign-in but 25 after the last request (at two).
    ASSERT_TRUE(one.find(made.id, kNow + 45min));
    // More than 30 minutes without a request: ended, and removed.
    EXPECT_FALSE(two.find(made.id, kNow + 45min + 31min));
    EXPECT_EQ(stores.one.sessionCount(), 0u);
}

TEST(SignInStoreSessions, EndsTenHoursAfterSignInHoweverBusy) {
    TwoInstances stores;
    Sessions one(stores.one), two(stores.two);
    const auto made = one.create("jbloggs", kNow);
    int n = 0;
    for (auto t = kNow + 20min; t < kNow + 10h; t += 20min) ASSERT_TRUE((++n % 2 ? one : two).find(made.id, t));
    EXPECT_FALSE(two.find(made.id, kNow + 10h + 1s));
}

TEST(SignInStoreSessions, LastRequestIsWrittenAtMostOnceAMinute) {
    TwoInstances stores;
    Sessions one(stores.one);
    const auto made = one.create("jbloggs", kNow);
    // The one stored session's hash, read back through the other connection.
    auto stored = [&] {
        using namespace Poco::Data::Keywords;
        std::lock_guard lock(stores.two.mutex());
        std::string h;
        stores.two.session() << "SELECT id_hash FROM web_sessions", into(h), now;
        return *stores.two.findSession(h);
    };
    ASSERT_TRUE(one.find(made.id, kNow + 30s));
    EXPECT_EQ(stored().lastSeen, kNow);
    ASSERT_TRUE(one.find(made.id, kNow + 61s));
    EXPECT_EQ(stored().lastSeen, kNow + 61s);
    // Never moved back by a request seen late.
    stores.one.touchSession(stored().idHash, kNow + 10s);
    EXPECT_EQ(stored().lastSeen, kNow + 61s);
}

TEST(SignInStoreSessions, PruneRemovesTheExpiredThenTheLeastRecentlySeenPastTheMaximum) {
    TwoInstances stores;
    for (int i = 0; i < 6; ++i)
        stores.one.createSession(SessionRecord{std::string(64, static_cast<char>('a' + i)), "csrf", "user" + std::to_string(i),
                                               kNow, kNow + std::chrono::minutes{i}, false, ""});
    // Seen before kNow + 1min: only the first is idle.
    EXPECT_EQ(stores.two.pruneSessions(kNow + 1min, kNow - 1h, 100), 1u);
    EXPECT_EQ(stores.two.sessionCount(), 5u);
    // At most 3 kept, with room for a new one: 2 stay, the most recently seen.
    EXPECT_EQ(stores.two.pruneSessions(kNow - 1h, kNow - 1h, 3), 3u);
    EXPECT_EQ(stores.one.sessionCount(), 2u);
    EXPECT_TRUE(stores.one.findSession(std::string(64, 'e')));
    EXPECT_TRUE(stores.one.findSession(std::string(64, 'f')));
    EXPECT_FALSE(stores.one.findSession(std::string(64, 'd')));
}

TEST(SignInStoreThrottle, FailuresAddUpAcrossInstances) {
    TwoInstances stores;
    LoginThrottle one(stores.one), two(stores.two);
    for (int i = 0; i < LoginThrottle::kPerAccount; ++i)
        EXPECT_EQ((i % 2 ? two : one).attempt("jbloggs", "192.0.2.1", kNow + std::chrono::seconds{i}).verdict,
                  Verdict::Go)
            << i;
    // Five failures, three at one instance and two at the other: locked at both.
    EXPECT_EQ(one.attempt("jbloggs", "192.0.2.7", kNow + 10s).verdict, Verdict::AccountLocked);
    EXPECT_EQ(two.attempt("jbloggs", "192.0.2.8", kNow + 10s).verdict, Verdict::AccountLocked);
    EXPECT_EQ(two.attempt("asmith", "192.0.2.1", kNow + 10s).verdict, Verdict::Go);
    // Until the window has passed since the first.
    EXPECT_EQ(one.attempt("jbloggs", "192.0.2.1", kNow + LoginThrottle::kWindow - 1s).verdict, Verdict::AccountLocked);
    EXPECT_EQ(one.attempt("jbloggs", "192.0.2.1", kNow + LoginThrottle::kWindow).verdict, Verdict::Go);
}

TEST(SignInStoreThrottle, SuccessAtOneInstanceClearsTheAccountAtBoth) {
    TwoInstances stores;
    LoginThrottle one(stores.one), two(stores.two);
    for (int i = 0; i < LoginThrottle::kPerAccount - 1; ++i)
        ASSERT_EQ(one.attempt("jbloggs", "192.0.2.1", kNow).verdict, Verdict::Go);
    ASSERT_EQ(two.attempt("jbloggs", "192.0.2.1", kNow).verdict, Verdict::Go);
    two.succeeded("jbloggs", "192.0.2.1");
    for (int i = 0; i < LoginThrottle::kPerAccount; ++i)
        EXPECT_EQ(one.attempt("jbloggs", "192.0.2.1", kNow + 1s).verdict, Verdict::Go) << i;
    EXPECT_EQ(two.attempt("jbloggs", "192.0.2.1", kNow + 1s).verdict, Verdict::AccountLocked);
}

TEST(SignInStoreThrottle, CancelAtOneInstanceTakesBackTheAttemptAtBoth) {
    TwoInstances stores;
    LoginThrottle one(stores.one), two(stores.two);
    for (int i = 0; i < LoginThrottle::kPerAccount; ++i)
        ASSERT_EQ(one.attempt("jbloggs", "192.0.2.1", kNow).verdict, Verdict::Go);
    two.cancel("jbloggs", "192.0.2.1");
    EXPECT_EQ(two.attempt("jbloggs", "192.0.2.1", kNow).verdict, Verdict::Go);
    EXPECT_EQ(one.attempt("jbloggs", "192.0.2.1", kNow).verdict, Verdict::AccountLocked);
}

TEST(SignInStoreThrottle, AnAddressPastItsLimitAcrossInstancesIsPaced) {
    TwoInstances stores;
    LoginThrottle one(stores.one, 200ms), two(stores.two, 200ms);
    // Twenty accounts tried from one address, half at each instance: each
    // instance alone has seen ten.
    for (int i = 0; i < LoginThrottle::kPerAddress; ++i) {
        const auto d = (i % 2 ? two : one).attempt("user" + std::to_string(i), "192.0.2.1", kNow);
        ASSERT_EQ(d.verdict, Verdict::Go) << i;
        ASSERT_EQ(d.wait, 0ms) << i;
    }
    const auto first = one.attempt("someone", "192.0.2.1", kNow);
    ASSERT_EQ(first.verdict, Verdict::Go);
    const auto second = one.attempt("someone-else", "192.0.2.1", kNow);
    ASSERT_EQ(second.verdict, Verdict::Go);
    EXPECT_GT(second.wait, 100ms);
    // Another address is not paced.
    EXPECT_EQ(two.attempt("someone", "192.0.2.2", kNow).wait, 0ms);
}

TEST(SignInStoreThrottle, ParallelGuessesAtTwoInstancesPassTheAccountLimitNoMoreThanOnce) {
    TwoInstances stores;
    LoginThrottle one(stores.one), two(stores.two);
    std::atomic<int> passed{0};
    auto guess = [&](LoginThrottle& t, int address) {
        for (int i = 0; i < 10; ++i)
            if (t.attempt("jbloggs", "192.0.2." + std::to_string(address + i), kNow).verdict == Verdict::Go) ++passed;
    };
    std::thread a(guess, std::ref(one), 1), b(guess, std::ref(two), 100);
    a.join();
    b.join();
    EXPECT_EQ(passed.load(), LoginThrottle::kPerAccount);
}
