// Sessions: who is signed in. Each session has a random 256-bit id (the
// cookie value) and its own random CSRF token that every form carries back;
// tokens are compared in constant time. A session ends after 30 minutes
// without a request or 10 hours after sign-in, whichever is first.
//
// With a file, sessions survive a restart of `duly serve`: the file (mode
// 0600, rewritten whole through a temporary file, fsync and rename, like the
// passwords file) holds a BLAKE2b hash of each session id, never the id, so
// whoever reads it cannot sign in as anyone. Sign-in, sign-out and a
// password change are written at once (a failure to write is thrown as
// std::runtime_error: a sign-out must not come back after a restart); the
// time of the last request is written at most once a minute, so after a
// restart a session may end up to a minute early. Without a file, sessions
// live in memory only.
//
// With a store (engine::SignInStore, what `duly serve` uses), sessions are
// rows in the database that every instance shares: a session made at one
// instance is found at another, and a sign-out at one ends it at all. The
// store keeps the same hash, never the id; the last request's time is
// written at most once a minute, so a session may end up to a minute early.
// Store failures are thrown (std::runtime_error) except when writing that
// time. Thread-safe.
#pragma once

#include "duly/engine/SignInStore.h"
#include "duly/engine/Time.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace duly::web {

struct Session {
    std::string id;  // as the cookie carries it
    std::string csrf;
    std::string userId;
    engine::Instant started{};
    engine::Instant lastSeen{};
    bool mustChangePassword = false;
    // Accounts::credential() of the user at sign-in: when the password is
    // set again (on the dashboard or with `duly user passwd`) or removed,
    // it no longer matches and the session ends.
    std::string credential;
};

class Sessions {
public:
    static constexpr std::chrono::minutes kIdle{30};
    static constexpr std::chrono::hours kLifetime{10};
    static constexpr std::size_t kMaxSessions = 10000;
    static constexpr std::chrono::minutes kSaveLastSeenEvery{1};

    // In memory only.
    Sessions() = default;
    // Kept in `file` too (empty: in memory only); reads it when it exists.
    // Throws std::runtime_error when it exists but cannot be read.
    explicit Sessions(std::filesystem::path file);
    // Kept in `store`, shared with every instance using it.
    explicit Sessions(engine::SignInStore& store) : _store(&store) {}

    // A new session for `userId`; the oldest is dropped past kMaxSessions.
    Session create(const std::string& userId, engine::Instant now, bool mustChangePassword = false,
                   const std::string& credential = {});

    // The live session with this id (touching it), or nothing when unknown
    // or expired (an expired one is removed).
    std::optional<Session> find(const std::string& id, engine::Instant now);

    void clearMustChange(const std::string& id);
    void destroy(const std::string& id);
    // Ends every session of `userId` (after a password change elsewhere);
    // with `keep`, those that carry that credential live on.
    void destroyUser(const std::string& userId, const std::string& keep = {});
    std::size_t size() const;

private:
    void save();          // throws std::runtime_error
    void load();
    std::optional<Session> findStored(const std::string& id, engine::Instant now);  // with the mutex held
    mutable std::mutex _mutex;
    std::filesystem::path _file;
    engine::SignInStore* _store = nullptr;  // when set, sessions live there, not in _sessions
    std::map<std::string, Session> _sessions;  // by the hash of the id
    engine::Instant _savedAt{};
};

// Constant-time comparison of a submitted CSRF token with the session's.
bool csrfMatches(const Session& session, const std::string& submitted);

}  // namespace duly::web
