// The charter report on a fixed set of seven cases, worked by hand (see the
// comments by each case), measured at Monday 30 November 2026, noon.
#include "duly/web/Report.h"

#include "duly/engine/ZoneRules.h"

#include <gtest/gtest.h>

#include <map>

using namespace duly::web;
using namespace duly::engine;

namespace {

Instant t(const char* s) { return parseRfc3339(s); }

struct Fixture {
    std::vector<Case> cases;
    std::map<std::string, int> days;  // working days to reply, by reference
    ReportInputs inputs;
    Instant now = t("2026-11-30T12:00:00Z");
    Date from = parseDate("2026-11-01"), to = parseDate("2026-11-30");

    Case& add(const char* ref, Channel ch, Kind k, const char* officer, const char* received) {
        Case c;
        c.reference = ref;
        c.charter = "progress";
        c.channel = ch;
        c.kind = k;
        c.officerId = officer;
        c.received = t(received);
        cases.push_back(c);
        return cases.back();
    }

    Fixture() {
        // C1 letter: acknowledged on time, answered on time in 4 working days.
        auto& c1 = add("C1", Channel::Letter, Kind::Enquiry, "sali", "2026-11-02T10:00:00Z");
        c1.acknowledgeBy = t("2026-11-03T17:00:00Z");
        c1.acknowledgedAt = t("2026-11-03T09:00:00Z");
        c1.respondBy = t("2026-11-09T17:00:00Z");
        c1.repliedAt = t("2026-11-06T10:00:00Z");
        days["C1"] = 4;
        // C2 letter: acknowledged late, answered late in 7, a holding reply went.
        auto& c2 = add("C2", Channel::Letter, Kind::Enquiry, "sali", "2026-11-03T10:00:00Z");
        c2.acknowledgeBy = t("2026-11-04T17:00:00Z");
        c2.acknowledgedAt = t("2026-11-05T09:00:00Z");
        c2.respondBy = t("2026-11-10T17:00:00Z");
        c2.repliedAt = t("2026-11-12T10:00:00Z");
        c2.holdingReplySentAt = t("2026-11-09T10:00:00Z");
        days["C2"] = 7;
        // C3 email: no acknowledgement promised; answered on time in 4.
        auto& c3 = add("C3", Channel::Email, Kind::Enquiry, "jwong", "2026-11-10T10:00:00Z");
        c3.respondBy = t("2026-11-17T17:00:00Z");
        c3.repliedAt = t("2026-11-16T10:00:00Z");
        days["C3"] = 4;
        // C4 email complaint: acknowledgement overdue (a breach); answer not yet due; extended.
        auto& c4 = add("C4", Channel::Email, Kind::ComplaintStage1, "dparker", "2026-11-20T10:00:00Z");
        c4.acknowledgeBy = t("2026-11-27T17:00:00Z");
        c4.respondBy = t("2026-12-04T17:00:00Z");
        c4.extensionDays = 5;
        // C5 email stage 2: nothing due yet.
        auto& c5 = add("C5", Channel::Email, Kind::ComplaintStage2, "dparker", "2026-11-25T10:00:00Z");
        c5.acknowledgeBy = t("2026-12-02T17:00:00Z");
        c5.respondBy = t("2026-12-23T17:00:00Z");
        // C6: received in October, outside the period.
        auto& c6 = add("C6", Channel::Email, Kind::Enquiry, "sali", "2026-10-30T10:00:00Z");
        c6.respondBy = t("2026-11-06T17:00:00Z");
        // C7 letter: 23:30 on 30 November (GMT) is still in the period; nothing due yet.
        auto& c7 = add("C7", Channel::Letter, Kind::Enquiry, "sali", "2026-11-30T23:30:00Z");
        c7.acknowledgeBy = t("2026-12-02T17:00:00Z");
        // C8: 00:30 UTC on 1 December is 1 December in London too: outside.
        add("C8", Channel::Letter, Kind::Enquiry, "sali", "2026-12-01T00:30:00Z");
        inputs.workingDaysToReply = [this](const Case& c) { return days.at(c.reference); };
        inputs.teamOf = [](const std::string& id) { return id == "dparker" ? "complaints" : "customer-services"; };
    }
};

TEST(Report, ByChannelWorkedByHand) {
    Fixture f;
    auto r = buildReport(f.cases, f.from, f.to, ReportBy::Channel, f.now, f.inputs);
    ASSERT_EQ(r.rows.size(), 2u);
    const auto& email = r.rows[0];
    const auto& letter = r.rows[1];
    EXPECT_EQ(email.group, "email");
    EXPECT_EQ(email.cases, 3);                  // C3, C4, C5
    EXPECT_EQ(email.acknowledgementsDue, 1);    // C4 only: C5's time has not come
    EXPECT_EQ(email.acknowledgedOnTime, 0);
    EXPECT_EQ(email.answersDue, 1);             // C3
    EXPECT_EQ(email.answeredOnTime, 1);
    EXPECT_EQ(email.answeredOnTimePercent(), 100);
    EXPECT_EQ(email.acknowledgedOnTimePercent(), 0);
    EXPECT_EQ(email.medianDaysToReply(), 4.0);
    EXPECT_EQ(email.breaches(), 1);
    EXPECT_EQ(email.extensions, 1);
    EXPECT_EQ(email.complaintsStage1, 1);
    EXPECT_EQ(email.complaintsStage2, 1);
    EXPECT_EQ(letter.group, "letter");
    EXPECT_EQ(letter.cases, 3);                 // C1, C2, C7
    EXPECT_EQ(letter.acknowledgedOnTimePercent(), 50);
    EXPECT_EQ(letter.answeredOnTimePercent(), 50);
    EXPECT_EQ(letter.medianDaysToReply(), 5.5);  // (4 + 7) / 2
    EXPECT_EQ(letter.breaches(), 2);
    EXPECT_EQ(letter.holdingReplies, 1);
    EXPECT_EQ(r.total.cases, 6);
    EXPECT_EQ(r.total.acknowledgedOnTimePercent(), 33);  // 1 of 3
    EXPECT_EQ(r.total.answeredOnTimePercent(), 67);      // 2 of 3
    EXPECT_EQ(r.total.medianDaysToReply(), 4.0);         // 4, 4, 7
    EXPECT_EQ(r.total.breaches(), 3);
}

TEST(Report, CsvIsExact) {
    Fixture f;
    auto r = buildReport(f.cases, f.from, f.to, ReportBy::Channel, f.now, f.inputs);
    EXPECT_EQ(reportCsv(r),
              "channel,cases,acknowledgements_due,acknowledged_on_time,acknowledged_on_time_percent,answers_due,"
              "answered_on_time,answered_on_time_percent,median_working_days_to_reply,breaches,holding_replies,"
              "extensions,complaints_stage_1,complaints_stage_2,apologies,actions_promised,goodwill_payments,"
              "compensation_payments,paid_pounds,ombudsman_referrals,ombudsman_outcomes\r\n"
              "email,3,1,0,0,1,1,100,4.0,1,0,1,1,1,0,0,0,0,0.00,0,\r\n"
              "letter,3,2,1,50,2,1,50,5.5,2,1,0,0,0,0,0,0,0,0.00,0,\r\n"
              "All,6,3,1,33,3,2,67,4.0,3,1,1,1,1,0,0,0,0,0.00,0,\r\n");
}

TEST(Report, RemediesAndReferralsAreCountedByKindWithTheTotalPaid) {
    Fixture f;
    // Two of the cases have remedies; one of them went to the ombudsman and
    // another is still waiting for its outcome.
    Case& first = f.cases.at(0);
    Case& second = f.cases.at(1);
    first.remedies = {Remedy{1, RemedyKind::Apology, "", std::nullopt, 0, "sali", f.now},
                      Remedy{2, RemedyKind::Goodwill, "wasted journey", std::nullopt, 2500, "sali", f.now},
                      Remedy{3, RemedyKind::Compensation, "no heating", std::nullopt, 12550, "sali", f.now}};
    second.remedies = {Remedy{4, RemedyKind::Action, "replace the door", parseDate("2026-12-18"), 0, "sali", f.now},
                       Remedy{5, RemedyKind::Compensation, "delay", std::nullopt, 5000, "sali", f.now}};
    first.referral = Referral{f.now, "maladministration", f.now, "sali"};
    second.referral = Referral{f.now, "", std::nullopt, "sali"};
    auto r = buildReport(f.cases, f.from, f.to, ReportBy::Charter, f.now, f.inputs);
    EXPECT_EQ(r.total.apologies, 1);
    EXPECT_EQ(r.total.actionsPromised, 1);
    EXPECT_EQ(r.total.goodwillPayments, 1);
    EXPECT_EQ(r.total.compensationPayments, 2);
    EXPECT_EQ(r.total.paidPence, 2500 + 12550 + 5000);
    EXPECT_EQ(r.total.referrals, 2);
    EXPECT_EQ(r.total.referralOutcomes, (std::map<std::string, int>{{"maladministration", 1}}));
    const std::string csv = reportCsv(r);
    EXPECT_NE(csv.find(",1,1,1,2,200.50,2,maladministration 1\r\n"), std::string::npos) << csv;
}

TEST(Report, OtherGroupings) {
    Fixture f;
    auto byOfficer = buildReport(f.cases, f.from, f.to, ReportBy::Officer, f.now, f.inputs);
    ASSERT_EQ(byOfficer.rows.size(), 3u);
    EXPECT_EQ(byOfficer.rows[0].group, "dparker");
    EXPECT_EQ(byOfficer.rows[0].cases, 2);
    EXPECT_EQ(byOfficer.rows[2].group, "sali");
    EXPECT_EQ(byOfficer.rows[2].cases, 3);
    auto byTeam = buildReport(f.cases, f.from, f.to, ReportBy::Team, f.now, f.inputs);
    ASSERT_EQ(byTeam.rows.size(), 2u);
    EXPECT_EQ(byTeam.rows[0].group, "complaints");
    EXPECT_EQ(byTeam.rows[1].cases, 4);
    auto byMonth = buildReport(f.cases, parseDate("2026-10-01"), f.to, ReportBy::Month, f.now, f.inputs);
    ASSERT_EQ(byMonth.rows.size(), 2u);
    EXPECT_EQ(byMonth.rows[0].group, "2026-10");
    EXPECT_EQ(byMonth.rows[0].answersDue, 1);   // C6: due, never answered
    EXPECT_EQ(byMonth.rows[0].answeredOnTime, 0);
    EXPECT_EQ(byMonth.rows[1].group, "2026-11");
    auto byKind = buildReport(f.cases, f.from, f.to, ReportBy::Kind, f.now, f.inputs);
    EXPECT_EQ(byKind.rows.size(), 3u);
}

TEST(Report, PercentagesRoundHalfUpAndEmptyIsADash) {
    ReportRow row;
    EXPECT_FALSE(row.answeredOnTimePercent());
    EXPECT_EQ(percentText(row.answeredOnTimePercent()), "—");
    EXPECT_FALSE(row.medianDaysToReply());
    row.acknowledgementsDue = 8;
    row.acknowledgedOnTime = 1;  // 12.5%
    EXPECT_EQ(row.acknowledgedOnTimePercent(), 13);
    row.acknowledgedOnTime = 7;  // 87.5%
    EXPECT_EQ(row.acknowledgedOnTimePercent(), 88);
    row.answersDue = 200;
    row.answeredOnTime = 189;  // 94.5%
    EXPECT_EQ(percentText(row.answeredOnTimePercent()), "95%");
}

TEST(Report, CsvCellsCannotBecomeFormulas) {
    Fixture f;
    f.cases[0].charter = "=HYPERLINK(\"x\"),y";
    auto r = buildReport(f.cases, f.from, f.to, ReportBy::Charter, f.now, f.inputs);
    auto csv = reportCsv(r);
    EXPECT_NE(csv.find("\r\n\"'=HYPERLINK(\"\"x\"\"),y\",1,"), std::string::npos) << csv;
    f.cases[0].charter = "\t-2+3";
    csv = reportCsv(buildReport(f.cases, f.from, f.to, ReportBy::Charter, f.now, f.inputs));
    EXPECT_NE(csv.find("\r\n'\t-2+3,1,"), std::string::npos) << csv;
}

TEST(Report, GroupNames) {
    for (auto by : {ReportBy::Charter, ReportBy::Channel, ReportBy::Kind, ReportBy::Team, ReportBy::Officer, ReportBy::Month})
        EXPECT_EQ(reportByFromName(reportByName(by)), by);
    EXPECT_FALSE(reportByFromName("colour"));
}

}  // namespace

TEST(Report, ACaseWaitingOnTheCustomerIsNotCountedAsLateWhileItsClockIsPaused) {
    Fixture f;
    f.cases.clear();
    auto& waiting = f.add("W1", Channel::Email, Kind::Enquiry, "sali", "2026-11-16T10:00:00Z");
    waiting.respondBy = t("2026-11-23T17:00:00Z");  // before the pause moved it on
    waiting.pausedSince = t("2026-11-18T10:00:00Z");
    auto& late = f.add("L1", Channel::Email, Kind::Enquiry, "sali", "2026-11-16T10:00:00Z");
    late.respondBy = t("2026-11-23T17:00:00Z");
    auto r = buildReport(f.cases, f.from, f.to, ReportBy::Channel, f.now, f.inputs);
    EXPECT_EQ(r.total.cases, 2);
    EXPECT_EQ(r.total.answersDue, 1);  // L1 only
    EXPECT_EQ(r.total.breaches(), 1);
}

// The public summary counts each kind against its own promise: enquiries by
// channel, requests for information, and stage 1 and stage 2 complaints,
// each on its own line. Measured at 31 December 2026, when every answer
// below has fallen due; worked by hand case by case.
TEST(PromiseLines, EachKindAgainstItsOwnPromise) {
    Fixture f;
    f.cases.clear();
    f.now = t("2026-12-31T12:00:00Z");
    auto reply = [&](const char* ref, Channel ch, Kind k, const char* received, const char* respondBy,
                     std::optional<const char*> replied) -> Case& {
        Case& c = f.add(ref, ch, k, "sali", received);
        c.respondBy = t(respondBy);
        if (replied) c.repliedAt = t(*replied);
        f.days[ref] = 1;
        return c;
    };
    // Emails: E1 on time, E2 late: 1 of 2.
    reply("E1", Channel::Email, Kind::Enquiry, "2026-11-02T10:00:00Z", "2026-11-09T17:00:00Z", "2026-11-06T10:00:00Z");
    reply("E2", Channel::Email, Kind::Enquiry, "2026-11-03T10:00:00Z", "2026-11-10T17:00:00Z", "2026-11-12T10:00:00Z");
    // Stage 1 complaints by email: Q1 answered in 7 working days, inside its
    // 10 (late against an email's 5, which it must not be measured by);
    // Q2 unanswered past its date; Q3 waiting on the customer, not due.
    reply("Q1", Channel::Email, Kind::ComplaintStage1, "2026-11-02T10:00:00Z", "2026-11-16T17:00:00Z",
          "2026-11-11T10:00:00Z");
    reply("Q2", Channel::Letter, Kind::ComplaintStage1, "2026-11-04T10:00:00Z", "2026-11-18T17:00:00Z", std::nullopt);
    reply("Q3", Channel::Email, Kind::ComplaintStage1, "2026-11-05T10:00:00Z", "2026-11-19T17:00:00Z", std::nullopt)
        .pausedSince = t("2026-11-10T10:00:00Z");
    // A stage 2 complaint by email, answered within its 20.
    reply("S1", Channel::Email, Kind::ComplaintStage2, "2026-11-09T10:00:00Z", "2026-12-07T17:00:00Z",
          "2026-12-04T10:00:00Z");
    // A letter, on time; a request for information by letter, on time within its 3.
    reply("L1", Channel::Letter, Kind::Enquiry, "2026-11-10T10:00:00Z", "2026-11-17T17:00:00Z", "2026-11-17T09:00:00Z");
    reply("I1", Channel::Letter, Kind::InfoRequest, "2026-11-10T10:00:00Z", "2026-11-13T17:00:00Z",
          "2026-11-12T09:00:00Z");
    // Received in December: outside the period.
    reply("E3", Channel::Email, Kind::Enquiry, "2026-12-01T10:00:00Z", "2026-12-08T17:00:00Z", std::nullopt);
    f.inputs.promisedWorkingDays = [](const Case& c) -> std::optional<int> {
        switch (c.kind) {
        case Kind::InfoRequest: return 3;
        case Kind::ComplaintStage1: return 10;
        case Kind::ComplaintStage2: return 20;
        default: return 5;
        }
    };

    auto lines = promiseLines(f.cases, f.from, f.to, f.now, f.inputs);
    std::vector<std::string> sentences;
    for (const auto& l : lines) sentences.push_back(promiseSentence(l));
    EXPECT_EQ(sentences, (std::vector<std::string>{
                             "We answered 100% of letters within 5 working days (1 of 1).",
                             "We answered 50% of emails within 5 working days (1 of 2).",
                             "We answered 100% of requests for forms or information within 3 working days (1 of 1).",
                             "We answered 50% of stage 1 complaints within 10 working days (1 of 2).",
                             "We answered 100% of stage 2 complaints within 20 working days (1 of 1).",
                         }));
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[1].row.cases, 2);  // the emails line holds no complaint
    EXPECT_EQ(lines[3].row.cases, 3);  // Q3 is counted as received, but not as due
    EXPECT_EQ(lines[3].workingDays, 10);

    // The by-channel report still counts everything an email brought in.
    auto byChannel = buildReport(f.cases, f.from, f.to, ReportBy::Channel, f.now, f.inputs);
    ASSERT_EQ(byChannel.rows.size(), 2u);
    EXPECT_EQ(byChannel.rows[0].group, "email");
    EXPECT_EQ(byChannel.rows[0].answersDue, 4);  // E1, E2, Q1, S1
}

// Call-back requests (issue 13) have their own line, against their own
// promise in hours; a line whose cases were promised "first thing" (neither
// days nor hours) says "in the time we promised".
TEST(PromiseLines, CallBacksAreCountedAgainstTheirHours) {
    Fixture f;
    f.cases.clear();
    f.now = t("2026-12-31T12:00:00Z");
    auto callBack = [&](const char* ref, const char* received, const char* respondBy, const char* replied) {
        Case& c = f.add(ref, Channel::PhoneMessage, Kind::CallBack, "sali", received);
        c.respondBy = t(respondBy);
        c.repliedAt = t(replied);
        f.days[ref] = 1;
    };
    // Friday 15:00, due Monday 15:00: called back Monday 11:00, on time;
    // Monday 10:00, due Tuesday 10:00: called back Tuesday 16:00, late.
    callBack("B1", "2026-11-06T15:00:00Z", "2026-11-09T15:00:00Z", "2026-11-09T11:00:00Z");
    callBack("B2", "2026-11-09T10:00:00Z", "2026-11-10T10:00:00Z", "2026-11-10T16:00:00Z");
    // An answerphone message, promised first thing (no days, no hours).
    Case& m = f.add("M1", Channel::PhoneMessage, Kind::Enquiry, "sali", "2026-11-09T18:00:00Z");
    m.respondBy = t("2026-11-10T10:00:00Z");
    m.repliedAt = t("2026-11-10T09:40:00Z");
    f.days["M1"] = 0;
    f.inputs.promisedWorkingDays = [](const Case&) -> std::optional<int> { return std::nullopt; };
    f.inputs.promisedHours = [](const Case& c) -> std::optional<int> {
        if (c.kind == Kind::CallBack) return 24;
        return std::nullopt;
    };
    std::vector<std::string> sentences;
    for (const auto& l : promiseLines(f.cases, f.from, f.to, f.now, f.inputs)) sentences.push_back(promiseSentence(l));
    EXPECT_EQ(sentences, (std::vector<std::string>{
                             "We answered 100% of phone messages in the time we promised (1 of 1).",
                             "We answered 50% of call-back requests within 24 hours (1 of 2).",
                         }));
}

// Cases promised different times (two charters) are not given one number.
TEST(PromiseLines, MixedPromisesAreNotStatedAsOne) {
    Fixture f;
    f.inputs.promisedWorkingDays = [](const Case& c) -> std::optional<int> { return c.reference == "C1" ? 5 : 3; };
    auto lines = promiseLines(f.cases, f.from, f.to, f.now, f.inputs);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0].what, "letters");
    EXPECT_EQ(lines[0].workingDays, std::nullopt);
    EXPECT_EQ(promiseSentence(lines[0]), "We answered 50% of letters in the time we promised (1 of 2).");
}
