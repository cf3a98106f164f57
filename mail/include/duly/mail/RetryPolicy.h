// RetryPolicy: when to try a queued message again. Pure: given how many
// attempts were made, when the message was queued, when the last attempt
// was and what it gave, it says done, retry at a time, or give up. The
// delays grow (1m, 5m, 15m, 1h, 4h by default) and stay at the last one;
// a message older than the maximum age is given up as a permanent failure.
#pragma once

#include "duly/engine/Time.h"
#include "duly/mail/DeliveryResult.h"

#include <chrono>
#include <string>
#include <vector>

namespace duly::mail {

struct RetryDecision {
    enum class Kind { Done, RetryAt, GiveUp };
    Kind kind = Kind::Done;
    engine::Instant at{};  // for RetryAt: the earliest next attempt
    std::string reason;    // for GiveUp: why, for a person
};

class RetryPolicy {
public:
    // Throws InputError when `delays` is empty or holds a delay <= 0, or
    // when maxAge <= 0.
    RetryPolicy(std::vector<std::chrono::seconds> delays, std::chrono::seconds maxAge);

    // 1m, 5m, 15m, 1h, 4h; give up after 5 days (as Postfix does).
    static RetryPolicy standard();

    // `attempts` counts the attempts made so far, the last included (>= 1;
    // 0 is treated as 1).
    RetryDecision decide(unsigned attempts, engine::Instant queuedAt, engine::Instant lastAttemptAt,
                         const DeliveryResult& last) const;

    // The delay after attempt number `attempts` (1-based), capped.
    std::chrono::seconds delayAfter(unsigned attempts) const;

private:
    std::vector<std::chrono::seconds> _delays;
    std::chrono::seconds _maxAge;
};

}  // namespace duly::mail
