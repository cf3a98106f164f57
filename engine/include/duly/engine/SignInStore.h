// SignInStore: what the dashboard's sign-in needs remembered where every
// instance of `duly serve` sees it, so that an officer's session works
// whichever instance answers and password guesses are counted across all of
// them: the sessions (by a hash of their id, never the id itself) and the
// recent sign-in attempts per account and per client address.
// Implemented by duly::store next to the cases; web::Sessions and
// web::LoginThrottle keep the rules (expiry, limits, pacing) and use it.
// Every method throws std::runtime_error (StoreError) when the store fails.
#pragma once

#include "duly/engine/Time.h"

#include <cstddef>
#include <optional>
#include <string>

namespace duly::engine {

// One signed-in session as stored.
struct SessionRecord {
    std::string idHash;  // hex BLAKE2b hash of the cookie's session id
    std::string csrf;
    std::string userId;
    Instant started{};
    Instant lastSeen{};
    bool mustChangePassword = false;
    std::string credential;  // the account's credential at sign-in (web::Accounts::credential)
};

// Sign-in attempts counted within the throttle's window, before this one.
struct SignInCounts {
    int account = 0;
    int address = 0;
    bool counted = false;  // this attempt was recorded (the account was below its limit)
};

class SignInStore {
public:
    virtual ~SignInStore() = default;

    // Stores a new session (its idHash is new).
    virtual void createSession(const SessionRecord& session) = 0;
    // The session with this hash, expired or not; nothing when unknown.
    virtual std::optional<SessionRecord> findSession(const std::string& idHash) const = 0;
    // Sets the time of the session's last request (the caller writes it at
    // most once a minute per session).
    virtual void touchSession(const std::string& idHash, Instant lastSeen) = 0;
    virtual void clearSessionMustChange(const std::string& idHash) = 0;
    virtual void destroySession(const std::string& idHash) = 0;
    // Ends every session of `userId`; with `keepCredential` (not empty),
    // those carrying that credential live on. Returns how many ended.
    virtual std::size_t destroyUserSessions(const std::string& userId, const std::string& keepCredential) = 0;
    // Removes the sessions last seen before `idleBefore` or started before
    // `startedBefore`; then, when `keepAtMost` or more remain, the least
    // recently seen until one fewer than `keepAtMost` remain (room for a new
    // one). Returns how many were removed.
    virtual std::size_t pruneSessions(Instant idleBefore, Instant startedBefore, std::size_t keepAtMost) = 0;
    virtual std::size_t sessionCount() const = 0;

    // In one step that no other instance can interleave with: counts the
    // attempts of `account` and of `address` made after `since`; when the
    // account has fewer than `accountLimit`, records one more attempt for
    // each at `now`. Attempts at or before `since` are forgotten.
    virtual SignInCounts countSignInAttempt(const std::string& account, const std::string& address, Instant now,
                                            Instant since, int accountLimit) = 0;
    // Takes back the most recent attempt of `account` (when `wholeAccount`:
    // all of its attempts) and the most recent of `address`.
    virtual void takeBackSignInAttempt(const std::string& account, const std::string& address, bool wholeAccount) = 0;
};

}  // namespace duly::engine
