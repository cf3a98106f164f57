// LoginThrottle: failed sign-ins per account and address; see LoginThrottle.h.
#include "duly/web/LoginThrottle.h"

namespace duly::web {

int LoginThrottle::recent(std::vector<engine::Instant>& times, engine::Instant now) {
    std::erase_if(times, [&](engine::Instant t) { return now - t >= kWindow; });
    return static_cast<int>(times.size());
}

bool LoginThrottle::allowed(const std::string& account, const std::string& address, engine::Instant now) {
    std::lock_guard lock(_mutex);
    return recent(_byAccount[account], now) < kPerAccount && recent(_byAddress[address], now) < kPerAddress;
}

void LoginThrottle::failed(const std::string& account, const std::string& address, engine::Instant now) {
    std::lock_guard lock(_mutex);
    // Bounded: a flood of made-up account names cannot grow the maps forever.
    if (_byAccount.size() > 100000) _byAccount.clear();
    if (_byAddress.size() > 100000) _byAddress.clear();
    _byAccount[account].push_back(now);
    _byAddress[address].push_back(now);
}

void LoginThrottle::succeeded(const std::string& account) {
    std::lock_guard lock(_mutex);
    _byAccount.erase(account);
}

}  // namespace duly::web
