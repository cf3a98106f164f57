// Report: how well the charter was kept, for the cases received in a date
// range, grouped by charter, channel, kind, team, officer or month. Plain
// arithmetic on Case records, so it is tested on a fixed set worked by hand.
//
// For each group:
//  - acknowledgements due: cases with an acknowledge-by time that are
//    acknowledged or whose time has passed; on time: acknowledged at or
//    before it;
//  - answers due: likewise for respond-by and the reply (a case waiting on
//    the customer, its clock paused, is not due until it resumes);
//  - breaches: acknowledgements due but not on time, plus answers due but
//    not on time;
//  - median working days to reply: over replied cases, working days from
//    day 0 to the local date of the reply (the caller's count);
//  - holding replies sent, extensions agreed, complaints at stage 1 and 2;
//  - remedies by kind and the total paid, referrals to the ombudsman and
//    their outcomes (Case::remedies and referral, which casesReceived fills).
// Percentages are whole numbers rounded half up; none when nothing was due.
#pragma once

#include "duly/engine/Case.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duly::web {

enum class ReportBy { Charter, Channel, Kind, Team, Officer, Month };
std::string_view reportByName(ReportBy by);  // "charter", "channel", …
std::optional<ReportBy> reportByFromName(std::string_view name);

struct ReportRow {
    std::string group;  // "letter", "sali", "2026-11"; "All" for the total
    int cases = 0;
    int acknowledgementsDue = 0, acknowledgedOnTime = 0;
    int answersDue = 0, answeredOnTime = 0;
    std::vector<int> daysToReply;  // working days, one per replied case
    int holdingReplies = 0, extensions = 0;
    int complaintsStage1 = 0, complaintsStage2 = 0;
    // Remedies recorded on the group's cases, by kind, and what was paid
    // (goodwill and compensation, in pence); the cases referred to the
    // ombudsman, and the outcomes decided so far ("maladministration" → 1).
    int apologies = 0, actionsPromised = 0, goodwillPayments = 0, compensationPayments = 0;
    std::int64_t paidPence = 0;
    int referrals = 0;
    std::map<std::string, int> referralOutcomes;

    int breaches() const { return acknowledgementsDue - acknowledgedOnTime + answersDue - answeredOnTime; }
    std::optional<int> acknowledgedOnTimePercent() const;
    std::optional<int> answeredOnTimePercent() const;
    std::optional<double> medianDaysToReply() const;
};

struct Report {
    engine::Date from{}, to{};  // inclusive, Europe/London dates
    ReportBy by = ReportBy::Channel;
    std::vector<ReportRow> rows;  // sorted by group
    ReportRow total;
};

struct ReportInputs {
    // Working days from the case's day 0 to the reply; required.
    std::function<int(const engine::Case&)> workingDaysToReply;
    // An officer's team (for ReportBy::Team); empty when unknown.
    std::function<std::string(const std::string& officerId)> teamOf;
    // The working days the charter promised for a case's reply (its rule's
    // respond_within); none when unknown. Used by promiseLines only.
    std::function<std::optional<int>(const engine::Case&)> promisedWorkingDays;
    // The hours promised, where the reply's clock is in hours (its rule's
    // respond_within_hours) and promisedWorkingDays gave none.
    std::function<std::optional<int>(const engine::Case&)> promisedHours;
};

// Cases received on dates from..to (inclusive, London), measured at `now`.
Report buildReport(const std::vector<engine::Case>& cases, engine::Date from, engine::Date to, ReportBy by,
                   engine::Instant now, const ReportInputs& inputs);

// One line of the public summary: a kind of correspondence counted against
// its own promise ("We answered 94% of emails within 5 working days").
struct PromiseLine {
    std::string what;  // "letters", "emails", "requests for forms or information", "stage 1 complaints"
    std::optional<int> workingDays;  // the promise, when every case counted in the line had the same one
    std::optional<int> hours;        // the same for a promise in hours ("call-backs within 24 hours")
    ReportRow row;
};

// The public summary's lines, for cases received from..to at `now`:
// enquiries by channel (letters, emails, …, in that order), then each other
// kind that is not a complaint across channels, then stage 1 and stage 2
// complaints, each against its own promise. Complaints are never counted
// with letters or emails. Only lines with an answer due are returned.
std::vector<PromiseLine> promiseLines(const std::vector<engine::Case>& cases, engine::Date from, engine::Date to,
                                      engine::Instant now, const ReportInputs& inputs);

// "We answered 94% of emails within 5 working days (47 of 50)." — or "on
// time" when the line's cases were promised different times.
std::string promiseSentence(const PromiseLine& line);
// The sentence after the percentage: " of emails within 5 working days (47 of 50)."
std::string promiseWords(const PromiseLine& line);

// The report as CSV (RFC 4180, a header line, then the rows and the total).
// A cell that a spreadsheet would take for a formula is prefixed with '.
std::string reportCsv(const Report& report);

// "maladministration 1; upheld 2" (outcome order), or "".
std::string outcomesText(const std::map<std::string, int>& outcomes);

// "94%" or "—".
std::string percentText(std::optional<int> percent);

}  // namespace duly::web
