// RetryPolicy: the backoff schedule for queued messages. Pure arithmetic on
// instants; fails only on a nonsensical configuration (InputError).
#include "duly/mail/RetryPolicy.h"

#include "duly/engine/InputError.h"

#include <algorithm>

namespace duly::mail {

using namespace std::chrono_literals;

RetryPolicy::RetryPolicy(std::vector<std::chrono::seconds> delays, std::chrono::seconds maxAge)
    : _delays(std::move(delays)), _maxAge(maxAge) {
    if (_delays.empty()) throw engine::InputError("retry policy: expected at least one retry delay");
    for (const auto delay : _delays) {
        if (delay <= 0s) throw engine::InputError("retry policy: every retry delay must be positive");
    }
    if (_maxAge <= 0s) throw engine::InputError("retry policy: the maximum age must be positive");
}

RetryPolicy RetryPolicy::standard() {
    return RetryPolicy({1min, 5min, 15min, 1h, 4h}, std::chrono::days{5});
}

std::chrono::seconds RetryPolicy::delayAfter(unsigned attempts) const {
    const std::size_t index = std::min<std::size_t>(std::max(attempts, 1u) - 1, _delays.size() - 1);
    return _delays[index];
}

RetryDecision RetryPolicy::decide(unsigned attempts, engine::Instant queuedAt, engine::Instant lastAttemptAt,
                                  const DeliveryResult& last) const {
    RetryDecision decision;
    switch (last.outcome) {
    case DeliveryOutcome::Delivered:
        decision.kind = RetryDecision::Kind::Done;
        return decision;
    case DeliveryOutcome::Permanent:
        decision.kind = RetryDecision::Kind::GiveUp;
        decision.reason = "permanent failure at " + last.stage + ": " + last.text;
        return decision;
    case DeliveryOutcome::Transient:
        break;
    }
    const engine::Instant next = lastAttemptAt + delayAfter(attempts);
    if (next > queuedAt + _maxAge) {
        const auto hours = std::chrono::duration_cast<std::chrono::hours>(_maxAge).count();
        decision.kind = RetryDecision::Kind::GiveUp;
        decision.reason = "gave up after " + std::to_string(std::max(attempts, 1u)) + " attempts over " +
                          std::to_string(hours) + " hours; last: " + last.stage + ": " + last.text;
        return decision;
    }
    decision.kind = RetryDecision::Kind::RetryAt;
    decision.at = next;
    return decision;
}

}  // namespace duly::mail
