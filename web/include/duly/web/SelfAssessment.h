// SelfAssessment: the figures the Housing Ombudsman's Complaint Handling
// Code asks a landlord to publish in its annual self-assessment, for the
// complaints received in a date range. Measured against the Code's own
// timescales, whatever a charter says: acknowledge within 5 working days at
// both stages; answer within 10 working days of the acknowledgement at stage
// 1 and 20 at stage 2; an extension may add at most 10 (stage 1) or 20
// (stage 2) working days, with the reason explained to the resident.
//
// For each stage:
//  - received: complaints at that stage received in the period; a stage 1
//    complaint since taken to stage 2 counts as received at stage 1 and as
//    escalated (its stage 1 dates were replaced by stage 2's, so it is left
//    out of the stage 1 timeliness figures);
//  - acknowledgements due / within 5 working days: as in Report.h, a
//    complaint counts once acknowledged or once the Code's date has passed;
//  - answers due / within the Code's time / within the Code's time plus the
//    extension agreed: likewise, counted from the acknowledgement (from
//    receipt while there is none);
//  - extensions agreed, with each reason from the case history.
// Per 1,000 homes only when the number of homes is known (the charters'
// [complaints] homes). For the complaints received in the period: the
// remedies by kind and the total paid, the referrals to the ombudsman and
// the outcomes decided.
// Plain arithmetic on Case records with their events.
#pragma once

#include "duly/engine/Case.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duly::web {

struct SelfAssessmentStage {
    int received = 0;
    int acknowledgementsDue = 0, acknowledgedInTime = 0;
    int answersDue = 0, answeredInCodeTime = 0, answeredInExtendedTime = 0;
    int extended = 0;
    int escalated = 0;  // stage 1 only: taken on to stage 2

    std::optional<int> acknowledgedInTimePercent() const;
    std::optional<int> answeredInCodeTimePercent() const;
    std::optional<int> answeredInExtendedTimePercent() const;
};

struct ExtensionReason {
    std::string reference;
    int stage = 1;
    int days = 0;          // working days of this extension
    std::string reason;    // as the officer gave it
    engine::Instant at{};  // when it was agreed
};

struct SelfAssessment {
    engine::Date from{}, to{};  // inclusive, Europe/London dates
    std::optional<int> homes;
    SelfAssessmentStage stage1, stage2;
    std::vector<ExtensionReason> extensions;  // in time order
    int apologies = 0, actionsPromised = 0, goodwillPayments = 0, compensationPayments = 0;
    std::int64_t paidPence = 0;
    int referrals = 0;
    std::map<std::string, int> referralOutcomes;

    // Complaints received at the stage per 1,000 homes, one decimal place;
    // nothing when the number of homes is not known.
    std::optional<double> perThousandHomes(const SelfAssessmentStage& stage) const;
};

struct SelfAssessmentInputs {
    // The closing time of the N-th working day after the day `from` counts
    // as day 0, on the case's charter calendar; required.
    std::function<engine::Instant(const engine::Case&, engine::Instant from, int workingDays)> dueAfter;
};

// `cases` with their events; those that are not complaints, or were
// received outside from..to (London dates), are ignored.
SelfAssessment buildSelfAssessment(const std::vector<engine::Case>& cases, engine::Date from, engine::Date to,
                                   std::optional<int> homes, engine::Instant now, const SelfAssessmentInputs& inputs);

// The figures as CSV (RFC 4180): one line per measure with stage 1 and
// stage 2 columns, then the extensions with their reasons.
std::string selfAssessmentCsv(const SelfAssessment& assessment);

}  // namespace duly::web
