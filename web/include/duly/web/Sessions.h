// Sessions: who is signed in, held in memory (a restart signs everyone
// out). Each session has a random 256-bit id (the cookie value) and its own
// random CSRF token that every form carries back; tokens are compared in
// constant time. A session ends after 30 minutes without a request or 10
// hours after sign-in, whichever is first. Thread-safe.
#pragma once

#include "duly/engine/Time.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace duly::web {

struct Session {
    std::string id;
    std::string csrf;
    std::string userId;
    engine::Instant started{};
    engine::Instant lastSeen{};
    bool mustChangePassword = false;
};

class Sessions {
public:
    static constexpr std::chrono::minutes kIdle{30};
    static constexpr std::chrono::hours kLifetime{10};
    static constexpr std::size_t kMaxSessions = 10000;

    // A new session for `userId`; the oldest is dropped past kMaxSessions.
    Session create(const std::string& userId, engine::Instant now, bool mustChangePassword = false);

    // The live session with this id (touching it), or nothing when unknown
    // or expired (an expired one is removed).
    std::optional<Session> find(const std::string& id, engine::Instant now);

    void clearMustChange(const std::string& id);
    void destroy(const std::string& id);
    // Ends every session of `userId` (after a password change elsewhere).
    void destroyUser(const std::string& userId);
    std::size_t size() const;

private:
    mutable std::mutex _mutex;
    std::map<std::string, Session> _sessions;
};

// Constant-time comparison of a submitted CSRF token with the session's.
bool csrfMatches(const Session& session, const std::string& submitted);

}  // namespace duly::web
