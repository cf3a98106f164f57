// LoginThrottle: slows password guessing. Failed sign-ins are counted per
// account id and per remote address within a 15-minute window; after 5
// failures for the account, or 20 from the address, further attempts are
// refused until the window has passed, whether or not the password is
// right. A success clears the account's count. In memory, thread-safe.
#pragma once

#include "duly/engine/Time.h"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace duly::web {

class LoginThrottle {
public:
    static constexpr int kPerAccount = 5;
    static constexpr int kPerAddress = 20;
    static constexpr std::chrono::minutes kWindow{15};

    // True when an attempt may be made now.
    bool allowed(const std::string& account, const std::string& address, engine::Instant now);
    void failed(const std::string& account, const std::string& address, engine::Instant now);
    void succeeded(const std::string& account);

private:
    static int recent(std::vector<engine::Instant>& times, engine::Instant now);
    std::mutex _mutex;
    std::map<std::string, std::vector<engine::Instant>> _byAccount, _byAddress;
};

}  // namespace duly::web
