// Accounts (Argon2id hashes in a 0600 file), sessions and CSRF tokens,
// the login throttle and the audit log.
#include "WebFixture.h"

#include "duly/engine/InputError.h"
#include "duly/web/LoginThrottle.h"

#include <set>
#include <sys/stat.h>

using namespace duly::web;
using namespace duly::web::test;

namespace {

TEST(Passwords, HashIsArgon2idSaltedAndVerifies) {
    auto a = hashPassword("correct horse battery", HashCost::Minimum);
    auto b = hashPassword("correct horse battery", HashCost::Minimum);
    EXPECT_EQ(a.rfind("$argon2id$", 0), 0u) << a;
    EXPECT_NE(a, b);  // a fresh salt each time
    EXPECT_TRUE(verifyPassword(a, "correct horse battery"));
    EXPECT_FALSE(verifyPassword(a, "correct horse batterY"));
    EXPECT_FALSE(verifyPassword("", "x"));
    EXPECT_FALSE(verifyPassword("not a hash", "x"));
}

TEST(Passwords, RulesAndRandomOnes) {
    EXPECT_THROW(checkPasswordRules("short"), duly::engine::InputError);
    EXPECT_THROW(checkPasswordRules(std::string(257, 'a')), duly::engine::InputError);
    EXPECT_NO_THROW(checkPasswordRules("ten chars!"));
    auto p = randomPassword();
    EXPECT_EQ(p.size(), 19u);
    EXPECT_NO_THROW(checkPasswordRules(p));
    EXPECT_NE(p, randomPassword());
    EXPECT_EQ(randomToken(32).size(), 64u);
}

TEST(Accounts, KeptInA0600FileAndReadBack) {
    TempFolder dir;
    auto file = dir.path() / "var" / "passwords";
    {
        Accounts accounts(file, HashCost::Minimum);
        EXPECT_TRUE(accounts.empty());
        accounts.setPassword("sali", "correct horse battery", false);
        accounts.setPassword("jwong", "one-time-pass-1", true);
        EXPECT_THROW(accounts.setPassword("x\ty", "correct horse battery", false), duly::engine::InputError);
    }
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    Accounts again(file, HashCost::Minimum);
    EXPECT_TRUE(again.check("sali", "correct horse battery"));
    EXPECT_FALSE(again.check("sali", "one-time-pass-1"));
    EXPECT_FALSE(again.check("nobody", "correct horse battery"));
    EXPECT_FALSE(again.mustChange("sali"));
    EXPECT_TRUE(again.mustChange("jwong"));
    EXPECT_TRUE(again.exists("jwong"));
    EXPECT_FALSE(again.exists("nobody"));
}

TEST(Accounts, ABrokenFileIsNamedWithItsLine) {
    TempFolder dir;
    auto file = dir.path() / "passwords";
    {
        std::ofstream out(file);
        out << "# comment\nsali 0 hash\n";
    }
    try {
        Accounts accounts(file, HashCost::Minimum);
        FAIL() << "a line without tabs was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("passwords:2: expected ID, must-change and hash"), std::string::npos) << e.what();
    }
}

TEST(Sessions, RandomIdsAndTokensThatExpire) {
    Sessions sessions;
    auto now = at("2026-11-24T10:00:00Z");
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) ids.insert(sessions.create("sali", now).id);
    EXPECT_EQ(ids.size(), 100u);
    auto s = sessions.create("sali", now);
    EXPECT_EQ(s.id.size(), 64u);
    EXPECT_EQ(s.csrf.size(), 64u);
    EXPECT_NE(s.id, s.csrf);
    // Used every 20 minutes it lives; after 30 idle minutes it is gone.
    EXPECT_TRUE(sessions.find(s.id, now + std::chrono::minutes{20}));
    EXPECT_TRUE(sessions.find(s.id, now + std::chrono::minutes{40}));
    EXPECT_FALSE(sessions.find(s.id, now + std::chrono::minutes{71}));
    // However busy, a session ends 10 hours after sign-in.
    auto busy = sessions.create("jwong", now);
    for (int m = 20; m < 10 * 60; m += 20) ASSERT_TRUE(sessions.find(busy.id, now + std::chrono::minutes{m}));
    EXPECT_FALSE(sessions.find(busy.id, now + std::chrono::minutes{10 * 60 + 1}));
    EXPECT_FALSE(sessions.find("unknown", now));
}

TEST(Sessions, CsrfTokensMatchOnlyTheirOwnSession) {
    Sessions sessions;
    auto now = at("2026-11-24T10:00:00Z");
    auto a = sessions.create("sali", now), b = sessions.create("sali", now);
    EXPECT_TRUE(csrfMatches(a, a.csrf));
    EXPECT_FALSE(csrfMatches(a, b.csrf));
    EXPECT_FALSE(csrfMatches(a, ""));
    EXPECT_FALSE(csrfMatches(a, a.csrf.substr(1)));
    Session empty;
    EXPECT_FALSE(csrfMatches(empty, ""));
}

TEST(Sessions, DestroyOneOrAllOfAUser) {
    Sessions sessions;
    auto now = at("2026-11-24T10:00:00Z");
    auto a = sessions.create("sali", now), b = sessions.create("sali", now), c = sessions.create("jwong", now);
    sessions.destroy(a.id);
    EXPECT_FALSE(sessions.find(a.id, now));
    sessions.destroyUser("sali");
    EXPECT_FALSE(sessions.find(b.id, now));
    EXPECT_TRUE(sessions.find(c.id, now));
}

TEST(Sessions, SurviveARestartThroughAFileThatHoldsNoUsableId) {
    TempFolder dir;
    const auto file = dir.path() / "var" / "sessions";
    auto now = at("2026-11-24T10:00:00Z");
    Session a, b, c;
    {
        Sessions sessions(file);
        a = sessions.create("sali", now);
        b = sessions.create("jwong", now, true);
        c = sessions.create("rhughes", now);
        sessions.destroy(c.id);  // signed out: must stay out
        ASSERT_TRUE(sessions.find(a.id, now + std::chrono::minutes{10}));  // saved: a minute has passed
    }
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().find(a.id), std::string::npos);  // only hashes of the ids
    EXPECT_EQ(text.str().find(b.id), std::string::npos);

    Sessions restarted(file);
    EXPECT_EQ(restarted.size(), 2u);
    // Idle time runs from the last request before the restart (10:10).
    auto again = restarted.find(a.id, now + std::chrono::minutes{35});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, a.id);
    EXPECT_EQ(again->csrf, a.csrf);
    EXPECT_EQ(again->userId, "sali");
    EXPECT_TRUE(csrfMatches(*again, a.csrf));
    auto forced = restarted.find(b.id, now + std::chrono::minutes{5});
    ASSERT_TRUE(forced);
    EXPECT_TRUE(forced->mustChangePassword);
    EXPECT_FALSE(restarted.find(c.id, now + std::chrono::minutes{5}));
    EXPECT_FALSE(restarted.find(b.id, now + std::chrono::minutes{40}));  // idle too long since 10:05
    // A file's line that does not read is dropped, not fatal.
    {
        std::ofstream out(file, std::ios::app);
        out << "garbage\n";
    }
    EXPECT_NO_THROW(Sessions{file});
}

TEST(LoginThrottle, FiveAttemptsLockTheAccountForFifteenMinutes) {
    LoginThrottle throttle;
    using V = LoginThrottle::Verdict;
    auto now = at("2026-11-24T10:00:00Z");
    // Each attempt is counted when it is allowed, before any password check.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(throttle.attempt("sali", "10.0.0.1", now).verdict, V::Go);
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.2", now).verdict, V::AccountLocked);  // from anywhere
    EXPECT_EQ(throttle.attempt("jwong", "10.0.0.1", now).verdict, V::Go);
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.1", now + std::chrono::minutes{14}).verdict, V::AccountLocked);
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.1", now + std::chrono::minutes{15}).verdict, V::Go);
}

TEST(LoginThrottle, ACancelledAttemptAndASuccessTakeTheCountBack) {
    LoginThrottle throttle;
    using V = LoginThrottle::Verdict;
    auto now = at("2026-11-24T10:00:00Z");
    for (int i = 0; i < 4; ++i) throttle.attempt("sali", "10.0.0.1", now);
    throttle.succeeded("sali", "10.0.0.1");
    for (int i = 0; i < 4; ++i) throttle.attempt("sali", "10.0.0.1", now);
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(throttle.attempt("sali", "10.0.0.1", now).verdict, V::Go);
        throttle.cancel("sali", "10.0.0.1");  // the server was too busy to check
    }
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.1", now).verdict, V::Go);
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.1", now).verdict, V::AccountLocked);
}

TEST(LoginThrottle, PastTwentyFromAnAddressAttemptsArePacedNotRefused) {
    LoginThrottle throttle(std::chrono::hours{1});  // a pace no test waits for
    using V = LoginThrottle::Verdict;
    auto now = at("2026-11-24T10:00:00Z");
    for (int i = 0; i < 20; ++i) {
        auto d = throttle.attempt("user" + std::to_string(i), "10.0.0.9", now);
        ASSERT_EQ(d.verdict, V::Go);
        ASSERT_EQ(d.wait.count(), 0);
    }
    // The 21st goes at once; each one after waits its turn, an hour apart.
    auto first = throttle.attempt("sali", "10.0.0.9", now);
    EXPECT_EQ(first.verdict, V::Go);
    EXPECT_EQ(first.wait.count(), 0);
    auto second = throttle.attempt("jwong", "10.0.0.9", now);
    EXPECT_EQ(second.verdict, V::Go);
    EXPECT_GT(second.wait, std::chrono::minutes{59});
    EXPECT_LE(second.wait, std::chrono::minutes{60});
    for (int i = 2; i <= LoginThrottle::kMaxQueued; ++i)
        ASSERT_EQ(throttle.attempt("queued" + std::to_string(i), "10.0.0.9", now).verdict, V::Go);
    // Too many waiting already: busy, and not counted.
    EXPECT_EQ(throttle.attempt("one-more", "10.0.0.9", now).verdict, V::Busy);
    EXPECT_EQ(throttle.attempt("someone-else", "10.0.0.8", now).wait.count(), 0);  // another address: untouched
}

TEST(LoginThrottle, MemoryStaysBoundedAndALockedAccountStaysLockedUnderAFloodOfNames) {
    constexpr std::size_t bound = 1000;  // LoginThrottle::kMaxKeys in service; smaller here to stay fast
    LoginThrottle throttle(std::chrono::milliseconds{1000}, bound);
    using V = LoginThrottle::Verdict;
    auto now = at("2026-11-24T10:00:00Z");
    for (int i = 0; i < 5; ++i) throttle.attempt("sali", "10.0.0.1", now);
    ASSERT_EQ(throttle.attempt("sali", "10.0.0.1", now).verdict, V::AccountLocked);
    // Ten times more made-up names, from as many addresses, than are kept
    // (the throttle used to clear every counter at once when full).
    for (int i = 0; i < static_cast<int>(10 * bound); ++i) {
        auto name = "guess" + std::to_string(i);
        throttle.attempt(name, "10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." +
                                   std::to_string(i % 256),
                         now + std::chrono::seconds{i / 100});
    }
    EXPECT_LE(throttle.accountsKept(), bound);
    EXPECT_GE(throttle.accountsKept(), bound / 2);  // half dropped at a time, not everyone
    EXPECT_LE(throttle.addressesKept(), bound);
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.2", now + std::chrono::minutes{2}).verdict, V::AccountLocked);
    // Counters expire with their window, not with the flood.
    EXPECT_EQ(throttle.attempt("sali", "10.0.0.2", now + std::chrono::minutes{15}).verdict, V::Go);
}

TEST(AuditLog, EveryFieldIsCutTo200BytesOnACharacterBoundary) {
    TempFolder dir;
    AuditLog log(dir.path() / "audit.log");
    std::string accents;
    for (int i = 0; i < 30000; ++i) accents += "\xC3\xA9";  // é, two bytes
    log.write(at("2026-11-24T10:00:00Z"), std::string(60000, 'a'), "sign-in failed", "/sign-in", "x" + accents);
    std::ifstream in(dir.path() / "audit.log");
    std::string line;
    std::getline(in, line);
    EXPECT_LT(line.size(), 5 * AuditLog::kMaxFieldBytes);
    std::vector<std::string> fields;
    std::istringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    ASSERT_EQ(fields.size(), 5u);
    EXPECT_EQ(fields[1], std::string(197, 'a') + "\xE2\x80\xA6");
    EXPECT_LE(fields[4].size(), AuditLog::kMaxFieldBytes);
    // "x" then whole é's only, then the ellipsis.
    EXPECT_EQ(fields[4], "x" + accents.substr(0, 196) + "\xE2\x80\xA6");
    EXPECT_EQ(fields[2], "sign-in failed");  // short fields as they were
}

TEST(Accounts, APasswordSetByAnotherProcessCountsAtOnceAndIsNeverUndone) {
    TempFolder dir;
    auto file = dir.path() / "var" / "passwords";
    Accounts server(file, HashCost::Minimum);
    server.setPassword("sali", "correct horse battery", false);
    server.setPassword("jwong", "jenny's old password", false);
    const auto before = server.credential("sali");
    ASSERT_TRUE(before);
    // `duly user passwd sali`: another process, with its own memory.
    Accounts command(file, HashCost::Minimum);
    const auto after = command.setPassword("sali", "a brand new password", false);
    EXPECT_FALSE(server.check("sali", "correct horse battery"));
    EXPECT_TRUE(server.check("sali", "a brand new password"));
    EXPECT_EQ(server.credential("sali"), std::optional<std::string>(after));
    EXPECT_NE(after, *before);
    // The dashboard then changes another password: merged, not written
    // from what the server remembered.
    server.setPassword("jwong", "jenny's new password", false);
    Accounts fresh(file, HashCost::Minimum);
    EXPECT_TRUE(fresh.check("sali", "a brand new password"));
    EXPECT_TRUE(fresh.check("jwong", "jenny's new password"));
    // Removed elsewhere: gone here too.
    EXPECT_TRUE(command.remove("jwong"));
    EXPECT_FALSE(command.remove("jwong"));
    EXPECT_FALSE(server.exists("jwong"));
    EXPECT_FALSE(server.credential("jwong"));
    EXPECT_FALSE(server.check("jwong", "jenny's new password"));
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Accounts, AtMostFourHashesRunAtOnce) {
    TempFolder dir;
    Accounts accounts(dir.path() / "passwords", HashCost::Minimum);
    accounts.setPassword("sali", "correct horse battery", false);
    auto& slots = accounts.hashSlots();
    for (int i = 0; i < Accounts::kMaxHashesAtOnce; ++i) ASSERT_TRUE(slots.tryAcquire());
    const auto checks = accounts.checksRun();
    EXPECT_FALSE(accounts.tryCheck("sali", "correct horse battery"));
    EXPECT_EQ(accounts.checksRun(), checks);  // no hash was run
    slots.release();
    EXPECT_EQ(accounts.tryCheck("sali", "correct horse battery"), std::optional<bool>(true));
    EXPECT_EQ(accounts.tryCheck("nobody", "correct horse battery"), std::optional<bool>(false));
    EXPECT_EQ(accounts.checksRun(), checks + 2);  // the unknown name cost a check too
    for (int i = 1; i < Accounts::kMaxHashesAtOnce; ++i) slots.release();
}

TEST(AuditLog, OneLinePerEntryWhateverTheText) {
    TempFolder dir;
    AuditLog log(dir.path() / "audit.log");
    log.write(at("2026-11-24T10:00:00Z"), "sali", "viewed case", "PHG-2026-00001");
    log.write(at("2026-11-24T10:01:00Z"), "sali\tx", "extend", "PHG-2026-00001", "5 days:\nbecause\tof rain");
    std::ifstream in(dir.path() / "audit.log");
    std::string a, b, c;
    std::getline(in, a);
    std::getline(in, b);
    EXPECT_FALSE(std::getline(in, c));
    EXPECT_EQ(a, "2026-11-24T10:00:00Z\tsali\tviewed case\tPHG-2026-00001\t");
    EXPECT_EQ(b, "2026-11-24T10:01:00Z\tsali x\textend\tPHG-2026-00001\t5 days: because of rain");
}

}  // namespace
