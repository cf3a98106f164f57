// The complaint-handling self-assessment on a fixed set of complaints, each
// worked by hand against the Code's timescales on the progress calendar
// (no bank holidays in November 2026), measured at Monday 30 November 2026,
// noon.
#include "duly/web/SelfAssessment.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/ZoneRules.h"

#include <gtest/gtest.h>

using namespace duly::web;
using namespace duly::engine;

namespace {

Instant t(const char* s) { return parseRfc3339(s); }

struct Fixture {
    CharterBook charters{DULY_SOURCE_HOME};
    std::vector<Case> cases;
    SelfAssessmentInputs inputs;
    Instant now = t("2026-11-30T12:00:00Z");

    Case& add(const char* ref, Kind k, const char* received) {
        Case c;
        c.reference = ref;
        c.charter = "progress";
        c.channel = Channel::Email;
        c.kind = k;
        c.received = t(received);
        c.events.push_back({0, EventType::Received, c.received, "duly", ""});
        cases.push_back(c);
        return cases.back();
    }

    Fixture() {
        inputs.dueAfter = [this](const Case& c, Instant from, int days) {
            DeadlineCalculator calc(charters.get(c.charter));
            return calc.dueAfter(calc.dayZero(from), days);
        };
        // S1a: acknowledged Wed 4 Nov (by Mon 9 Nov), answered Tue 17 Nov
        // (the Code's date: Wed 18 Nov).
        auto& a = add("S1a", Kind::ComplaintStage1, "2026-11-02T10:00:00Z");
        a.acknowledgedAt = t("2026-11-04T09:00:00Z");
        a.repliedAt = t("2026-11-17T10:00:00Z");
        // S1b: acknowledged late (Wed 11 Nov; due Tue 10 Nov); the Code's
        // date Wed 25 Nov, extended by 5 to Wed 2 Dec; answered Mon 30 Nov.
        auto& b = add("S1b", Kind::ComplaintStage1, "2026-11-03T10:00:00Z");
        b.acknowledgedAt = t("2026-11-11T09:00:00Z");
        b.extensionDays = 5;
        b.events.push_back({0, EventType::Extended, t("2026-11-20T10:00:00Z"), "sali",
                            "5 working days: Waiting for a surveyor's report"});
        b.repliedAt = t("2026-11-30T10:00:00Z");
        // S1c: received Mon 23 Nov, nothing due yet (acknowledge by 5pm today).
        add("S1c", Kind::ComplaintStage1, "2026-11-23T10:00:00Z");
        // S1d: acknowledged on time, no answer; the Code's date Mon 23 Nov passed.
        auto& d = add("S1d", Kind::ComplaintStage1, "2026-11-09T10:00:00Z");
        d.acknowledgedAt = t("2026-11-09T11:00:00Z");
        // S2a: a stage 1 complaint of Mon 2 Nov, extended by 3 at stage 1,
        // taken to stage 2 on Thu 5 Nov, acknowledged Fri 6 Nov, extended
        // by 10 at stage 2; its answer is not due yet.
        auto& e = add("S2a", Kind::ComplaintStage2, "2026-11-05T10:00:00Z");
        e.events.front().at = t("2026-11-02T10:00:00Z");
        e.events.push_back({0, EventType::Extended, t("2026-11-03T12:00:00Z"), "sali", "3 working days: Awaiting contractor"});
        e.events.push_back({0, EventType::EscalatedToStage2, t("2026-11-05T10:00:00Z"), "sali", "stage 1 handled by sali"});
        e.acknowledgedAt = t("2026-11-06T09:00:00Z");
        e.extensionDays = 10;
        e.events.push_back({0, EventType::Extended, t("2026-11-10T12:00:00Z"), "rhughes",
                            "10 working days: Independent surveyor needed"});
        // S2b: stage 2 from the start, acknowledged the same day, answered
        // Fri 27 Nov (the Code's date: Mon 30 Nov).
        auto& f = add("S2b", Kind::ComplaintStage2, "2026-11-02T10:00:00Z");
        f.acknowledgedAt = t("2026-11-02T12:00:00Z");
        f.repliedAt = t("2026-11-27T10:00:00Z");
        // Not counted: an enquiry, and a complaint from October.
        add("E1", Kind::Enquiry, "2026-11-04T10:00:00Z");
        add("OCT", Kind::ComplaintStage1, "2026-10-30T10:00:00Z");
    }
};

}  // namespace

TEST(SelfAssessment, FiguresWorkedByHand) {
    Fixture f;
    const auto a = buildSelfAssessment(f.cases, parseDate("2026-11-01"), parseDate("2026-11-30"), 2500, f.now, f.inputs);
    EXPECT_EQ(a.stage1.received, 5);  // S1a-d and S2a's stage 1
    EXPECT_EQ(a.stage1.escalated, 1);
    EXPECT_EQ(a.stage1.acknowledgementsDue, 3);  // S1a, S1b, S1d
    EXPECT_EQ(a.stage1.acknowledgedInTime, 2);
    EXPECT_EQ(a.stage1.acknowledgedInTimePercent(), 67);
    EXPECT_EQ(a.stage1.answersDue, 3);  // S1a, S1b, S1d
    EXPECT_EQ(a.stage1.answeredInCodeTime, 1);
    EXPECT_EQ(a.stage1.answeredInCodeTimePercent(), 33);
    EXPECT_EQ(a.stage1.answeredInExtendedTime, 2);
    EXPECT_EQ(a.stage1.extended, 1);
    EXPECT_EQ(a.stage2.received, 2);
    EXPECT_EQ(a.stage2.acknowledgementsDue, 2);
    EXPECT_EQ(a.stage2.acknowledgedInTime, 2);
    EXPECT_EQ(a.stage2.answersDue, 1);  // S2b only
    EXPECT_EQ(a.stage2.answeredInCodeTime, 1);
    EXPECT_EQ(a.stage2.extended, 1);
    ASSERT_TRUE(a.perThousandHomes(a.stage1));
    EXPECT_DOUBLE_EQ(*a.perThousandHomes(a.stage1), 2.0);
    EXPECT_DOUBLE_EQ(*a.perThousandHomes(a.stage2), 0.8);

    ASSERT_EQ(a.extensions.size(), 3u);
    EXPECT_EQ(a.extensions[0].reference, "S2a");
    EXPECT_EQ(a.extensions[0].stage, 1);
    EXPECT_EQ(a.extensions[0].days, 3);
    EXPECT_EQ(a.extensions[0].reason, "Awaiting contractor");
    EXPECT_EQ(a.extensions[1].stage, 2);
    EXPECT_EQ(a.extensions[1].days, 10);
    EXPECT_EQ(a.extensions[2].reference, "S1b");
    EXPECT_EQ(a.extensions[2].reason, "Waiting for a surveyor's report");

    const std::string csv = selfAssessmentCsv(a);
    EXPECT_NE(csv.find("measure,stage_1,stage_2\r\n"), std::string::npos);
    EXPECT_NE(csv.find("complaints_received,5,2\r\n"), std::string::npos);
    EXPECT_NE(csv.find("complaints_per_1000_homes,2.0,0.8\r\n"), std::string::npos);
    EXPECT_NE(csv.find("acknowledged_within_5_working_days_percent,67,100\r\n"), std::string::npos);
    EXPECT_NE(csv.find("answered_within_code_timescale_percent,33,100\r\n"), std::string::npos);
    EXPECT_NE(csv.find("answered_within_timescale_with_extension_percent,67,100\r\n"), std::string::npos);
    EXPECT_NE(csv.find("escalated_to_stage_2,1,\r\n"), std::string::npos);
    EXPECT_NE(csv.find("S1b,1,5,2026-11-20,Waiting for a surveyor's report\r\n"), std::string::npos);

    // A reason an officer typed is never a formula in a spreadsheet.
    auto hostile = a;
    hostile.extensions[2].reason = "=cmd|' /C calc'!A0";
    hostile.extensions[1].reason = "\t@SUM(A1)";
    const std::string hostileCsv = selfAssessmentCsv(hostile);
    EXPECT_NE(hostileCsv.find("S1b,1,5,2026-11-20,'=cmd|' /C calc'!A0\r\n"), std::string::npos) << hostileCsv;
    EXPECT_NE(hostileCsv.find(",'\t@SUM(A1)\r\n"), std::string::npos) << hostileCsv;
}

TEST(SelfAssessment, WithoutHomesNoRateAndAnEmptyPeriodHasNoPercentages) {
    Fixture f;
    const auto a = buildSelfAssessment(f.cases, parseDate("2026-11-01"), parseDate("2026-11-30"), std::nullopt, f.now, f.inputs);
    EXPECT_FALSE(a.perThousandHomes(a.stage1));
    const auto none = buildSelfAssessment(f.cases, parseDate("2026-12-01"), parseDate("2026-12-31"), 100, f.now, f.inputs);
    EXPECT_EQ(none.stage1.received, 0);
    EXPECT_FALSE(none.stage1.acknowledgedInTimePercent());
    EXPECT_TRUE(none.extensions.empty());
    EXPECT_NE(selfAssessmentCsv(none).find("acknowledged_within_5_working_days_percent,,\r\n"), std::string::npos);
}

// Issue 14: stage 1's dates are kept when a complaint goes to stage 2, and
// counted in stage 1's figures for the period stage 1 was received in. S2c:
// stage 1 received Mon 2 Nov 10:00, acknowledged 11:00 the same day (within
// 5 working days), answered Fri 13 Nov (within 10 working days of the
// acknowledgement: by Mon 16 Nov); taken to stage 2 on Tue 1 Dec, which is
// outside November, so stage 2 does not count it.
TEST(SelfAssessment, StageOneOfAnEscalatedComplaintByItsOwnDates) {
    Fixture f;
    const auto before = buildSelfAssessment(f.cases, parseDate("2026-11-01"), parseDate("2026-11-30"), 2500, f.now, f.inputs);
    auto& c = f.add("S2c", Kind::ComplaintStage2, "2026-12-01T10:00:00Z");
    c.events.push_back({0, EventType::EscalatedToStage2, t("2026-12-01T10:00:00Z"), "mbrown", "stage 1 handled by sali"});
    c.stage1 = Stage1Dates{t("2026-11-02T10:00:00Z"), t("2026-11-02T11:00:00Z"), t("2026-11-16T17:00:00Z"),
                           t("2026-11-13T10:00:00Z"), 0};
    const auto a = buildSelfAssessment(f.cases, parseDate("2026-11-01"), parseDate("2026-11-30"), 2500, f.now, f.inputs);
    EXPECT_EQ(a.stage1.received, before.stage1.received + 1);
    EXPECT_EQ(a.stage1.escalated, before.stage1.escalated + 1);
    EXPECT_EQ(a.stage1.acknowledgementsDue, before.stage1.acknowledgementsDue + 1);
    EXPECT_EQ(a.stage1.acknowledgedInTime, before.stage1.acknowledgedInTime + 1);
    EXPECT_EQ(a.stage1.answersDue, before.stage1.answersDue + 1);
    EXPECT_EQ(a.stage1.answeredInCodeTime, before.stage1.answeredInCodeTime + 1);
    EXPECT_EQ(a.stage1.extended, before.stage1.extended);
    EXPECT_EQ(a.stage2.received, before.stage2.received);
}

// Issue 14: remedies and referrals on the complaints received in the
// period, over both stages; a complaint outside the period and an enquiry
// are not counted.
TEST(SelfAssessment, RemediesAndReferralsOfThePeriodsComplaints) {
    Fixture f;
    Case& a = f.add("R1", Kind::ComplaintStage1, "2026-11-05T10:00:00Z");
    a.remedies = {Remedy{1, RemedyKind::Apology, "", std::nullopt, 0, "sali", f.now},
                  Remedy{2, RemedyKind::Goodwill, "wasted journey", std::nullopt, 2500, "sali", f.now}};
    a.referral = Referral{t("2026-11-20T10:00:00Z"), "", std::nullopt, "sali"};
    Case& b = f.add("R2", Kind::ComplaintStage2, "2026-11-06T10:00:00Z");
    b.remedies = {Remedy{3, RemedyKind::Compensation, "no heating", std::nullopt, 30000, "sali", f.now},
                  Remedy{4, RemedyKind::Action, "new boiler", parseDate("2026-12-18"), 0, "sali", f.now}};
    b.referral = Referral{t("2026-11-20T10:00:00Z"), "severe-maladministration", t("2026-11-27T10:00:00Z"), "sali"};
    Case& outside = f.add("R3", Kind::ComplaintStage1, "2026-10-05T10:00:00Z");
    outside.remedies = {Remedy{5, RemedyKind::Compensation, "x", std::nullopt, 99900, "sali", f.now}};
    outside.referral = Referral{t("2026-10-20T10:00:00Z"), "upheld", t("2026-10-27T10:00:00Z"), "sali"};
    Case& enquiry = f.add("R4", Kind::Enquiry, "2026-11-05T10:00:00Z");
    enquiry.remedies = {Remedy{6, RemedyKind::Apology, "", std::nullopt, 0, "sali", f.now}};
    const SelfAssessment s = buildSelfAssessment(f.cases, parseDate("2026-11-01"), parseDate("2026-11-30"), std::nullopt,
                                                 f.now, f.inputs);
    EXPECT_EQ(s.apologies, 1);
    EXPECT_EQ(s.actionsPromised, 1);
    EXPECT_EQ(s.goodwillPayments, 1);
    EXPECT_EQ(s.compensationPayments, 1);
    EXPECT_EQ(s.paidPence, 32500);
    EXPECT_EQ(s.referrals, 2);
    EXPECT_EQ(s.referralOutcomes, (std::map<std::string, int>{{"severe-maladministration", 1}}));
    const std::string csv = selfAssessmentCsv(s);
    EXPECT_NE(csv.find("paid_pounds,325.00,\r\nombudsman_referrals,2,\r\nombudsman_outcomes,severe-maladministration 1,\r\n"),
              std::string::npos)
        << csv;
}
