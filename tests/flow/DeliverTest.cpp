// Deliver with fake senders over a real SQLite store: what the server
// accepts is marked delivered and the case acknowledged, a transient
// refusal is retried later, a permanent one is recorded on the case, and
// two runs at once over the same store send each message once.
#include "duly/flow/Deliver.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/ZoneRules.h"
#include "duly/flow/Ingest.h"

#include "../support/SampleStore.h"
#include "MailTestSupport.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

using namespace duly::engine;
using namespace duly::testsupport;
using duly::flow::Deliver;
using duly::flow::DeliveryReport;
namespace fs = std::filesystem;

namespace {

class DeliverTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = freshTestFolder("deliver");
        _store = sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _renderer = std::make_unique<Renderer>(DULY_SOURCE_HOME);
        _sent = std::make_shared<SentLog>();
    }
    void TearDown() override { fs::remove_all(_dir); }

    // A case opened by a message from `from`, its acknowledgement queued; returns its reference.
    std::string caseWithAcknowledgement(const std::string& id,
                                        const std::string& from = "Tom Fairclough <tom.fairclough@example.org>") {
        duly::flow::Ingest ingest(*_store, *_store, *_charters, *_renderer, progressIdentity());
        const auto r = ingest.take(maildirMailbox(_dir / "inbox"),
                                   plainMessage(from, "Back door " + id, "<" + id + "@example.org>"), kNow);
        EXPECT_TRUE(r.acknowledgementQueued) << id;
        return r.caseReference;
    }

    Deliver deliver(duly::store::SqliteCaseStore& store, FakeSender::Answer answer, unsigned connections = 1) {
        auto sent = _sent;
        return Deliver(store, store, *_charters, "customer.services@progress.example.org",
                       [answer, sent] { return std::make_unique<FakeSender>(answer, sent); }, connections);
    }

    const Instant kNow = parseRfc3339("2026-11-23T10:00:00Z");
    fs::path _dir;
    std::unique_ptr<duly::store::SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Renderer> _renderer;
    std::shared_ptr<SentLog> _sent;
    std::ostringstream _log;
};

TEST_F(DeliverTest, AcceptedIsMarkedDeliveredAndTheCaseAcknowledged) {
    const std::string ref = caseWithAcknowledgement("door");
    ASSERT_FALSE(_store->findCase(ref)->acknowledgedAt);
    auto d = deliver(*_store, [](const auto&) { return accepted(); });
    const DeliveryReport r = d.deliverDue(kNow, _log);
    EXPECT_EQ(r.delivered, 1u);
    EXPECT_EQ(r.retrying + r.failed, 0u);
    const auto out = _store->outbound(ref);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].state, OutboundMessage::State::Delivered);
    EXPECT_EQ(out[0].lastResult, "delivered 250: 2.0.0 Ok: queued");
    EXPECT_EQ(_store->findCase(ref)->acknowledgedAt, kNow);
    EXPECT_EQ(_sent->total(), 1u);
}

TEST_F(DeliverTest, TransientRefusalIsRetriedLater) {
    const std::string ref = caseWithAcknowledgement("door");
    auto d = deliver(*_store, [](const auto&) {
        return duly::mail::DeliveryResult{duly::mail::DeliveryOutcome::Transient, 451, "rcpt", "4.7.1 Try again later"};
    });
    const DeliveryReport r = d.deliverDue(kNow, _log);
    EXPECT_EQ(r.retrying, 1u);
    EXPECT_EQ(r.delivered + r.failed, 0u);
    const auto out = _store->outbound(ref);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].state, OutboundMessage::State::Queued);
    EXPECT_EQ(out[0].attempts, 1);
    EXPECT_GT(out[0].nextAttemptAt, kNow);
    EXPECT_EQ(out[0].lastResult, "transient 451: 4.7.1 Try again later");
    EXPECT_FALSE(_store->findCase(ref)->acknowledgedAt);
    // Not due again at once: the same run's clock sends nothing.
    const DeliveryReport again = d.deliverDue(kNow, _log);
    EXPECT_EQ(again.retrying + again.delivered + again.failed, 0u);
    EXPECT_EQ(_sent->total(), 1u);
    // When it is due, it goes.
    auto later = deliver(*_store, [](const auto&) { return accepted(); });
    EXPECT_EQ(later.deliverDue(out[0].nextAttemptAt, _log).delivered, 1u);
    EXPECT_EQ(_store->outbound(ref)[0].state, OutboundMessage::State::Delivered);
}

TEST_F(DeliverTest, PermanentRefusalIsRecordedOnTheCase) {
    const std::string ref = caseWithAcknowledgement("door");
    auto d = deliver(*_store, [](const auto&) {
        return duly::mail::DeliveryResult{duly::mail::DeliveryOutcome::Permanent, 550, "rcpt", "5.1.1 No such user"};
    });
    const DeliveryReport r = d.deliverDue(kNow, _log);
    EXPECT_EQ(r.failed, 1u);
    const auto out = _store->outbound(ref);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].state, OutboundMessage::State::Failed);
    EXPECT_EQ(out[0].lastResult.rfind("permanent 550: 5.1.1 No such user", 0), 0u) << out[0].lastResult;
    const auto c = _store->findCase(ref);
    bool noted = false;
    for (const auto& e : c->events)
        noted = noted || e.detail == "acknowledgement to tom.fairclough@example.org failed: permanent 550: 5.1.1 No such user";
    EXPECT_TRUE(noted);
    EXPECT_FALSE(c->acknowledgedAt);
    EXPECT_EQ(_log.str(), "duly: " + ref +
                              ": acknowledgement to tom.fairclough@example.org could not be delivered: permanent 550: "
                              "5.1.1 No such user\n");
    // Never tried again.
    EXPECT_EQ(d.deliverDue(kNow + std::chrono::hours(48), _log).failed, 0u);
    EXPECT_EQ(_sent->total(), 1u);
}

TEST_F(DeliverTest, TwoRunsAtOnceSendEachMessageOnce) {
    constexpr int kCases = 60;
    // Each from someone else (three automatic replies a day to one address at most).
    for (int i = 0; i < kCases; ++i)
        caseWithAcknowledgement("m" + std::to_string(i), "tenant" + std::to_string(i) + "@example.org");
    // Two runs, each with its own connection to the store and three senders.
    auto slow = [](const auto&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return accepted();
    };
    duly::store::SqliteCaseStore other(_dir / "duly.db");
    auto a = deliver(*_store, slow, 3);
    auto b = deliver(other, slow, 3);
    std::ostringstream logA, logB;
    DeliveryReport ra, rb;
    std::thread ta([&] { ra = a.deliverDue(kNow, logA); });
    std::thread tb([&] { rb = b.deliverDue(kNow, logB); });
    ta.join();
    tb.join();
    EXPECT_EQ(ra.delivered + rb.delivered, static_cast<std::size_t>(kCases));
    EXPECT_EQ(_sent->times.size(), static_cast<std::size_t>(kCases));
    for (const auto& [id, times] : _sent->times) EXPECT_EQ(times, 1) << id;
    // A third run finds nothing left.
    auto c = deliver(*_store, slow);
    EXPECT_EQ(c.deliverDue(kNow, _log).delivered, 0u);
    EXPECT_EQ(_sent->total(), static_cast<std::size_t>(kCases));
}

}  // namespace
