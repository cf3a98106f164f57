// Tick, the scheduler's plan carried out through Dispatch, against a real
// store, the shipped templates and charters, with an injected clock: each
// document queued once however often it runs, the case changed with it in
// one transaction, refusals kept so they are not planned again, warnings to
// the officer. Dates worked by hand from the progress charter (Monday to
// Thursday 09:00-17:00, Friday 09:00-16:45; England and Wales bank
// holidays): an email enquiry received Monday 23 November 2026 10:00 is day
// 0, respond within 5 working days → Monday 30 November 17:00; the holding
// reply and the warning go from the opening of the working day before,
// Friday 27 November 09:00. The progress charter acknowledges only
// complaints: a stage 1 complaint received then is to be acknowledged
// within 5 working days (Tuesday 24 day 1 … Monday 30 November 17:00) and
// answered within 10 working days of its acknowledgement (acknowledged on
// Monday 23: Monday 7 December 17:00).
#include "duly/flow/Tick.h"

#include "duly/engine/CaseService.h"
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"

#include "../support/SampleStore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duly::engine;
using duly::flow::Tick;
using duly::flow::TickReport;
namespace fs = std::filesystem;

namespace {


Instant at(const char* rfc3339) { return parseRfc3339(rfc3339); }

class TickTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = duly::testsupport::freshTestFolder("tick");
        _store = duly::testsupport::sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _renderer = std::make_unique<Renderer>(DULY_SOURCE_HOME);
        _service = std::make_unique<CaseService>(*_store, *_charters);
    }
    void TearDown() override { fs::remove_all(_dir); }

    // Everything off but the kinds a test looks at, so plans stay small.
    static SchedulerSettings only(bool acks, bool holding, bool warnings) {
        SchedulerSettings s;
        s.acknowledgements = acks;
        s.holdingReplies = holding;
        s.warnings = warnings;
        s.escalations = false;
        s.digests = false;
        s.extensionNotices = false;
        s.pauseNotices = false;
        s.pauseReminderWorkingDays = 0;
        return s;
    }

    Tick tick(SchedulerSettings settings) {
        return Tick(*_store, *_store, *_charters, *_renderer,
                    duly::flow::SenderIdentity{"Progress Housing Group", "customer.services@progress.example.org",
                                               "duly.progress.example.org"},
                    settings);
    }

    TickReport run(Tick& t, Instant now) {
        std::ostringstream log;
        return t.run(now, log);
    }

    // By email, Monday 23 November 2026 10:00, Jenny Wong's.
    Case open(Kind kind, const char* customer = "C10004") {
        OpenCaseRequest r;
        r.charter = "progress";
        r.channel = Channel::Email;
        r.kind = kind;
        r.received = at("2026-11-23T10:00:00Z");
        r.customerRef = customer;
        r.officerId = "jwong";
        r.subject = "Back door sticks";
        r.body = "The back door still sticks.";
        r.from = "tom.fairclough@example.org";
        return _service->open(r);
    }
    Case openEnquiry() { return open(Kind::Enquiry); }

    static bool hasNote(const Case& c, const std::string& text) {
        return std::any_of(c.events.begin(), c.events.end(),
                           [&](const CaseEvent& e) { return e.detail.find(text) != std::string::npos; });
    }

    fs::path _dir;
    std::unique_ptr<duly::store::SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Renderer> _renderer;
    std::unique_ptr<CaseService> _service;
};

}  // namespace

TEST_F(TickTest, RunningTwiceQueuesEachDocumentOnce) {
    const Case enquiry = openEnquiry();
    const Case complaint = open(Kind::ComplaintStage1);
    Tick t = tick(only(true, true, true));
    // Friday 27 November 09:00: the enquiry's holding reply and warning
    // (respond by Monday 30), the complaint's acknowledgement (not yet sent)
    // and its warning (acknowledge by Monday 30).
    const TickReport first = run(t, at("2026-11-27T09:00:00Z"));
    EXPECT_EQ(first.planned, 4u);
    EXPECT_EQ(first.queued, 4u);
    EXPECT_EQ(first.refused, 0u);
    const TickReport second = run(t, at("2026-11-27T09:01:00Z"));
    EXPECT_EQ(second.planned, 0u);
    EXPECT_EQ(second.queued, 0u);

    auto keys = [&](const Case& c) {
        std::vector<std::string> out;
        for (const auto& m : _store->outbound(c.reference)) out.push_back(m.documentKey);
        std::sort(out.begin(), out.end());
        return out;
    };
    EXPECT_EQ(keys(enquiry), (std::vector<std::string>{"holding-reply", "warning-respond-2026-11-30"}));
    EXPECT_EQ(keys(complaint), (std::vector<std::string>{"acknowledgement", "warning-acknowledge-2026-11-30"}));
}

TEST_F(TickTest, AnAcknowledgementIsQueuedAndTheDateItGivesIsKept) {
    const Case c = open(Kind::ComplaintStage1);
    ASSERT_TRUE(c.acknowledgeBy);
    ASSERT_EQ(*c.acknowledgeBy, at("2026-11-30T17:00:00Z"));
    Tick t = tick(only(true, false, false));
    const Instant now = at("2026-11-23T10:05:00Z");
    const TickReport report = run(t, now);
    EXPECT_EQ(report.queued, 1u);

    const auto out = _store->outbound(c.reference);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].documentKey, "acknowledgement");
    EXPECT_EQ(out[0].route, OutboundMessage::Route::Email);
    EXPECT_EQ(out[0].recipient, "tom.fairclough@example.org");
    EXPECT_EQ(out[0].state, OutboundMessage::State::Queued);

    const Case stored = *_store->findCase(c.reference);
    ASSERT_EQ(stored.datesGiven.size(), 1u);
    EXPECT_EQ(stored.datesGiven[0].documentKey, "acknowledgement");
    // The reply date the complaint has once acknowledged now.
    EXPECT_EQ(stored.datesGiven[0].date, at("2026-12-07T17:00:00Z"));
    EXPECT_EQ(stored.datesGiven[0].givenAt, now);
    EXPECT_TRUE(hasNote(stored, "acknowledgement queued by email to tom.fairclough@example.org"));
}

TEST_F(TickTest, AHoldingReplyOnAnEnquiryCarriesTheOfficersReasonAndNewDate) {
    Case c = openEnquiry();
    c.holdingReason = "We are waiting for the surveyor's report.";
    c.holdingNewDate = at("2026-12-11T17:00:00Z");  // Friday 11 December
    _store->updateCase(c, {});
    Tick t = tick(only(false, true, false));
    EXPECT_EQ(run(t, at("2026-11-27T08:59:00Z")).planned, 0u);
    const Instant now = at("2026-11-27T09:00:00Z");
    const TickReport report = run(t, now);
    EXPECT_EQ(report.queued, 1u);

    const auto out = _store->outbound(c.reference);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].documentKey, "holding-reply");
    EXPECT_EQ(out[0].route, OutboundMessage::Route::Email);
    EXPECT_EQ(out[0].recipient, "tom.fairclough@example.org");
    EXPECT_NE(out[0].bytes.find("waiting for the surveyor"), std::string::npos);
    EXPECT_NE(out[0].bytes.find("11 December 2026"), std::string::npos);

    const Case stored = *_store->findCase(c.reference);
    ASSERT_TRUE(stored.holdingReplySentAt);
    EXPECT_EQ(*stored.holdingReplySentAt, now);
    ASSERT_TRUE(stored.holdingNewDate);
    EXPECT_EQ(*stored.holdingNewDate, at("2026-12-11T17:00:00Z"));
    ASSERT_FALSE(stored.datesGiven.empty());
    EXPECT_EQ(stored.datesGiven.back().documentKey, "holding-reply");
    EXPECT_EQ(stored.datesGiven.back().date, at("2026-12-11T17:00:00Z"));
}

TEST_F(TickTest, ADocumentThatCannotGoIsRecordedAsRefusedAndNotPlannedAgain) {
    Customer nowhere;
    nowhere.reference = "C19999";
    nowhere.name = "Mr No Address";
    nowhere.salutation = "Dear Mr Address";
    nowhere.preferredChannel = PreferredChannel::Email;
    _store->upsertCustomer(nowhere);
    const Case c = open(Kind::ComplaintStage1, "C19999");
    Tick t = tick(only(true, false, false));
    const TickReport first = run(t, at("2026-11-23T10:05:00Z"));
    EXPECT_EQ(first.planned, 1u);
    EXPECT_EQ(first.refused, 1u);
    EXPECT_EQ(first.queued, 0u);

    const auto out = _store->outbound(c.reference);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].documentKey, "acknowledgement");
    EXPECT_EQ(out[0].state, OutboundMessage::State::Failed);
    const Case stored = *_store->findCase(c.reference);
    EXPECT_TRUE(stored.datesGiven.empty());

    const TickReport second = run(t, at("2026-11-23T10:06:00Z"));
    EXPECT_EQ(second.planned, 0u);
    EXPECT_EQ(_store->outbound(c.reference).size(), 1u);
}

TEST_F(TickTest, AWarningGoesToTheOfficersEmail) {
    const Case c = openEnquiry();
    Tick t = tick(only(false, false, true));
    EXPECT_EQ(run(t, at("2026-11-27T08:59:00Z")).planned, 0u);
    const TickReport report = run(t, at("2026-11-27T09:00:00Z"));
    EXPECT_EQ(report.queued, 1u);

    const auto out = _store->outbound(c.reference);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].documentKey, "warning-respond-2026-11-30");
    EXPECT_EQ(out[0].route, OutboundMessage::Route::Email);
    EXPECT_EQ(out[0].recipient, "jenny.wong@progress.example.org");
    EXPECT_EQ(out[0].state, OutboundMessage::State::Queued);
}
