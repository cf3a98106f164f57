// Sessions: random ids, CSRF tokens, idle and absolute expiry, and the file
// that lets them survive a restart; see Sessions.h.
#include "duly/web/Sessions.h"

#include "duly/web/Accounts.h"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace duly::web {

namespace {

// The key a session is kept under, in memory and in the file.
std::string keyOf(const std::string& id) {
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(id.data()), id.size(), nullptr, 0);
    char hex[2 * sizeof hash + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

long long secondsOf(engine::Instant t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

Sessions::Sessions(std::filesystem::path file) : _file(std::move(file)) {
    if (!_file.empty()) load();
}

void Sessions::load() {
    std::ifstream in(_file);
    if (!in) {
        if (std::filesystem::exists(_file)) throw std::runtime_error(_file.string() + ": cannot be read");
        return;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string key, csrf, user;
        long long started = 0, lastSeen = 0;
        int mustChange = 0;
        std::string credential;
        // A line that does not read is dropped: that person signs in again.
        // One without a credential (written before there was one) reads,
        // and ends at its next request.
        if (!std::getline(fields, key, '\t') || !std::getline(fields, csrf, '\t') || !std::getline(fields, user, '\t') ||
            !(fields >> started >> lastSeen >> mustChange) || key.size() != 64 || csrf.empty() || user.empty())
            continue;
        fields >> credential;
        Session s{{}, csrf, user, engine::Instant{std::chrono::seconds{started}},
                  engine::Instant{std::chrono::seconds{lastSeen}}, mustChange != 0, credential};
        _sessions[key] = s;
    }
}

void Sessions::save() {
    if (_file.empty()) return;
    std::ostringstream text;
    text << "# Duly dashboard sessions: hash of the id, CSRF token, user, started, last seen, must change, credential.\n";
    for (const auto& [key, s] : _sessions)
        text << key << '\t' << s.csrf << '\t' << s.userId << '\t' << secondsOf(s.started) << '\t'
             << secondsOf(s.lastSeen) << '\t' << (s.mustChangePassword ? 1 : 0) << '\t' << s.credential << '\n';
    writePrivateFile(_file, text.str());
}

Session Sessions::create(const std::string& userId, engine::Instant now, bool mustChangePassword,
                         const std::string& credential) {
    Session s{randomToken(32), randomToken(32), userId, now, now, mustChangePassword, credential};
    std::lock_guard lock(_mutex);
    if (_store) {
        _store->pruneSessions(now - kIdle, now - kLifetime, kMaxSessions);
        _store->createSession({keyOf(s.id), s.csrf, userId, now, now, mustChangePassword, credential});
        return s;
    }
    // Expired sessions go when a new one comes, so neither the map nor the
    // file grows with them.
    std::erase_if(_sessions, [&](const auto& kv) {
        return now - kv.second.lastSeen > kIdle || now - kv.second.started > kLifetime;
    });
    if (_sessions.size() >= kMaxSessions) {
        auto oldest = _sessions.begin();
        for (auto it = _sessions.begin(); it != _sessions.end(); ++it)
            if (it->second.lastSeen < oldest->second.lastSeen) oldest = it;
        _sessions.erase(oldest);
    }
    Session kept = s;
    kept.id.clear();  // only its hash is kept
    const auto key = keyOf(s.id);
    _sessions[key] = kept;
    try {
        save();
    } catch (...) {
        _sessions.erase(key);
        throw;
    }
    _savedAt = now;
    return s;
}

std::optional<Session> Sessions::find(const std::string& id, engine::Instant now) {
    std::lock_guard lock(_mutex);
    if (_store) return findStored(id, now);
    auto it = _sessions.find(keyOf(id));
    if (it == _sessions.end()) return std::nullopt;
    auto& s = it->second;
    if (now - s.lastSeen > kIdle || now - s.started > kLifetime) {
        _sessions.erase(it);
        return std::nullopt;
    }
    if (now > s.lastSeen) s.lastSeen = now;
    Session out = s;
    out.id = id;
    if (!_file.empty() && now - _savedAt >= kSaveLastSeenEvery) {
        // Best effort: a missed write only shortens sessions after a restart.
        try {
            save();
            _savedAt = now;
        } catch (const std::exception&) {
        }
    }
    return out;
}

std::optional<Session> Sessions::findStored(const std::string& id, engine::Instant now) {
    const auto key = keyOf(id);
    auto r = _store->findSession(key);
    if (!r) return std::nullopt;
    if (now - r->lastSeen > kIdle || now - r->started > kLifetime) {
        _store->destroySession(key);
        return std::nullopt;
    }
    if (now - r->lastSeen >= kSaveLastSeenEvery) {
        // Best effort: a missed write only ends the session a minute early.
        try {
            _store->touchSession(key, now);
        } catch (const std::exception&) {
        }
    }
    return Session{id, r->csrf, r->userId, r->started, std::max(now, r->lastSeen), r->mustChangePassword,
                   r->credential};
}

void Sessions::clearMustChange(const std::string& id) {
    std::lock_guard lock(_mutex);
    if (_store) return _store->clearSessionMustChange(keyOf(id));
    if (auto it = _sessions.find(keyOf(id)); it != _sessions.end()) {
        it->second.mustChangePassword = false;
        save();
    }
}

void Sessions::destroy(const std::string& id) {
    std::lock_guard lock(_mutex);
    if (_store) return _store->destroySession(keyOf(id));
    if (_sessions.erase(keyOf(id))) save();
}

void Sessions::destroyUser(const std::string& userId, const std::string& keep) {
    std::lock_guard lock(_mutex);
    if (_store) {
        _store->destroyUserSessions(userId, keep);
        return;
    }
    if (std::erase_if(_sessions, [&](const auto& kv) {
            return kv.second.userId == userId && (keep.empty() || kv.second.credential != keep);
        }))
        save();
}

std::size_t Sessions::size() const {
    std::lock_guard lock(_mutex);
    if (_store) return _store->sessionCount();
    return _sessions.size();
}

bool csrfMatches(const Session& session, const std::string& submitted) {
    if (submitted.size() != session.csrf.size() || session.csrf.empty()) return false;
    return sodium_memcmp(submitted.data(), session.csrf.data(), submitted.size()) == 0;
}

}  // namespace duly::web
