// Deadlines: the worked examples of issue 2, receipt on holidays and
// weekends, around closing time, across both daylight-saving changes, every
// one-off holiday since 2019, complaints counted from the acknowledgement
// and extensions.
#include "duly/engine/CharterFile.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

using namespace duly::engine;

namespace {

const std::filesystem::path kHome(DULY_SOURCE_HOME);

const Charter& charter(const std::string& name) {
    static std::map<std::string, Charter> loaded;
    auto it = loaded.find(name);
    if (it == loaded.end()) it = loaded.emplace(name, loadCharter(name, kHome)).first;
    return it->second;
}

std::string opt(const std::optional<Instant>& t) { return t ? ZoneRules::london().formatRfc3339(*t) : "null"; }

struct Case {
    const char* charter;
    Channel channel;
    Kind kind;
    const char* received;
    const char* countedFrom;
    const char* acknowledgeBy;
    const char* respondBy;
};

Deadlines compute(const std::string& name, Channel ch, Kind kind, const std::string& received,
                  std::optional<std::string> acknowledged = std::nullopt, int extension = 0) {
    DeadlineCalculator calc(charter(name));
    DeadlineRequest req{ch, kind, parseRfc3339(received), std::nullopt, extension};
    if (acknowledged) req.acknowledged = parseRfc3339(*acknowledged);
    return calc.compute(req);
}

void expectCase(const Case& c) {
    auto d = compute(c.charter, c.channel, c.kind, c.received);
    SCOPED_TRACE(std::string(c.charter) + " " + std::string(channelName(c.channel)) + " " + c.received);
    EXPECT_EQ(formatDate(d.countedFrom), c.countedFrom);
    EXPECT_EQ(opt(d.acknowledgeBy), c.acknowledgeBy);
    EXPECT_EQ(opt(d.respondBy), c.respondBy);
}

}  // namespace

TEST(Deadlines, WorkedExamplesFromTheIssue) {
    const Case cases[] = {
        // Thursday 24 Dec before 17:00: 25 and 28 Dec and 1 Jan are holidays.
        {"progress", Channel::Letter, Kind::Enquiry, "2026-12-24T16:50:00Z", "2026-12-24", "null", "2027-01-05T17:00:00+00:00"},
        {"progress", Channel::Letter, Kind::Enquiry, "2026-12-24T17:00:00Z", "2026-12-29", "null", "2027-01-06T17:00:00+00:00"},
        // Friday 16:44 BST, before the Friday close; due after the clocks went back.
        {"progress", Channel::Letter, Kind::Enquiry, "2026-10-23T15:44:00Z", "2026-10-23", "null", "2026-10-30T16:45:00+00:00"},
        {"progress", Channel::Letter, Kind::Enquiry, "2026-10-23T15:50:00Z", "2026-10-26", "null", "2026-11-02T17:00:00+00:00"},
        // Friday at closing time counts from Monday; due after the clocks went forward.
        {"paragon", Channel::Email, Kind::Enquiry, "2026-03-27T17:00:00Z", "2026-03-30", "2026-03-31T17:00:00+01:00", "2026-04-08T17:00:00+01:00"},
        // 19 September 2022 was the state funeral.
        {"progress", Channel::PhoneMessage, Kind::Enquiry, "2022-09-16T12:00:00Z", "2022-09-16", "null", "2022-09-21T17:00:00+01:00"},
    };
    for (const auto& c : cases) expectCase(c);
}

TEST(Deadlines, ReceiptOnBankHolidayAndWeekend) {
    const Case cases[] = {
        // Good Friday 3 April 2026 and Easter Monday: counted from Tuesday 7 April.
        {"paragon", Channel::Letter, Kind::Enquiry, "2026-04-03T10:00:00Z", "2026-04-07", "2026-04-08T17:00:00+01:00", "2026-04-14T17:00:00+01:00"},
        // Saturday 21 November 2026: counted from Monday 23.
        {"progress", Channel::Email, Kind::Enquiry, "2026-11-21T09:30:00Z", "2026-11-23", "null", "2026-11-30T17:00:00+00:00"},
        // Sunday evening: taken from the answer phone first thing Monday
        // (09:00 + 60 minutes), answered within one working day of Monday.
        {"south-western", Channel::PhoneMessage, Kind::Enquiry, "2026-11-22T20:00:00Z", "2026-11-23", "2026-11-23T10:00:00+00:00", "2026-11-24T17:00:00+00:00"},
        // Before opening time on a working day still counts that day.
        {"south-western", Channel::Web, Kind::InfoRequest, "2026-11-23T06:15:00Z", "2026-11-23", "null", "2026-11-26T17:00:00+00:00"},
    };
    for (const auto& c : cases) expectCase(c);
}

TEST(Deadlines, AMinuteBeforeAndAtClosingTime) {
    // Monday 23 November 2026, GMT.
    expectCase({"paragon", Channel::Letter, Kind::Enquiry, "2026-11-23T16:59:00Z", "2026-11-23", "2026-11-24T17:00:00+00:00", "2026-11-30T17:00:00+00:00"});
    expectCase({"paragon", Channel::Letter, Kind::Enquiry, "2026-11-23T16:59:59Z", "2026-11-23", "2026-11-24T17:00:00+00:00", "2026-11-30T17:00:00+00:00"});
    expectCase({"paragon", Channel::Letter, Kind::Enquiry, "2026-11-23T17:00:00Z", "2026-11-24", "2026-11-25T17:00:00+00:00", "2026-12-01T17:00:00+00:00"});
    // In summer 17:00 local is 16:00 UTC.
    expectCase({"paragon", Channel::Letter, Kind::Enquiry, "2026-07-06T15:59:00Z", "2026-07-06", "2026-07-07T17:00:00+01:00", "2026-07-13T17:00:00+01:00"});
    expectCase({"paragon", Channel::Letter, Kind::Enquiry, "2026-07-06T16:00:00Z", "2026-07-07", "2026-07-08T17:00:00+01:00", "2026-07-14T17:00:00+01:00"});
    // Progress closes at 16:45 on Fridays (BST: 15:45 UTC).
    expectCase({"progress", Channel::Letter, Kind::Enquiry, "2026-07-10T15:44:00Z", "2026-07-10", "null", "2026-07-17T16:45:00+01:00"});
    expectCase({"progress", Channel::Letter, Kind::Enquiry, "2026-07-10T15:45:00Z", "2026-07-13", "null", "2026-07-20T17:00:00+01:00"});
}

TEST(Deadlines, AcrossBothDaylightSavingChanges) {
    // Clocks go forward on Sunday 29 March 2026: received Friday in GMT, due in BST.
    expectCase({"progress", Channel::Email, Kind::Enquiry, "2026-03-27T10:00:00Z", "2026-03-27", "null", "2026-04-07T17:00:00+01:00"});
    // Clocks go back on Sunday 25 October 2026: received in BST at 16:30 local (15:30Z), due in GMT.
    expectCase({"paragon", Channel::Email, Kind::Enquiry, "2026-10-22T15:30:00Z", "2026-10-22", "2026-10-23T17:00:00+01:00", "2026-10-29T17:00:00+00:00"});
    // 16:30 UTC on 22 October is 17:30 BST: after closing.
    expectCase({"paragon", Channel::Email, Kind::Enquiry, "2026-10-22T16:30:00Z", "2026-10-23", "2026-10-26T17:00:00+00:00", "2026-10-30T17:00:00+00:00"});
    // Received during the hour the clocks go back (01:30 local happens twice), a Sunday.
    expectCase({"paragon", Channel::Email, Kind::Enquiry, "2026-10-25T00:30:00Z", "2026-10-26", "2026-10-27T17:00:00+00:00", "2026-11-02T17:00:00+00:00"});
}

TEST(Deadlines, EveryOneOffHolidaySince2019IsSkipped) {
    // The working day before each one-off holiday, before closing; a two-day
    // promise must step over the holiday.
    struct OneOff {
        const char* received;
        const char* respondBy;
    };
    const OneOff oneOffs[] = {
        {"2020-05-07T10:00:00Z", "2020-05-12T17:00:00+01:00"},  // Fri 8 May 2020 (VE Day), then weekend
        {"2022-06-01T10:00:00Z", "2022-06-07T17:00:00+01:00"},  // Thu 2 and Fri 3 June 2022 (jubilee)
        {"2022-09-16T10:00:00Z", "2022-09-21T17:00:00+01:00"},  // Mon 19 Sep 2022 (state funeral)
        {"2023-05-05T10:00:00Z", "2023-05-10T17:00:00+01:00"},  // Mon 8 May 2023 (coronation)
    };
    for (const auto& o : oneOffs) {
        auto d = compute("progress", Channel::PhoneMessage, Kind::Enquiry, o.received);
        EXPECT_EQ(opt(d.respondBy), o.respondBy) << o.received;
    }
    // The days these replaced are working days again.
    const auto& cal = charter("progress").calendar;
    EXPECT_TRUE(cal.isWorkingDay(parseDate("2020-05-04")));
    EXPECT_TRUE(cal.isWorkingDay(parseDate("2022-05-30")));
}

TEST(Deadlines, ComplaintsCountFromTheAcknowledgement) {
    // Stage 1 complaint received Monday 2 November 2026 10:00.
    auto atReceipt = compute("progress", Channel::Email, Kind::ComplaintStage1, "2026-11-02T10:00:00Z");
    EXPECT_EQ(opt(atReceipt.acknowledgeBy), "2026-11-09T17:00:00+00:00");
    EXPECT_EQ(opt(atReceipt.respondBy), "2026-11-16T17:00:00+00:00");  // 10 working days from day 0
    EXPECT_EQ(opt(atReceipt.holdingReplyBy), "2026-11-12T17:00:00+00:00");  // 2 working days before

    // Acknowledged on Wednesday 4 November at 18:00 (after closing): counted from Thursday 5.
    auto later = compute("progress", Channel::Email, Kind::ComplaintStage1, "2026-11-02T10:00:00Z",
                         "2026-11-04T18:00:00Z");
    EXPECT_EQ(formatDate(*later.responseCountedFrom), "2026-11-05");
    EXPECT_EQ(opt(later.respondBy), "2026-11-19T17:00:00+00:00");

    // Stage 2: 20 working days from the acknowledgement, over Christmas 2026.
    auto stage2 = compute("paragon", Channel::Letter, Kind::ComplaintStage2, "2026-12-01T11:00:00Z");
    EXPECT_EQ(opt(stage2.acknowledgeBy), "2026-12-08T17:00:00+00:00");
    EXPECT_EQ(opt(stage2.respondBy), "2026-12-31T17:00:00+00:00");
}

TEST(Deadlines, ExtensionsUpToTheCodesMaximum) {
    auto extended = compute("progress", Channel::Email, Kind::ComplaintStage1, "2026-11-02T10:00:00Z", std::nullopt, 10);
    EXPECT_EQ(opt(extended.respondBy), "2026-11-30T17:00:00+00:00");
    try {
        compute("progress", Channel::Email, Kind::ComplaintStage1, "2026-11-02T10:00:00Z", std::nullopt, 11);
        FAIL() << "an 11-day extension of a stage 1 complaint must be refused";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "an extension of 11 working days is more than charter progress allows for "
                               "complaint-stage-1 (at most 10)");
    }
    EXPECT_THROW(compute("progress", Channel::Letter, Kind::Enquiry, "2026-11-02T10:00:00Z", std::nullopt, 1),
                 InputError);  // enquiries have no extension
    auto stage2 = compute("south-western", Channel::Email, Kind::ComplaintStage2, "2026-11-02T10:00:00Z", std::nullopt, 20);
    EXPECT_EQ(opt(stage2.respondBy), "2026-12-30T17:00:00+00:00");
}

TEST(Deadlines, NoPromiseGivesNulls) {
    auto d = compute("progress", Channel::Text, Kind::Enquiry, "2026-11-02T10:00:00Z");
    EXPECT_EQ(d.rule, nullptr);
    EXPECT_EQ(formatDate(d.countedFrom), "2026-11-02");
    EXPECT_FALSE(d.acknowledgeBy);
    EXPECT_FALSE(d.respondBy);
    // Paragon comments: an acknowledgement only.
    auto comment = compute("paragon", Channel::Web, Kind::Comment, "2026-11-02T10:00:00Z");
    EXPECT_EQ(opt(comment.acknowledgeBy), "2026-11-09T17:00:00+00:00");
    EXPECT_FALSE(comment.respondBy);
}

TEST(Deadlines, AcknowledgementBeforeReceiptIsRefused) {
    EXPECT_THROW(compute("progress", Channel::Email, Kind::ComplaintStage1, "2026-11-02T10:00:00Z", "2026-11-01T10:00:00Z"),
                 InputError);
}

TEST(Deadlines, ClosureDaysAndOfficeHoursFromTheCharter) {
    // A Christmas shutdown from 29 to 31 December and no Friday opening.
    const std::string text = R"(name = "shut"
reference_prefix = "SHT"
[organisation]
name = "Shut Homes"
[calendar]
region = "england-and-wales"
[calendar.hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-16:00"
[[calendar.closure]]
from = 2026-12-29
to = 2026-12-31
reason = "Christmas shutdown"
[[rule]]
channels = "any"
kinds = ["enquiry"]
acknowledge_within = 1
respond_within = 3
)";
    Charter shut = parseCharter(text, "shut.toml", kHome / "config" / "calendars");
    DeadlineCalculator calc(shut);
    // Wednesday 23 December 2026 at 10:00: Thursday 24 is day 1 (closing 16:00),
    // then 25 and 28 are holidays, 29–31 shut, Friday 1 Jan a holiday and no
    // Friday opening anyway: Monday 4 and Tuesday 5 January are days 2 and 3.
    auto d = calc.compute({Channel::Email, Kind::Enquiry, parseRfc3339("2026-12-23T10:00:00Z"), std::nullopt, 0});
    EXPECT_EQ(opt(d.acknowledgeBy), "2026-12-24T16:00:00+00:00");
    EXPECT_EQ(opt(d.respondBy), "2027-01-05T17:00:00+00:00");
    // Received on a Friday (the office does not open): counted from Monday.
    auto friday = calc.compute({Channel::Email, Kind::Enquiry, parseRfc3339("2026-11-27T10:00:00Z"), std::nullopt, 0});
    EXPECT_EQ(formatDate(friday.countedFrom), "2026-11-30");
    EXPECT_EQ(shut.calendar.whyClosed(parseDate("2026-12-30")).value(), "Christmas shutdown");
}

TEST(Deadlines, APausedClockSkipsTheWorkingDaysItStoodStill) {
    DeadlineCalculator calc(charter("progress"));
    auto paused = [&](const char* since, const char* until) {
        return calc.pausedWorkingDays(parseRfc3339(since), parseRfc3339(until));
    };
    // Tuesday 24 Nov to Friday 27 Nov: Wednesday, Thursday and Friday.
    EXPECT_EQ(paused("2026-11-24T11:00:00Z", "2026-11-27T14:00:00Z"), 3);
    // Paused and resumed on the same day: nothing lost.
    EXPECT_EQ(paused("2026-11-24T09:30:00Z", "2026-11-24T16:00:00Z"), 0);
    // Friday to Monday: the weekend does not count, Monday does.
    EXPECT_EQ(paused("2026-11-27T10:00:00Z", "2026-11-30T10:00:00Z"), 1);
    // Christmas Eve to Tuesday 29 Dec: 25 and 28 Dec are bank holidays.
    EXPECT_EQ(paused("2026-12-24T10:00:00Z", "2026-12-29T10:00:00Z"), 1);
    // Resumed "before" it paused (a clock set wrong): nothing.
    EXPECT_EQ(paused("2026-11-27T10:00:00Z", "2026-11-26T10:00:00Z"), 0);

    // An email enquiry of Monday 23 Nov is due Monday 30 Nov; three paused
    // days move the answer to Thursday 3 Dec and the holding reply (one
    // working day before) to Wednesday 2 Dec.
    DeadlineRequest req{Channel::Email, Kind::Enquiry, parseRfc3339("2026-11-23T10:00:00Z"), std::nullopt, 0, 0};
    EXPECT_EQ(opt(calc.compute(req).respondBy), "2026-11-30T17:00:00+00:00");
    req.pausedDays = 3;
    const auto d = calc.compute(req);
    EXPECT_EQ(opt(d.respondBy), "2026-12-03T17:00:00+00:00");
    EXPECT_EQ(opt(d.holdingReplyBy), "2026-12-02T17:00:00+00:00");
    EXPECT_EQ(opt(d.acknowledgeBy), "null");  // the pause never touches an acknowledgement
    req.pausedDays = -1;
    EXPECT_THROW(calc.compute(req), InputError);
}

// Scotland under the SPSO model procedure (issue 14). Received Friday 27
// November 2026 at 10:00, day 0 is that Friday. Monday 30 November is St
// Andrew's Day, a Scottish bank holiday, so the 5 working days of a stage 1
// frontline response are Tuesday 1 to Friday 4 and Monday 7 December.
TEST(Deadlines, ScottishStage1SkipsStAndrewsDay) {
    auto s1 = compute("example-scotland", Channel::Email, Kind::ComplaintStage1, "2026-11-27T10:00:00Z");
    EXPECT_EQ(opt(s1.respondBy), "2026-12-07T17:00:00+00:00");
    EXPECT_EQ(opt(s1.acknowledgeBy), "null");  // the model procedure promises no separate acknowledgement at stage 1
    // One day before: the 1-day holding reply goes on Friday 4 December.
    EXPECT_EQ(opt(s1.holdingReplyBy), "2026-12-04T17:00:00+00:00");
    // Extended to 10 working days in total: Tuesday 8 to Monday 14 December.
    auto extended = compute("example-scotland", Channel::Email, Kind::ComplaintStage1, "2026-11-27T10:00:00Z",
                            std::nullopt, 5);
    EXPECT_EQ(opt(extended.respondBy), "2026-12-14T17:00:00+00:00");
    EXPECT_THROW(compute("example-scotland", Channel::Email, Kind::ComplaintStage1, "2026-11-27T10:00:00Z",
                         std::nullopt, 6),
                 InputError);

    // The same scheme on the England and Wales calendar: 30 November is a
    // working day, so the 5 days are 30 November to 4 December.
    std::string text = R"(name = "ew"
reference_prefix = "EW"
[organisation]
name = "EW Homes"
[calendar]
region = "england-and-wales"
[calendar.hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-17:00"
friday = "09:00-17:00"
[complaints]
scheme = "spso"
[[rule]]
kinds = ["enquiry"]
respond_within = 5
)";
    Charter ew = parseCharter(text, "ew.toml", kHome / "config" / "calendars");
    DeadlineCalculator calc(ew);
    auto d = calc.compute({Channel::Email, Kind::ComplaintStage1, parseRfc3339("2026-11-27T10:00:00Z"), std::nullopt, 0});
    EXPECT_EQ(opt(d.respondBy), "2026-12-04T17:00:00+00:00");
}

// Stage 2 in Scotland is acknowledged by the third working day. Received
// Thursday 26 November 2026: Friday 27 is day 1, Monday 30 (St Andrew's Day)
// is skipped, Tuesday 1 December is day 2, Wednesday 2 December day 3. The
// 20 working days run to Thursday 24 December (day 19); Friday 25
// (Christmas) and Monday 28 (Boxing Day, a Saturday, moved) are holidays, so
// day 20 is Tuesday 29 December.
TEST(Deadlines, ScottishStage2IsAcknowledgedByTheThirdWorkingDay) {
    auto s2 = compute("example-scotland", Channel::Letter, Kind::ComplaintStage2, "2026-11-26T10:00:00Z");
    EXPECT_EQ(opt(s2.acknowledgeBy), "2026-12-02T17:00:00+00:00");
    EXPECT_EQ(opt(s2.respondBy), "2026-12-29T17:00:00+00:00");
}

// Clocks in hours and "first thing next working day" (issue 13; the reading
// is in Deadlines.h and docs/charters.md). South Western's office is open
// Monday to Friday 09:00–17:00; December is GMT, so Z is local time.
TEST(Deadlines, CallBackWithin24HoursRunsOnWorkingDaysOnly) {
    const Case cases[] = {
        // Monday 30 November 10:00: Tuesday 10:00.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-11-30T10:00:00Z", "2026-11-30", "null", "2026-12-01T10:00:00+00:00"},
        // Friday 4 December 15:00: Saturday and Sunday are skipped whole.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-12-04T15:00:00Z", "2026-12-04", "null", "2026-12-07T15:00:00+00:00"},
        // After closing on Monday: the clock starts at Tuesday's opening.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-11-30T18:00:00Z", "2026-12-01", "null", "2026-12-02T09:00:00+00:00"},
        // Before opening on Tuesday: from 09:00 that day.
        {"south-western", Channel::Email, Kind::CallBack, "2026-12-01T07:30:00Z", "2026-12-01", "null", "2026-12-02T09:00:00+00:00"},
        // Saturday: from Monday's opening.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-12-05T11:00:00Z", "2026-12-07", "null", "2026-12-08T09:00:00+00:00"},
        // Christmas Eve 15:00: 25 December (Friday), the weekend and 28
        // December (the substitute for Boxing Day) are skipped.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-12-24T15:00:00Z", "2026-12-24", "null", "2026-12-29T15:00:00+00:00"},
        // A minute before closing on Wednesday 23 December: Thursday 16:59.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-12-23T16:59:00Z", "2026-12-23", "null", "2026-12-24T16:59:00+00:00"},
        // Friday 23 October 2026 15:00 BST: 24 hours on the office clock,
        // Monday 15:00 GMT after the clocks went back.
        {"south-western", Channel::PhoneMessage, Kind::CallBack, "2026-10-23T14:00:00Z", "2026-10-23", "null", "2026-10-26T15:00:00+00:00"},
        // Paragon: "same or next working day" is one working day.
        {"paragon", Channel::PhoneMessage, Kind::CallBack, "2026-12-04T15:00:00Z", "2026-12-04", "null", "2026-12-07T17:00:00+00:00"},
    };
    for (const auto& c : cases) expectCase(c);
    // Progress makes no promise for a call-back.
    EXPECT_EQ(compute("progress", Channel::PhoneMessage, Kind::CallBack, "2026-12-04T15:00:00Z").rule, nullptr);
}

TEST(Deadlines, AnswerphoneMessagesAcknowledgedFirstThing) {
    const Case cases[] = {
        // Monday 18:00 (after closing): Tuesday 09:00 + 60 minutes. The
        // response, within one working day, counts from Tuesday (day 0).
        {"south-western", Channel::PhoneMessage, Kind::Enquiry, "2026-11-30T18:00:00Z", "2026-12-01", "2026-12-01T10:00:00+00:00", "2026-12-02T17:00:00+00:00"},
        // Saturday: Monday 10:00.
        {"south-western", Channel::PhoneMessage, Kind::Enquiry, "2026-12-05T11:00:00Z", "2026-12-07", "2026-12-07T10:00:00+00:00", "2026-12-08T17:00:00+00:00"},
        // Tuesday 08:00, before opening: taken that morning, Tuesday 10:00.
        {"south-western", Channel::PhoneMessage, Kind::Enquiry, "2026-12-01T08:00:00Z", "2026-12-01", "2026-12-01T10:00:00+00:00", "2026-12-02T17:00:00+00:00"},
        // Tuesday 09:00, the office open: the next morning, Wednesday 10:00.
        {"south-western", Channel::PhoneMessage, Kind::Enquiry, "2026-12-01T09:00:00Z", "2026-12-01", "2026-12-02T10:00:00+00:00", "2026-12-02T17:00:00+00:00"},
        // Christmas Eve 17:30: Tuesday 29 December 10:00.
        {"south-western", Channel::PhoneMessage, Kind::Enquiry, "2026-12-24T17:30:00Z", "2026-12-29", "2026-12-29T10:00:00+00:00", "2026-12-30T17:00:00+00:00"},
    };
    for (const auto& c : cases) expectCase(c);
}

namespace {

// Friday closes at 16:30; first thing is 30 minutes after opening.
const char* kHoursCharter = R"(name = "hours"
reference_prefix = "HRS"
[organisation]
name = "Hour Homes"
[calendar]
region = "england-and-wales"
first_thing_minutes = 30
[calendar.hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-17:00"
friday = "09:00-16:30"
[[rule]]
channels = "any"
kinds = ["call-back"]
acknowledge_within_hours = 20
respond_within_hours = 4
[[rule]]
channels = "any"
kinds = ["comment"]
respond = "first-thing"
[[rule]]
channels = "any"
kinds = ["complaint-stage-1"]
respond_within_hours = 48
max_extension = 5
clock_pauses_on_customer = true
)";

const Charter& hoursCharter() {
    static const Charter c = parseCharter(kHoursCharter, "hours.toml", kHome / "config" / "calendars");
    return c;
}

}  // namespace

TEST(Deadlines, AnEndOutsideOfficeHoursIsDueAtTheLastClosingTimeBeforeIt) {
    DeadlineCalculator calc(hoursCharter());
    struct Row {
        const char* received;
        const char* acknowledgeBy;  // 20 hours
        const char* respondBy;      // 4 hours
    };
    const Row rows[] = {
        // Monday 10:00: 4 h is 14:00; 20 h is Tuesday 06:00, before opening,
        // so Monday's closing time.
        {"2026-11-30T10:00:00Z", "2026-11-30T17:00:00+00:00", "2026-11-30T14:00:00+00:00"},
        // Monday 15:00: 4 h is 19:00, after closing: Monday 17:00; 20 h is
        // Tuesday 11:00.
        {"2026-11-30T15:00:00Z", "2026-12-01T11:00:00+00:00", "2026-11-30T17:00:00+00:00"},
        // Friday 14:00: 4 h is 18:00, after Friday's 16:30 close; 20 h runs
        // 10 h to midnight, skips the weekend and ends Monday 10:00.
        {"2026-12-04T14:00:00Z", "2026-12-07T10:00:00+00:00", "2026-12-04T16:30:00+00:00"},
        // Friday 16:45, after closing: from Monday 09:00; 20 h is Tuesday
        // 05:00, so Monday 17:00.
        {"2026-12-04T16:45:00Z", "2026-12-07T17:00:00+00:00", "2026-12-07T13:00:00+00:00"},
        // Thursday 22:00: from Friday 09:00; 20 h ends at 05:00 on Monday
        // (the weekend skipped), before opening: Friday's closing, 16:30.
        {"2026-12-03T22:00:00Z", "2026-12-04T16:30:00+00:00", "2026-12-04T13:00:00+00:00"},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.received);
        auto d = calc.compute({Channel::PhoneMessage, Kind::CallBack, parseRfc3339(row.received), std::nullopt, 0});
        EXPECT_EQ(opt(d.acknowledgeBy), row.acknowledgeBy);
        EXPECT_EQ(opt(d.respondBy), row.respondBy);
        EXPECT_EQ(opt(d.holdingReplyBy), "null");
    }
}

TEST(Deadlines, FirstThingMinutesComeFromTheCalendar) {
    DeadlineCalculator calc(hoursCharter());
    auto respond = [&](const char* received) {
        return opt(calc.compute({Channel::Web, Kind::Comment, parseRfc3339(received), std::nullopt, 0}).respondBy);
    };
    EXPECT_EQ(respond("2026-11-30T18:00:00Z"), "2026-12-01T09:30:00+00:00");  // Monday evening: Tuesday 09:30
    EXPECT_EQ(respond("2026-12-04T12:00:00Z"), "2026-12-07T09:30:00+00:00");  // Friday noon: Monday 09:30
    EXPECT_EQ(respond("2026-12-01T08:59:00Z"), "2026-12-01T09:30:00+00:00");  // Tuesday before opening
}

TEST(Deadlines, ExtensionsAndPausesMoveAnHourClockByWorkingDays) {
    DeadlineCalculator calc(hoursCharter());
    // Wednesday 23 December 11:00 + 48 h: Thursday 24 11:00 is 24 h; then
    // 25 (Friday, Christmas), the weekend and 28 (substitute Boxing Day) are
    // skipped: Tuesday 29 December 11:00.
    DeadlineRequest req{Channel::Email, Kind::ComplaintStage1, parseRfc3339("2026-12-23T11:00:00Z"), std::nullopt, 0, 0};
    EXPECT_EQ(opt(calc.compute(req).respondBy), "2026-12-29T11:00:00+00:00");
    // Two working days' extension: Wednesday 30, Thursday 31.
    req.extensionDays = 2;
    EXPECT_EQ(opt(calc.compute(req).respondBy), "2026-12-31T11:00:00+00:00");
    // And a day paused: 1 January is a holiday, so Monday 4 January.
    req.pausedDays = 1;
    EXPECT_EQ(opt(calc.compute(req).respondBy), "2027-01-04T11:00:00+00:00");
    // The cap is the whole max_extension of 5 and the paused day: 30, 31
    // Dec, 4, 5, 6 and 7 Jan.
    EXPECT_EQ(opt(calc.responseCap(req)), "2027-01-07T11:00:00+00:00");
    req.extensionDays = 6;
    EXPECT_THROW(calc.compute(req), InputError);

    // Thursday 3 December 16:45 + 48 h is Monday 7 December 16:45; four
    // working days on is Friday 11 December, which closes at 16:30.
    DeadlineRequest late{Channel::Email, Kind::ComplaintStage1, parseRfc3339("2026-12-03T16:45:00Z"), std::nullopt, 0, 0};
    EXPECT_EQ(opt(calc.compute(late).respondBy), "2026-12-07T16:45:00+00:00");
    late.extensionDays = 4;
    EXPECT_EQ(opt(calc.compute(late).respondBy), "2026-12-11T16:30:00+00:00");
}
