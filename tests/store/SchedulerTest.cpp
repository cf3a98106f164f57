// Scheduler against a real store with an injected clock: a holding reply
// goes out exactly once on the right working day, warnings come before a
// deadline and escalations only after it, digests skip weekends and bank
// holidays, extension notices and acknowledgements are planned once.
// Dates worked by hand from the progress charter (Monday to Thursday
// 09:00-17:00, Friday 09:00-16:45; England and Wales bank holidays).
#include "duly/engine/CaseService.h"
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/InputError.h"
#include "duly/engine/Scheduler.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"

#include "../support/SampleStore.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duly::engine;
using duly::store::SqliteCaseStore;
namespace fs = std::filesystem;

namespace {


Instant at(const char* rfc3339) { return parseRfc3339(rfc3339); }

class SchedulerTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = duly::testsupport::freshTestFolder("scheduler");
        _store = duly::testsupport::sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _service = std::make_unique<CaseService>(*_store, *_charters);
    }
    void TearDown() override { fs::remove_all(_dir); }

    Scheduler scheduler(SchedulerSettings s = {}) { return Scheduler(*_store, *_store, *_charters, s); }

    // Everything off but the kinds a test looks at, so plans stay small.
    static SchedulerSettings only(bool holding, bool warnings, bool escalations, bool digests, bool acks = false,
                                  bool extensions = false) {
        SchedulerSettings s;
        s.holdingReplies = holding;
        s.warnings = warnings;
        s.escalations = escalations;
        s.digests = digests;
        s.acknowledgements = acks;
        s.extensionNotices = extensions;
        s.pauseNotices = false;
        s.pauseReminderWorkingDays = 0;
        return s;
    }

    Case open(Channel channel, Kind kind, const char* received, const char* customer = "C10004",
              const char* officer = "jwong") {
        OpenCaseRequest r;
        r.charter = "progress";
        r.channel = channel;
        r.kind = kind;
        r.received = at(received);
        r.customerRef = customer;
        r.officerId = officer;
        r.subject = "Back door sticks";
        r.body = "The back door still sticks.";
        return _service->open(r);
    }

    // What the app does when it carries out a task: the document is queued
    // under the task's key, with the case change.
    void queue(const ScheduledTask& t, Instant now) {
        OutboundMessage m;
        m.caseReference = t.caseReference;
        m.documentKey = t.documentKey;
        m.messageKey = "<" + (t.caseReference.empty() ? std::string("digest") : t.caseReference) + "." + t.documentKey +
                       "@test>";
        m.recipient = "someone@example.org";
        m.bytes = "x";
        m.queuedAt = m.nextAttemptAt = now;
        if (t.caseReference.empty()) {
            _store->queueMessages({m});
            return;
        }
        Case c = *_store->findCase(t.caseReference);
        if (t.what == ScheduledTask::What::HoldingReply) {
            c.holdingReplySentAt = now;
            c.holdingNewDate = t.newDate;
        }
        _store->updateCaseWithMessages(c, {}, {m});
    }

    static std::vector<std::string> keys(const std::vector<ScheduledTask>& tasks) {
        std::vector<std::string> out;
        for (const auto& t : tasks) out.push_back((t.caseReference.empty() ? "" : t.caseReference + " ") + t.documentKey);
        return out;
    }

    fs::path _dir;
    std::unique_ptr<SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<CaseService> _service;
};

using Keys = std::vector<std::string>;

}  // namespace

TEST_F(SchedulerTest, HoldingReplyGoesOnceOnItsWorkingDay) {
    // Email enquiry Monday 23 November 10:00: day 0; respond within 5 working
    // days → Monday 30 November 17:00; holding reply 1 day before → Friday
    // 27 November, sent from its opening at 09:00.
    const Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    ASSERT_EQ(ZoneRules::london().formatRfc3339(*c.respondBy), "2026-11-30T17:00:00+00:00");
    ASSERT_EQ(ZoneRules::london().formatRfc3339(*c.holdingReplyBy), "2026-11-27T16:45:00+00:00");
    auto s = scheduler(only(true, false, false, false));
    EXPECT_EQ(keys(s.plan(at("2026-11-26T16:59:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-11-27T08:59:59Z"))), Keys{});
    const auto due = s.plan(at("2026-11-27T09:00:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " holding-reply"});
    EXPECT_EQ(due[0].what, ScheduledTask::What::HoldingReply);
    EXPECT_EQ(due[0].deadlineAt, *c.respondBy);
    // No date set by the officer: respond_within (5) more working days after
    // Monday 30 November → Monday 7 December 17:00.
    EXPECT_EQ(ZoneRules::london().formatRfc3339(due[0].newDate), "2026-12-07T17:00:00+00:00");
    EXPECT_EQ(due[0].reason, "");

    queue(due[0], at("2026-11-27T09:00:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-27T09:01:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-11-30T12:00:00Z"))), Keys{});
}

TEST_F(SchedulerTest, HoldingReplyCarriesTheOfficersReasonAndDate) {
    Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    c.holdingReason = "We are waiting for the surveyor's report.";
    c.holdingNewDate = at("2026-12-11T17:00:00Z");
    _store->updateCase(c, {});
    const auto due = scheduler(only(true, false, false, false)).plan(at("2026-11-27T10:00:00Z"));
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].reason, "We are waiting for the surveyor's report.");
    EXPECT_EQ(due[0].newDate, at("2026-12-11T17:00:00Z"));
}

TEST_F(SchedulerTest, HoldingReplyDaysCountPastChristmas) {
    // Letter Tuesday 22 December 2026 10:00 → day 0; working days Wed 23 (1),
    // Thu 24 (2), [Fri 25 Christmas, Mon 28 Boxing Day substitute], Tue 29
    // (3), Wed 30 (4), Thu 31 (5): respond by Thursday 31 December 17:00;
    // holding reply the working day before, Wednesday 30 December.
    const Case c = open(Channel::Letter, Kind::Enquiry, "2026-12-22T10:00:00Z");
    ASSERT_EQ(ZoneRules::london().formatRfc3339(*c.respondBy), "2026-12-31T17:00:00+00:00");
    auto s = scheduler(only(true, false, false, false));
    EXPECT_EQ(keys(s.plan(at("2026-12-29T16:00:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-12-30T09:00:00Z"))), Keys{c.reference + " holding-reply"});
}

TEST_F(SchedulerTest, NoHoldingReplyOnceAnswered) {
    const Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    _service->reply(c.reference, at("2026-11-26T11:00:00Z"), "jwong");
    EXPECT_EQ(keys(scheduler(only(true, true, true, false)).plan(at("2026-11-27T10:00:00Z"))), Keys{});
}

TEST_F(SchedulerTest, WarningBeforeTheDeadlineEscalationOnlyAfterIt) {
    const Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");  // respond by Mon 30 Nov 17:00
    auto s = scheduler(only(false, true, true, false));
    // Warned from the opening of the working day before: Friday 27 November 09:00.
    EXPECT_EQ(keys(s.plan(at("2026-11-27T08:59:00Z"))), Keys{});
    const auto warn = s.plan(at("2026-11-27T09:00:00Z"));
    ASSERT_EQ(keys(warn), Keys{c.reference + " warning-respond-2026-11-30"});
    EXPECT_EQ(warn[0].officerId, "jwong");
    queue(warn[0], at("2026-11-27T09:00:00Z"));
    // At the closing time itself the answer is still on time: nothing.
    EXPECT_EQ(keys(s.plan(at("2026-11-30T17:00:00Z"))), Keys{});
    const auto late = s.plan(at("2026-11-30T17:00:01Z"));
    ASSERT_EQ(keys(late), Keys{c.reference + " escalation-respond-2026-11-30"});
    EXPECT_EQ(late[0].deadlineAt, *c.respondBy);
    queue(late[0], at("2026-11-30T17:00:01Z"));
    EXPECT_EQ(keys(s.plan(at("2026-12-01T10:00:00Z"))), Keys{});
}

TEST_F(SchedulerTest, AHoldingReplysNewDatePostponesTheEscalation) {
    const Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    auto s = scheduler(only(true, false, true, false));
    const auto holding = s.plan(at("2026-11-27T09:00:00Z"));
    ASSERT_EQ(keys(holding), Keys{c.reference + " holding-reply"});
    queue(holding[0], at("2026-11-27T09:00:00Z"));  // new date Monday 7 December 17:00
    EXPECT_EQ(keys(s.plan(at("2026-12-01T10:00:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-12-07T17:00:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-12-07T17:00:01Z"))), Keys{c.reference + " escalation-respond-2026-12-07"});
}

TEST_F(SchedulerTest, DigestsOnWorkingDaysAfterTheirTimeOnceADay) {
    auto s = scheduler(only(false, false, false, true));
    // Every officer but the administrator has an overdue case; the
    // administrator, with nothing due and nothing to sort, gets no digest.
    std::size_t officers = 0;
    for (const Officer& o : _store->officers())
        if (o.id != "admin") {
            open(Channel::Email, Kind::Enquiry, "2026-11-02T10:00:00Z", "C10004", o.id.c_str());
            ++officers;
        }
    ASSERT_EQ(officers, 5u);
    EXPECT_EQ(s.plan(at("2026-11-23T07:59:00Z")).size(), 0u);  // Monday, before 08:00
    const auto monday = s.plan(at("2026-11-23T08:00:00Z"));
    ASSERT_EQ(monday.size(), officers);
    EXPECT_EQ(monday[0].documentKey, "digest/" + monday[0].officerId + "/2026-11-23");
    for (const auto& t : monday) EXPECT_NE(t.officerId, "admin");
    for (const auto& t : monday) queue(t, at("2026-11-23T08:00:00Z"));
    EXPECT_EQ(s.plan(at("2026-11-23T15:00:00Z")).size(), 0u);  // sent today
    EXPECT_EQ(s.plan(at("2026-11-28T09:00:00Z")).size(), 0u);  // Saturday
    EXPECT_EQ(s.plan(at("2026-12-25T09:00:00Z")).size(), 0u);  // Christmas Day
    EXPECT_EQ(s.plan(at("2026-12-28T09:00:00Z")).size(), 0u);  // Boxing Day, substitute Monday
    EXPECT_EQ(s.plan(at("2026-12-29T08:30:00Z")).size(), officers);
    // Summer time: 08:00 in London is 07:00 UTC on Monday 5 July 2027.
    EXPECT_EQ(s.plan(at("2027-07-05T06:59:00Z")).size(), 0u);
    EXPECT_EQ(s.plan(at("2027-07-05T07:00:00Z")).size(), officers);
}

TEST_F(SchedulerTest, DigestSortsOverdueTodaySoonAndTriage) {
    const Case overdue = open(Channel::Email, Kind::Enquiry, "2026-11-16T10:00:00Z");  // respond by Mon 23 Nov 17:00
    const Case today = open(Channel::Email, Kind::Enquiry, "2026-11-18T10:00:00Z");    // Wed 25 Nov 17:00
    const Case soon = open(Channel::Email, Kind::Enquiry, "2026-11-19T10:00:00Z");     // Thu 26 Nov 17:00
    const Case later = open(Channel::Email, Kind::Enquiry, "2026-11-24T10:00:00Z");    // Tue 1 Dec 17:00
    const Case triage = open(Channel::Email, Kind::Enquiry, "2026-11-25T08:00:00Z", "", "jwong");
    const Case unassigned = open(Channel::Email, Kind::Enquiry, "2026-11-25T08:00:00Z", "C10004", "");
    auto s = scheduler();
    const Officer jwong = *_store->officer("jwong");
    const Digest d = s.digestFor(jwong, at("2026-11-25T08:00:00Z"));
    auto refs = [](const std::vector<DigestEntry>& es) {
        std::vector<std::string> out;
        for (const auto& e : es) out.push_back(e.reference + ":" + e.action);
        return out;
    };
    // Holding replies are actions too: "overdue"'s went Friday 20 November,
    // "today"'s Tuesday 24 November, "soon"'s goes today. Ties on the due
    // time are in reference order.
    EXPECT_EQ(refs(d.overdue), (Keys{overdue.reference + ":holding_reply", overdue.reference + ":reply",
                                     today.reference + ":holding_reply"}));
    EXPECT_EQ(refs(d.dueToday), (Keys{today.reference + ":reply", soon.reference + ":holding_reply"}));
    EXPECT_EQ(refs(d.dueSoon), (Keys{soon.reference + ":reply"}));
    EXPECT_EQ(refs(d.awaitingTriage), (Keys{triage.reference + ":triage"}));
    (void)later;
    // A manager also sees the unassigned cases.
    const Digest m = s.digestFor(*_store->officer("rhughes"), at("2026-11-25T08:00:00Z"));
    EXPECT_EQ(refs(m.awaitingTriage), (Keys{unassigned.reference + ":triage"}));
}

TEST_F(SchedulerTest, AcknowledgementPlannedOnceUnlessWithheld) {
    // A stage 1 complaint taken by phone: acknowledge within 5 working days.
    const Case c = open(Channel::PhoneMessage, Kind::ComplaintStage1, "2026-11-23T10:00:00Z");
    Case withheld = open(Channel::PhoneMessage, Kind::ComplaintStage1, "2026-11-23T10:05:00Z");
    withheld.acknowledgementWithheld = "the customer asked for none";
    _store->updateCase(withheld, {{0, EventType::Note, at("2026-11-23T10:05:00Z"), "duly",
                                   "no automatic acknowledgement: the customer asked for none"}});
    auto s = scheduler(only(false, false, false, false, true));
    const auto due = s.plan(at("2026-11-23T10:10:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " acknowledgement"});
    queue(due[0], at("2026-11-23T10:10:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T10:11:00Z"))), Keys{});
}

TEST_F(SchedulerTest, EachExtensionGetsItsNotice) {
    const Case c = open(Channel::Email, Kind::ComplaintStage1, "2026-11-23T10:00:00Z");
    _service->acknowledge(c.reference, at("2026-11-23T11:00:00Z"), "jwong");
    auto s = scheduler(only(false, false, false, false, false, true));
    EXPECT_EQ(keys(s.plan(at("2026-11-24T10:00:00Z"))), Keys{});
    const auto before = _store->findCase(c.reference)->respondBy;
    const Case extended = _service->extend(c.reference, 5, "We need a second surveyor's visit.",
                                           at("2026-11-24T10:00:00Z"), "jwong");
    auto due = s.plan(at("2026-11-24T10:01:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " extension-1"});
    EXPECT_EQ(due[0].reason, "We need a second surveyor's visit.");
    EXPECT_EQ(due[0].newDate, *extended.respondBy);
    // The notice quotes the date the customer had, not the new one twice.
    ASSERT_TRUE(before);
    EXPECT_EQ(due[0].deadlineAt, *before);
    EXPECT_NE(due[0].deadlineAt, due[0].newDate);
    EXPECT_EQ(due[0].workingDays, 5);
    queue(due[0], at("2026-11-24T10:01:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-24T10:02:00Z"))), Keys{});
    _service->extend(c.reference, 3, "The contractor is ill.", at("2026-11-25T10:00:00Z"), "jwong");
    due = s.plan(at("2026-11-25T10:01:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " extension-2"});
    EXPECT_EQ(due[0].reason, "The contractor is ill.");
}

TEST_F(SchedulerTest, APausedClockIsNotChasedAndMovesTheDateOnWhenItResumes) {
    auto s = scheduler(only(true, true, true, false));
    // Email enquiry of Monday 23 Nov: answer by Monday 30 Nov 17:00, holding
    // reply by Friday 27 Nov 16:45 (it goes at 09:00 that day).
    const Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    ASSERT_EQ(formatRfc3339Utc(*c.respondBy), "2026-11-30T17:00:00Z");
    const Case waiting = _service->waitOnCustomer(c.reference, "a photo of the door", at("2026-11-24T11:00:00Z"), "jwong");
    ASSERT_TRUE(waiting.pausedSince);

    // Stored, listed as waiting, and nothing due while it waits: no holding
    // reply on Friday, no warning, no escalation after the old date.
    const Case stored = *_store->findCase(c.reference);
    EXPECT_EQ(formatRfc3339Utc(*stored.pausedSince), "2026-11-24T11:00:00Z");
    CaseFilter paused;
    paused.pausedOnly = true;
    ASSERT_EQ(_store->listCases(paused).size(), 1u);
    EXPECT_EQ(_store->dueActions(std::string("jwong"), std::nullopt).size(), 0u);
    EXPECT_EQ(keys(s.plan(at("2026-11-27T09:30:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-12-01T10:00:00Z"))), Keys{});

    // The same case cannot pause twice; a complaint never pauses (the Code
    // allows an extension, not a pause).
    EXPECT_THROW(_service->waitOnCustomer(c.reference, "again", at("2026-11-25T10:00:00Z"), "jwong"), InputError);
    const Case complaint = open(Channel::Email, Kind::ComplaintStage1, "2026-11-23T10:00:00Z");
    EXPECT_THROW(_service->waitOnCustomer(complaint.reference, "a photo", at("2026-11-24T10:00:00Z"), "jwong"), InputError);
    EXPECT_THROW(_service->resume(complaint.reference, at("2026-11-24T10:00:00Z"), "jwong"), InputError);
    _service->close(complaint.reference, at("2026-11-24T10:00:00Z"), "jwong");

    // Resumed Wednesday 2 Dec: 25, 26, 27, 30 Nov, 1 and 2 Dec stood still
    // (6 working days), so the answer is due Tuesday 8 Dec and the holding
    // reply Monday 7 Dec.
    const Case resumed = _service->resume(c.reference, at("2026-12-02T10:00:00Z"), "jwong");
    EXPECT_FALSE(resumed.pausedSince);
    EXPECT_EQ(resumed.pausedDays, 6);
    EXPECT_EQ(formatRfc3339Utc(*resumed.respondBy), "2026-12-08T17:00:00Z");
    EXPECT_EQ(formatRfc3339Utc(*resumed.holdingReplyBy), "2026-12-07T17:00:00Z");
    EXPECT_EQ(resumed.events.back().type, EventType::Resumed);
    EXPECT_EQ(resumed.events.back().detail, "clock paused for 6 working days; answer now due 2026-12-08");
    EXPECT_EQ(_store->findCase(c.reference)->pausedDays, 6);
    EXPECT_EQ(_store->listCases(paused).size(), 0u);

    EXPECT_EQ(keys(s.plan(at("2026-12-02T10:00:00Z"))), Keys{});
    auto holding = scheduler(only(true, false, false, false));
    EXPECT_EQ(keys(holding.plan(at("2026-12-04T16:00:00Z"))), Keys{});
    EXPECT_EQ(keys(holding.plan(at("2026-12-07T09:00:00Z"))), Keys{c.reference + " holding-reply"});
    EXPECT_THROW(_service->resume(c.reference, at("2026-12-03T10:00:00Z"), "jwong"), InputError);
}

TEST_F(SchedulerTest, APausedClockIsNeverSilent) {
    SchedulerSettings settings = only(false, false, false, false);
    settings.pauseNotices = true;
    settings.pauseReminderWorkingDays = 5;
    auto s = scheduler(settings);
    // Email enquiry of Monday 23 Nov: answer by Monday 30 Nov 17:00.
    const Case c = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    _service->waitOnCustomer(c.reference, "a photo of the door", at("2026-11-24T11:00:00Z"), "jwong");

    // The customer is told at once what we need, and the date they had.
    auto due = s.plan(at("2026-11-24T11:01:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " pause-notice-20261124T110000Z"});
    EXPECT_EQ(due[0].what, ScheduledTask::What::PauseNotice);
    EXPECT_EQ(due[0].reason, "a photo of the door");
    EXPECT_EQ(formatRfc3339Utc(due[0].deadlineAt), "2026-11-30T17:00:00Z");
    queue(due[0], at("2026-11-24T11:01:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-24T11:02:00Z"))), Keys{});

    // No answer: 25, 26, 27 and 30 Nov are 4 working days, so no reminder
    // yet; Tuesday 1 Dec is the fifth, and the officer is reminded once.
    EXPECT_EQ(keys(s.plan(at("2026-11-30T16:00:00Z"))), Keys{});
    due = s.plan(at("2026-12-01T09:00:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " pause-reminder-20261124T110000Z"});
    EXPECT_EQ(due[0].officerId, "jwong");
    EXPECT_EQ(due[0].workingDays, 5);
    queue(due[0], at("2026-12-01T09:00:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-12-01T12:00:00Z"))), Keys{});

    // Resumed Wednesday 2 Dec: the customer is told the new date, Tuesday 8 Dec.
    _service->resume(c.reference, at("2026-12-02T10:00:00Z"), "jwong");
    due = s.plan(at("2026-12-02T10:01:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " resume-notice-20261202T100000Z"});
    EXPECT_EQ(formatRfc3339Utc(due[0].newDate), "2026-12-08T17:00:00Z");
    queue(due[0], at("2026-12-02T10:01:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-12-02T10:02:00Z"))), Keys{});

    // A pause the customer was never told of (notices were off) is not
    // followed by a resume notice out of the blue.
    const Case quiet = open(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z");
    _service->waitOnCustomer(quiet.reference, "the tenancy number", at("2026-11-24T11:00:00Z"), "jwong");
    _service->resume(quiet.reference, at("2026-11-25T10:00:00Z"), "jwong");
    EXPECT_EQ(keys(s.plan(at("2026-11-25T10:01:00Z"))), Keys{});
}

TEST_F(SchedulerTest, AReplyWhileWaitingEndsThePauseAndIsMeasuredAgainstTheMovedDate) {
    const Case c = open(Channel::Letter, Kind::Enquiry, "2026-11-23T10:00:00Z");  // due Mon 30 Nov
    _service->waitOnCustomer(c.reference, "the tenancy number", at("2026-11-25T10:00:00Z"), "jwong");
    // Replied Tuesday 1 Dec: 26, 27, 30 Nov and 1 Dec stood still, so the
    // date moved to Friday 4 Dec and the reply is on time.
    const Case replied = _service->reply(c.reference, at("2026-12-01T12:00:00Z"), "jwong");
    EXPECT_FALSE(replied.pausedSince);
    EXPECT_EQ(replied.pausedDays, 4);
    EXPECT_EQ(formatRfc3339Utc(*replied.respondBy), "2026-12-04T16:45:00Z");
    EXPECT_LE(*replied.repliedAt, *replied.respondBy);
    const auto events = _store->findCase(c.reference)->events;
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[events.size() - 2].detail, "clock paused for 4 working days; answered");
    EXPECT_EQ(events.back().type, EventType::Replied);
}

TEST_F(SchedulerTest, DigestsAreWorkedOutOncePerOfficerAndDay) {
    auto s = scheduler(only(false, false, false, true));
    open(Channel::Email, Kind::Enquiry, "2026-11-16T10:00:00Z");  // jwong: overdue on the 23rd
    std::size_t withEmail = 0;
    for (const Officer& o : _store->officers()) withEmail += o.email.empty() ? 0 : 1;
    const auto first = s.plan(at("2026-11-23T08:00:00Z"));
    ASSERT_EQ(keys(first), Keys{"digest/jwong/2026-11-23"});
    EXPECT_EQ(s.digestsComputed(), withEmail);  // each officer once
    queue(first[0], at("2026-11-23T08:00:00Z"));
    // Serve plans every minute: the rest of the day reads no due list again.
    for (int minute = 1; minute <= 120; ++minute)
        EXPECT_EQ(s.plan(at("2026-11-23T08:00:00Z") + std::chrono::minutes(minute)).size(), 0u);
    EXPECT_EQ(s.digestsComputed(), withEmail);
    // The next working day decides afresh.
    EXPECT_EQ(keys(s.plan(at("2026-11-24T08:00:00Z"))), Keys{"digest/jwong/2026-11-24"});
    EXPECT_EQ(s.digestsComputed(), 2 * withEmail);
}

// The call log (issue 13). Paragon: letters and emails acknowledged the same
// or next working day (Monday 23 November 2026 10:00 → Tuesday 24 November
// 17:00), answered within 5; phone messages answered within one working day.
namespace {

Customer prefersThePhone() {
    Customer c;
    c.reference = "C20001";
    c.name = "Mrs Dora Pike";
    c.salutation = "Dear Mrs Pike";
    c.email = "dora.pike@example.org";
    c.phone = "07700 900201";
    c.addressLine1 = "3 Quay Street";
    c.town = "Exampleton";
    c.postcode = "ZZ1 3CC";
    c.preferredChannel = PreferredChannel::Phone;
    return c;
}

// A Paragon case for jwong.
OpenCaseRequest paragon(Channel channel, Kind kind, const char* received, const char* customer,
                        const char* subject = "") {
    OpenCaseRequest r;
    r.charter = "paragon";
    r.channel = channel;
    r.kind = kind;
    r.received = parseRfc3339(received);
    r.customerRef = customer;
    r.officerId = "jwong";
    r.subject = subject;
    return r;
}

CallRecord call(CallOutcome outcome, const char* when, const char* note = "") {
    CallRecord r;
    r.outcome = outcome;
    r.at = parseRfc3339(when);
    r.actor = "jwong";
    r.note = note;
    return r;
}

}  // namespace

TEST_F(SchedulerTest, ACustomerWhoPrefersThePhoneIsPhonedAndWrittenToOnlyOnTheDayTheAcknowledgementIsDue) {
    _store->upsertCustomer(prefersThePhone());
    OpenCaseRequest r = paragon(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z", "C20001", "Fence panel down");
    const Case c = _service->open(r);
    ASSERT_EQ(c.acknowledgeBy, at("2026-11-24T17:00:00Z"));
    auto s = scheduler(only(false, false, false, false, true));
    // The officer is to phone: no letter on Monday, nor before Tuesday opens.
    EXPECT_EQ(keys(s.plan(at("2026-11-23T10:10:00Z"))), Keys{});
    EXPECT_EQ(keys(s.plan(at("2026-11-24T08:59:00Z"))), Keys{});
    // One call not answered changes nothing yet.
    _service->recordCall(c.reference, call(CallOutcome::NoAnswer, "2026-11-23T11:00:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T11:10:00Z"))), Keys{});
    // On the day it is due, with no call answered, the promise is kept in
    // writing.
    EXPECT_EQ(keys(s.plan(at("2026-11-24T09:00:00Z"))), Keys{c.reference + " acknowledgement"});
}

TEST_F(SchedulerTest, AfterTheSetNumberOfUnansweredCallsTheAcknowledgementIsWritten) {
    _store->upsertCustomer(prefersThePhone());
    OpenCaseRequest r = paragon(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z", "C20001", "Fence panel down");
    const Case c = _service->open(r);
    SchedulerSettings settings = only(false, false, false, false, true);
    settings.callAttempts = 2;
    auto s = scheduler(settings);
    _service->recordCall(c.reference, call(CallOutcome::NoAnswer, "2026-11-23T11:00:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T11:01:00Z"))), Keys{});
    const Case after = _service->recordCall(c.reference, call(CallOutcome::LeftMessage, "2026-11-23T12:00:00Z", "asked her to ring"));
    ASSERT_EQ(after.calls.size(), 2u);
    EXPECT_EQ(after.calls[1].phone, "07700 900201");
    EXPECT_EQ(after.calls[1].purpose, "acknowledge");
    EXPECT_EQ(keys(s.plan(at("2026-11-23T12:01:00Z"))), Keys{c.reference + " acknowledgement"});
}

TEST_F(SchedulerTest, AnAnsweredCallAcknowledgesAndTheReplyDateGivenIsKept) {
    _store->upsertCustomer(prefersThePhone());
    OpenCaseRequest r = paragon(Channel::Email, Kind::Enquiry, "2026-11-23T10:00:00Z", "C20001");
    const Case c = _service->open(r);
    const Case after = _service->recordCall(c.reference, call(CallOutcome::Answered, "2026-11-23T14:00:00Z"));
    EXPECT_EQ(after.acknowledgedAt, at("2026-11-23T14:00:00Z"));
    EXPECT_EQ(after.state, CaseState::Open);  // the full answer is still owed
    EXPECT_FALSE(after.repliedAt);
    // 5 working days from Monday 23 November: Monday 30 November, 17:00.
    ASSERT_EQ(after.datesGiven.size(), 1u);
    EXPECT_EQ(after.datesGiven[0].documentKey, "acknowledgement-call-1");
    EXPECT_EQ(after.datesGiven[0].date, at("2026-11-30T17:00:00Z"));
    const Case stored = *_store->findCase(c.reference);
    EXPECT_EQ(stored.datesGiven.size(), 1u);
    ASSERT_EQ(stored.calls.size(), 1u);
    EXPECT_EQ(stored.calls[0].outcome, CallOutcome::Answered);
    auto s = scheduler(only(false, false, false, false, true));
    EXPECT_EQ(keys(s.plan(at("2026-11-24T09:00:00Z"))), Keys{});
}

TEST_F(SchedulerTest, APhoneMessageIsAnsweredByTheCallOrAfterUnansweredCallsByALetter) {
    // No phone of his own: the number is taken with the message.
    OpenCaseRequest r = paragon(Channel::PhoneMessage, Kind::Enquiry, "2026-11-23T08:15:00Z", "C10004", "Boiler pressure low");
    r.callNumber = "07700 900999";
    const Case c = _service->open(r);
    EXPECT_EQ(c.respondBy, at("2026-11-24T17:00:00Z"));
    auto s = scheduler(only(false, false, false, false, true));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T09:00:00Z"))), Keys{});
    for (const char* when : {"2026-11-23T09:30:00Z", "2026-11-23T12:30:00Z"})
        _service->recordCall(c.reference, call(CallOutcome::NoAnswer, when));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T12:31:00Z"))), Keys{});
    _service->recordCall(c.reference, call(CallOutcome::NoAnswer, "2026-11-23T15:30:00Z"));
    const auto due = s.plan(at("2026-11-23T15:31:00Z"));
    ASSERT_EQ(keys(due), Keys{c.reference + " missed-calls"});
    EXPECT_EQ(due[0].workingDays, 3);  // the calls not answered
    queue(due[0], at("2026-11-23T15:31:00Z"));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T15:32:00Z"))), Keys{});
    // He rings back and the officer catches him: the call answers the
    // message and closes the case.
    const Case answered = _service->recordCall(c.reference, call(CallOutcome::Answered, "2026-11-24T10:00:00Z", "pressure reset"));
    EXPECT_EQ(answered.state, CaseState::Closed);
    EXPECT_EQ(answered.repliedAt, at("2026-11-24T10:00:00Z"));
    ASSERT_EQ(answered.calls.size(), 4u);
    EXPECT_EQ(answered.calls[3].phone, "07700 900999");
    EXPECT_EQ(answered.calls[3].purpose, "respond");
    EXPECT_THROW(_service->recordCall(c.reference, call(CallOutcome::Answered, "2026-11-24T11:00:00Z")), InputError);
}

TEST_F(SchedulerTest, AnAnsweredCallOnAPhoneMessageMayKeepTheCaseOpen) {
    // Her own phone: 07700 900101.
    OpenCaseRequest r = paragon(Channel::PhoneMessage, Kind::Enquiry, "2026-11-23T08:15:00Z", "C10001");
    const Case c = _service->open(r);
    CallRecord answered = call(CallOutcome::Answered, "2026-11-23T09:30:00Z", "needs a visit");
    answered.keepOpen = true;
    const Case after = _service->recordCall(c.reference, answered);
    EXPECT_EQ(after.state, CaseState::Open);
    EXPECT_EQ(after.repliedAt, at("2026-11-23T09:30:00Z"));
    EXPECT_EQ(after.calls.at(0).phone, "07700 900101");
}

TEST_F(SchedulerTest, APhoneMessageWithNoNumberToCallIsRefused) {
    // No phone.
    OpenCaseRequest r = paragon(Channel::PhoneMessage, Kind::Enquiry, "2026-11-23T08:15:00Z", "C10004");
    try {
        _service->open(r);
        FAIL() << "a phone message with no number to call back was opened";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("needs a number to call back"), std::string::npos) << e.what();
    }
    r.callNumber = "no number";
    EXPECT_THROW(_service->open(r), InputError);
    // A "number" pasted from somewhere else, too long to be one.
    r.callNumber = std::string(65, '1');
    EXPECT_THROW(_service->open(r), InputError);
    // An email case whose customer has no phone has no call to record.
    r.channel = Channel::Email;
    r.callNumber.clear();
    const Case c = _service->open(r);
    try {
        _service->recordCall(c.reference, call(CallOutcome::NoAnswer, "2026-11-23T09:00:00Z"));
        FAIL() << "a call with no number was recorded";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("has no number to call"), std::string::npos) << e.what();
    }
}

TEST_F(SchedulerTest, AComplaintIsAcknowledgedInWritingEvenToACustomerWhoPrefersThePhone) {
    _store->upsertCustomer(prefersThePhone());
    OpenCaseRequest r = paragon(Channel::Email, Kind::ComplaintStage1, "2026-11-23T10:00:00Z", "C20001");
    const Case c = _service->open(r);
    auto s = scheduler(only(false, false, false, false, true));
    EXPECT_EQ(keys(s.plan(at("2026-11-23T10:10:00Z"))), Keys{c.reference + " acknowledgement"});
    // A call answered on a complaint does not stand for its acknowledgement.
    const Case after = _service->recordCall(c.reference, call(CallOutcome::Answered, "2026-11-23T11:00:00Z"));
    EXPECT_FALSE(after.acknowledgedAt);
}
