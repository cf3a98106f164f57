// LoginThrottle: attempts per account and address, counted before the
// password is checked, paced past the address limit; see LoginThrottle.h.
#include "duly/web/LoginThrottle.h"

#include <algorithm>
#include <vector>

namespace duly::web {

int LoginThrottle::recent(Record& r, engine::Instant now) {
    while (!r.times.empty() && now - r.times.front() >= kWindow) r.times.pop_front();
    return static_cast<int>(r.times.size());
}

LoginThrottle::Record* LoginThrottle::recordFor(Map& map, const std::string& key, int limit,
                                                engine::Instant now) const {
    if (auto it = map.find(key); it != map.end()) return &it->second;
    if (map.size() >= _maxKeys) {
        const auto steady = std::chrono::steady_clock::now();
        std::erase_if(map, [&](const auto& kv) {
            const auto& times = kv.second.times;
            return (times.empty() || now - times.back() >= kWindow) && kv.second.nextTurn <= steady;
        });
        if (map.size() >= _maxKeys) {
            // Drop the least-used half of those below their limit, oldest
            // last attempt first; those at their limit stay.
            std::vector<Map::iterator> below;
            for (auto it = map.begin(); it != map.end(); ++it)
                if (static_cast<int>(it->second.times.size()) < limit) below.push_back(it);
            auto lastOf = [](Map::iterator it) {
                return it->second.times.empty() ? engine::Instant{} : it->second.times.back();
            };
            std::sort(below.begin(), below.end(), [&](Map::iterator a, Map::iterator b) {
                if (a->second.times.size() != b->second.times.size())
                    return a->second.times.size() < b->second.times.size();
                return lastOf(a) < lastOf(b);
            });
            const auto drop = below.empty() ? std::size_t{0} : std::max<std::size_t>(below.size() / 2, 1);
            for (std::size_t i = 0; i < drop; ++i) map.erase(below[i]);
        }
        if (map.size() >= _maxKeys) return nullptr;
    }
    return &map[key];
}

LoginThrottle::Decision LoginThrottle::pace(Record& byAddress) const {
    const auto steady = std::chrono::steady_clock::now();
    const auto turn = std::max(steady, byAddress.nextTurn);
    if (turn - steady > _pace * kMaxQueued) return {Verdict::Busy, {}};
    byAddress.nextTurn = turn + _pace;
    return {Verdict::Go, std::chrono::ceil<std::chrono::milliseconds>(turn - steady)};
}

LoginThrottle::Decision LoginThrottle::attemptStored(const std::string& account, const std::string& address,
                                                     engine::Instant now) {
    const auto counts = _store->countSignInAttempt(account, address, now, now - kWindow, kPerAccount);
    if (!counts.counted) return {Verdict::AccountLocked, {}};
    if (counts.address < kPerAddress) return {};
    // Only the turns are kept here; an address whose turn has passed is
    // dropped when room is needed.
    if (!_byAddress.count(address) && _byAddress.size() >= _maxKeys) {
        const auto steady = std::chrono::steady_clock::now();
        std::erase_if(_byAddress, [&](const auto& kv) { return kv.second.nextTurn <= steady; });
    }
    Decision d{Verdict::Busy, {}};
    if (_byAddress.count(address) || _byAddress.size() < _maxKeys) d = pace(_byAddress[address]);
    if (d.verdict == Verdict::Busy) _store->takeBackSignInAttempt(account, address, false);  // not counted
    return d;
}

LoginThrottle::Decision LoginThrottle::attempt(const std::string& account, const std::string& address,
                                               engine::Instant now) {
    std::lock_guard lock(_mutex);
    if (_store) return attemptStored(account, address, now);
    Record* byAccount = recordFor(_byAccount, account, kPerAccount, now);
    if (!byAccount) return {Verdict::Busy, {}};
    if (recent(*byAccount, now) >= kPerAccount) return {Verdict::AccountLocked, {}};
    Record* byAddress = recordFor(_byAddress, address, kPerAddress, now);
    if (!byAddress) return {Verdict::Busy, {}};
    Decision d;
    if (recent(*byAddress, now) >= kPerAddress) {
        d = pace(*byAddress);
        if (d.verdict == Verdict::Busy) return d;
    }
    // Counted now, before the password is checked.
    byAccount->times.push_back(now);
    if (static_cast<int>(byAccount->times.size()) > kPerAccount) byAccount->times.pop_front();
    byAddress->times.push_back(now);
    if (static_cast<int>(byAddress->times.size()) > kPerAddress) byAddress->times.pop_front();
    return d;
}

void LoginThrottle::cancel(const std::string& account, const std::string& address) {
    std::lock_guard lock(_mutex);
    if (_store) return _store->takeBackSignInAttempt(account, address, false);
    if (auto it = _byAccount.find(account); it != _byAccount.end() && !it->second.times.empty())
        it->second.times.pop_back();
    if (auto it = _byAddress.find(address); it != _byAddress.end() && !it->second.times.empty())
        it->second.times.pop_back();
}

void LoginThrottle::succeeded(const std::string& account, const std::string& address) {
    std::lock_guard lock(_mutex);
    if (_store) return _store->takeBackSignInAttempt(account, address, true);
    _byAccount.erase(account);
    if (auto it = _byAddress.find(address); it != _byAddress.end() && !it->second.times.empty())
        it->second.times.pop_back();
}

std::size_t LoginThrottle::accountsKept() const {
    std::lock_guard lock(_mutex);
    return _byAccount.size();
}

std::size_t LoginThrottle::addressesKept() const {
    std::lock_guard lock(_mutex);
    return _byAddress.size();
}

}  // namespace duly::web
