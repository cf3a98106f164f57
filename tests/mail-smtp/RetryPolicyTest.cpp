// Tests of RetryPolicy: the schedule of delays, the cap, giving up at the
// maximum age, and that delivered and permanent results end the queue.
#include "duly/mail/RetryPolicy.h"

#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

using namespace duly::mail;
using namespace std::chrono;

namespace {

const duly::engine::Instant kQueued = sys_days{2026y / November / 23} + 9h;

DeliveryResult result(DeliveryOutcome outcome, int code, const char* text) {
    DeliveryResult r;
    r.outcome = outcome;
    r.replyCode = code;
    r.stage = "data";
    r.text = text;
    return r;
}

}  // namespace

TEST(RetryPolicy, StandardDelaysGrowThenStayAtTheCap) {
    const RetryPolicy policy = RetryPolicy::standard();
    const struct {
        unsigned attempts;
        seconds delay;
    } rows[] = {{0, 1min}, {1, 1min}, {2, 5min}, {3, 15min}, {4, 1h}, {5, 4h}, {6, 4h}, {1000000, 4h}, {~0u, 4h}};
    for (const auto& row : rows) EXPECT_EQ(policy.delayAfter(row.attempts), row.delay) << row.attempts;
}

TEST(RetryPolicy, TransientRetriesAtLastAttemptPlusDelay) {
    const RetryPolicy policy = RetryPolicy::standard();
    const DeliveryResult busy = result(DeliveryOutcome::Transient, 451, "451 4.3.0 try later");
    RetryDecision d = policy.decide(1, kQueued, kQueued, busy);
    EXPECT_EQ(d.kind, RetryDecision::Kind::RetryAt);
    EXPECT_EQ(d.at, kQueued + 1min);
    d = policy.decide(3, kQueued, kQueued + 6min + 10s, busy);
    EXPECT_EQ(d.kind, RetryDecision::Kind::RetryAt);
    EXPECT_EQ(d.at, kQueued + 21min + 10s);
}

TEST(RetryPolicy, GivesUpWhenTheNextAttemptWouldBePastTheMaximumAge) {
    const RetryPolicy policy({1min, 10min}, hours{1});
    const DeliveryResult busy = result(DeliveryOutcome::Transient, 421, "421 shutting down");
    // 50 min + 10 min = exactly the maximum age: still allowed.
    EXPECT_EQ(policy.decide(5, kQueued, kQueued + 50min, busy).kind, RetryDecision::Kind::RetryAt);
    const RetryDecision d = policy.decide(6, kQueued, kQueued + 50min + 1s, busy);
    EXPECT_EQ(d.kind, RetryDecision::Kind::GiveUp);
    EXPECT_EQ(d.reason, "gave up after 6 attempts over 1 hours; last: data: 421 shutting down");
}

TEST(RetryPolicy, DeliveredIsDoneAndPermanentGivesUpAtOnce) {
    const RetryPolicy policy = RetryPolicy::standard();
    EXPECT_EQ(policy.decide(1, kQueued, kQueued, result(DeliveryOutcome::Delivered, 250, "250 ok")).kind,
              RetryDecision::Kind::Done);
    const RetryDecision d =
        policy.decide(1, kQueued, kQueued, result(DeliveryOutcome::Permanent, 550, "550 5.1.1 no such user"));
    EXPECT_EQ(d.kind, RetryDecision::Kind::GiveUp);
    EXPECT_EQ(d.reason, "permanent failure at data: 550 5.1.1 no such user");
}

TEST(RetryPolicy, BadConfigurationIsRefused) {
    EXPECT_THROW(RetryPolicy({}, hours{1}), duly::engine::InputError);
    EXPECT_THROW(RetryPolicy({0s}, hours{1}), duly::engine::InputError);
    EXPECT_THROW(RetryPolicy({1min}, 0s), duly::engine::InputError);
}
