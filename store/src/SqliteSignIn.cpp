// SqliteCaseStore's SignInStore half: the dashboard's sessions (by the hash
// of their id) and the login throttle's attempts, in tables web_sessions and
// sign_in_attempts (migration 17), so that every instance of `duly serve`
// on one store sees the same. Counting an attempt is one write transaction
// (SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory
// lock), so parallel guesses at two instances cannot both pass the limit
// before either is counted. Database errors pass through as StoreError or
// Poco exceptions.
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::store {

using namespace detail;

namespace {

// Any fixed number will do: only the login throttle takes it.
constexpr const char* kThrottleLock = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(4417017)) AS duly_sign_in_lock";

Int countOf(Poco::Data::Session& s, const std::string& kind, const std::string& name, Int since) {
    std::string k = kind, n = name;
    Int count = 0;
    s << sql(s, "SELECT COUNT(*) FROM sign_in_attempts WHERE kind = ? AND name = ? AND at > ?"), use(k), use(n),
        use(since), into(count), now;
    return count;
}

void takeBackLatest(Poco::Data::Session& s, const std::string& kind, const std::string& name) {
    std::string k = kind, n = name;
    s << sql(s, "DELETE FROM sign_in_attempts WHERE id = (SELECT MAX(id) FROM sign_in_attempts"
                " WHERE kind = ? AND name = ?)"),
        use(k), use(n), now;
}

}  // namespace

void SqliteCaseStore::createSession(const SessionRecord& r) {
    std::lock_guard lock(_mutex);
    std::string hash = r.idHash, csrf = r.csrf, user = r.userId, credential = r.credential;
    Int started = seconds(r.started), lastSeen = seconds(r.lastSeen), mustChange = r.mustChangePassword ? 1 : 0;
    *_session << sql(*_session,
                     "INSERT INTO web_sessions (id_hash, csrf, user_id, started, last_seen, must_change, credential)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)"),
        use(hash), use(csrf), use(user), use(started), use(lastSeen), use(mustChange), use(credential), now;
}

std::optional<SessionRecord> SqliteCaseStore::findSession(const std::string& idHash) const {
    std::lock_guard lock(_mutex);
    std::string hash = idHash;
    Statement st(*_session);
    st << sql(*_session,
              "SELECT csrf, user_id, started, last_seen, must_change, credential FROM web_sessions WHERE id_hash = ?"),
        use(hash), now;
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    SessionRecord r;
    r.idHash = idHash;
    r.csrf = text(rs, 0, 0);
    r.userId = text(rs, 1, 0);
    r.started = instant(integer(rs, 2, 0));
    r.lastSeen = instant(integer(rs, 3, 0));
    r.mustChangePassword = integer(rs, 4, 0) != 0;
    r.credential = text(rs, 5, 0);
    return r;
}

void SqliteCaseStore::touchSession(const std::string& idHash, Instant lastSeen) {
    std::lock_guard lock(_mutex);
    std::string hash = idHash;
    Int at = seconds(lastSeen);
    // Never backwards: another instance may have written a later time.
    *_session << sql(*_session, "UPDATE web_sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?"), use(at),
        use(hash), use(at), now;
}

void SqliteCaseStore::clearSessionMustChange(const std::string& idHash) {
    std::lock_guard lock(_mutex);
    std::string hash = idHash;
    *_session << sql(*_session, "UPDATE web_sessions SET must_change = 0 WHERE id_hash = ?"), use(hash), now;
}

void SqliteCaseStore::destroySession(const std::string& idHash) {
    std::lock_guard lock(_mutex);
    std::string hash = idHash;
    *_session << sql(*_session, "DELETE FROM web_sessions WHERE id_hash = ?"), use(hash), now;
}

std::size_t SqliteCaseStore::destroyUserSessions(const std::string& userId, const std::string& keepCredential) {
    std::lock_guard lock(_mutex);
    std::string user = userId, keep = keepCredential;
    Statement st(*_session);
    if (keep.empty())
        st << sql(*_session, "DELETE FROM web_sessions WHERE user_id = ?"), use(user);
    else
        st << sql(*_session, "DELETE FROM web_sessions WHERE user_id = ? AND credential <> ?"), use(user), use(keep);
    return st.execute();
}

std::size_t SqliteCaseStore::pruneSessions(Instant idleBefore, Instant startedBefore, std::size_t keepAtMost) {
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] {
        Int idle = seconds(idleBefore), started = seconds(startedBefore);
        Statement expired(*_session);
        expired << sql(*_session, "DELETE FROM web_sessions WHERE last_seen < ? OR started < ?"), use(idle),
            use(started);
        std::size_t removed = expired.execute();
        Int left = 0;
        *_session << "SELECT COUNT(*) FROM web_sessions", into(left), now;
        if (keepAtMost > 0 && static_cast<std::size_t>(left) >= keepAtMost) {
            Int over = left - static_cast<Int>(keepAtMost) + 1;
            Statement oldest(*_session);
            oldest << sql(*_session, "DELETE FROM web_sessions WHERE id_hash IN (SELECT id_hash FROM web_sessions"
                                     " ORDER BY last_seen, id_hash LIMIT ?)"),
                use(over);
            removed += oldest.execute();
        }
        return removed;
    });
}

std::size_t SqliteCaseStore::sessionCount() const {
    std::lock_guard lock(_mutex);
    Int count = 0;
    *_session << "SELECT COUNT(*) FROM web_sessions", into(count), now;
    return static_cast<std::size_t>(count);
}

SignInCounts SqliteCaseStore::countSignInAttempt(const std::string& account, const std::string& address,
                                                 Instant now_, Instant since, int accountLimit) {
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] {
        if (postgres(*_session)) {
            Int locked = 0;
            *_session << kThrottleLock, into(locked), now;
        }
        Int after = seconds(since), at = seconds(now_);
        *_session << sql(*_session, "DELETE FROM sign_in_attempts WHERE at <= ?"), use(after), now;
        SignInCounts counts;
        counts.account = static_cast<int>(countOf(*_session, "account", account, after));
        counts.address = static_cast<int>(countOf(*_session, "address", address, after));
        if (counts.account >= accountLimit) return counts;
        for (const auto& [kind, name] : {std::pair<std::string, std::string>{"account", account}, {"address", address}}) {
            std::string k = kind, n = name;
            *_session << sql(*_session, "INSERT INTO sign_in_attempts (kind, name, at) VALUES (?, ?, ?)"), use(k),
                use(n), use(at), now;
        }
        counts.counted = true;
        return counts;
    });
}

void SqliteCaseStore::takeBackSignInAttempt(const std::string& account, const std::string& address,
                                            bool wholeAccount) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] {
        if (postgres(*_session)) {
            Int locked = 0;
            *_session << kThrottleLock, into(locked), now;
        }
        if (wholeAccount) {
            std::string name = account;
            *_session << sql(*_session, "DELETE FROM sign_in_attempts WHERE kind = 'account' AND name = ?"), use(name),
                now;
        } else {
            takeBackLatest(*_session, "account", account);
        }
        takeBackLatest(*_session, "address", address);
    });
}

}  // namespace duly::store
