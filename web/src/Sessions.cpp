// Sessions: random ids, CSRF tokens, idle and absolute expiry; see Sessions.h.
#include "duly/web/Sessions.h"

#include "duly/web/Accounts.h"

#include <sodium.h>

namespace duly::web {

Session Sessions::create(const std::string& userId, engine::Instant now, bool mustChangePassword) {
    Session s{randomToken(32), randomToken(32), userId, now, now, mustChangePassword};
    std::lock_guard lock(_mutex);
    if (_sessions.size() >= kMaxSessions) {
        auto oldest = _sessions.begin();
        for (auto it = _sessions.begin(); it != _sessions.end(); ++it)
            if (it->second.lastSeen < oldest->second.lastSeen) oldest = it;
        _sessions.erase(oldest);
    }
    _sessions[s.id] = s;
    return s;
}

std::optional<Session> Sessions::find(const std::string& id, engine::Instant now) {
    std::lock_guard lock(_mutex);
    auto it = _sessions.find(id);
    if (it == _sessions.end()) return std::nullopt;
    auto& s = it->second;
    if (now - s.lastSeen > kIdle || now - s.started > kLifetime) {
        _sessions.erase(it);
        return std::nullopt;
    }
    if (now > s.lastSeen) s.lastSeen = now;
    return s;
}

void Sessions::clearMustChange(const std::string& id) {
    std::lock_guard lock(_mutex);
    if (auto it = _sessions.find(id); it != _sessions.end()) it->second.mustChangePassword = false;
}

void Sessions::destroy(const std::string& id) {
    std::lock_guard lock(_mutex);
    _sessions.erase(id);
}

void Sessions::destroyUser(const std::string& userId) {
    std::lock_guard lock(_mutex);
    std::erase_if(_sessions, [&](const auto& kv) { return kv.second.userId == userId; });
}

std::size_t Sessions::size() const {
    std::lock_guard lock(_mutex);
    return _sessions.size();
}

bool csrfMatches(const Session& session, const std::string& submitted) {
    if (submitted.size() != session.csrf.size() || session.csrf.empty()) return false;
    return sodium_memcmp(submitted.data(), session.csrf.data(), submitted.size()) == 0;
}

}  // namespace duly::web
