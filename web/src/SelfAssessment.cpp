// SelfAssessment: the Complaint Handling Code's figures; see SelfAssessment.h.
#include "duly/web/SelfAssessment.h"

#include "duly/web/Report.h"

#include "duly/engine/ZoneRules.h"

#include <algorithm>
#include <cstdio>

namespace duly::web {

using namespace duly::engine;

namespace {

// The Code's timescales, in working days.
constexpr int kAcknowledge = 5;
constexpr int kAnswerStage1 = 10, kAnswerStage2 = 20;

std::optional<int> percent(int part, int whole) {
    if (whole <= 0) return std::nullopt;
    return (200 * part + whole) / (2 * whole);
}

// "N working days: reason" as CaseService writes an extension.
ExtensionReason extensionOf(const Case& c, const CaseEvent& e, int stage) {
    ExtensionReason x;
    x.reference = c.reference;
    x.stage = stage;
    x.at = e.at;
    const auto colon = e.detail.find(" working days: ");
    if (colon == std::string::npos) {
        x.reason = e.detail;
        return x;
    }
    for (char ch : e.detail.substr(0, colon))
        if (ch >= '0' && ch <= '9') x.days = x.days * 10 + (ch - '0');
    x.reason = e.detail.substr(colon + 15);  // after " working days: "
    return x;
}

void measure(SelfAssessmentStage& s, const Case& c, int answerDays, Instant now, const SelfAssessmentInputs& in) {
    const Instant ackBy = in.dueAfter(c, c.received, kAcknowledge);
    if (c.acknowledgedAt || ackBy < now) {
        ++s.acknowledgementsDue;
        if (c.acknowledgedAt && *c.acknowledgedAt <= ackBy) ++s.acknowledgedInTime;
    }
    const Instant start = c.acknowledgedAt.value_or(c.received);
    const Instant answerBy = in.dueAfter(c, start, answerDays);
    const Instant extendedBy = c.extensionDays > 0 ? in.dueAfter(c, start, answerDays + c.extensionDays) : answerBy;
    if (c.repliedAt || extendedBy < now) {
        ++s.answersDue;
        if (c.repliedAt && *c.repliedAt <= answerBy) ++s.answeredInCodeTime;
        if (c.repliedAt && *c.repliedAt <= extendedBy) ++s.answeredInExtendedTime;
    }
}

std::string csvCell(const std::string& s) {
    std::string v = s;
    // A tab or carriage return first is read past by some spreadsheets.
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char ch : v) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::string optionalText(std::optional<int> v) { return v ? std::to_string(*v) : std::string{}; }

std::string oneDecimal(std::optional<double> v) {
    if (!v) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *v);
    return buf;
}

}  // namespace

std::optional<int> SelfAssessmentStage::acknowledgedInTimePercent() const {
    return percent(acknowledgedInTime, acknowledgementsDue);
}
std::optional<int> SelfAssessmentStage::answeredInCodeTimePercent() const {
    return percent(answeredInCodeTime, answersDue);
}
std::optional<int> SelfAssessmentStage::answeredInExtendedTimePercent() const {
    return percent(answeredInExtendedTime, answersDue);
}

std::optional<double> SelfAssessment::perThousandHomes(const SelfAssessmentStage& stage) const {
    if (!homes || *homes <= 0) return std::nullopt;
    return static_cast<double>(stage.received) * 1000.0 / *homes;
}

SelfAssessment buildSelfAssessment(const std::vector<Case>& cases, Date from, Date to, std::optional<int> homes,
                                   Instant now, const SelfAssessmentInputs& inputs) {
    SelfAssessment a;
    a.from = from;
    a.to = to;
    a.homes = homes;
    const auto& zone = ZoneRules::london();
    for (const Case& c : cases) {
        if (c.kind != Kind::ComplaintStage1 && c.kind != Kind::ComplaintStage2) continue;
        // Stage 1 of a complaint now at stage 2, by the dates kept when it
        // was escalated: counted in the period it was received in, and
        // measured against its own clock.
        if (c.kind == Kind::ComplaintStage2 && c.stage1) {
            Case s1 = c;
            s1.kind = Kind::ComplaintStage1;
            s1.received = c.stage1->received;
            s1.acknowledgedAt = c.stage1->acknowledgedAt;
            s1.respondBy = c.stage1->respondBy;
            s1.repliedAt = c.stage1->repliedAt;
            s1.extensionDays = c.stage1->extensionDays;
            const Date day1 = zone.toLocal(s1.received).date;
            if (day1 >= from && day1 <= to) {
                ++a.stage1.received;
                ++a.stage1.escalated;
                measure(a.stage1, s1, kAnswerStage1, now, inputs);
                if (s1.extensionDays > 0) ++a.stage1.extended;
            }
        }
        const Date day = zone.toLocal(c.received).date;
        if (day < from || day > to) continue;
        for (const auto& m : c.remedies) {
            switch (m.kind) {
            case RemedyKind::Apology: ++a.apologies; break;
            case RemedyKind::Action: ++a.actionsPromised; break;
            case RemedyKind::Goodwill: ++a.goodwillPayments; break;
            case RemedyKind::Compensation: ++a.compensationPayments; break;
            }
            a.paidPence += m.amountPence;
        }
        if (c.referral) {
            ++a.referrals;
            if (!c.referral->outcome.empty()) ++a.referralOutcomes[c.referral->outcome];
        }
        const bool escalated = std::any_of(c.events.begin(), c.events.end(),
                                           [](const CaseEvent& e) { return e.type == EventType::EscalatedToStage2; });
        if (c.kind == Kind::ComplaintStage1) {
            ++a.stage1.received;
            measure(a.stage1, c, kAnswerStage1, now, inputs);
            if (c.extensionDays > 0) ++a.stage1.extended;
        } else {
            ++a.stage2.received;
            measure(a.stage2, c, kAnswerStage2, now, inputs);
            if (c.extensionDays > 0) ++a.stage2.extended;
            // Escalated before stage 1's dates were kept: counted with stage 2.
            if (escalated && !c.stage1) {
                ++a.stage1.received;
                ++a.stage1.escalated;
            }
        }
        // Extensions before an escalation were stage 1's; after it, stage 2's.
        int stage = escalated ? 1 : (c.kind == Kind::ComplaintStage1 ? 1 : 2);
        for (const auto& e : c.events) {
            if (e.type == EventType::EscalatedToStage2) stage = 2;
            if (e.type == EventType::Extended) a.extensions.push_back(extensionOf(c, e, stage));
        }
    }
    std::stable_sort(a.extensions.begin(), a.extensions.end(),
                     [](const ExtensionReason& x, const ExtensionReason& y) { return x.at < y.at; });
    return a;
}

std::string selfAssessmentCsv(const SelfAssessment& a) {
    std::string out = "measure,stage_1,stage_2\r\n";
    auto line = [&](const std::string& name, const std::string& one, const std::string& two) {
        out += csvCell(name) + ',' + csvCell(one) + ',' + csvCell(two) + "\r\n";
    };
    auto both = [&](const std::string& name, auto get) { line(name, get(a.stage1), get(a.stage2)); };
    using S = SelfAssessmentStage;
    line("period", formatDate(a.from) + " to " + formatDate(a.to), formatDate(a.from) + " to " + formatDate(a.to));
    line("homes", a.homes ? std::to_string(*a.homes) : "", a.homes ? std::to_string(*a.homes) : "");
    both("complaints_received", [](const S& s) { return std::to_string(s.received); });
    both("complaints_per_1000_homes", [&](const S& s) { return oneDecimal(a.perThousandHomes(s)); });
    both("acknowledgements_due", [](const S& s) { return std::to_string(s.acknowledgementsDue); });
    both("acknowledged_within_5_working_days", [](const S& s) { return std::to_string(s.acknowledgedInTime); });
    both("acknowledged_within_5_working_days_percent", [](const S& s) { return optionalText(s.acknowledgedInTimePercent()); });
    both("answers_due", [](const S& s) { return std::to_string(s.answersDue); });
    both("answered_within_code_timescale", [](const S& s) { return std::to_string(s.answeredInCodeTime); });
    both("answered_within_code_timescale_percent", [](const S& s) { return optionalText(s.answeredInCodeTimePercent()); });
    both("answered_within_timescale_with_extension", [](const S& s) { return std::to_string(s.answeredInExtendedTime); });
    both("answered_within_timescale_with_extension_percent",
         [](const S& s) { return optionalText(s.answeredInExtendedTimePercent()); });
    both("extensions_agreed", [](const S& s) { return std::to_string(s.extended); });
    line("escalated_to_stage_2", std::to_string(a.stage1.escalated), "");
    // Over both stages: in the stage_1 column, stage_2 empty.
    line("apologies", std::to_string(a.apologies), "");
    line("actions_promised", std::to_string(a.actionsPromised), "");
    line("goodwill_payments", std::to_string(a.goodwillPayments), "");
    line("compensation_payments", std::to_string(a.compensationPayments), "");
    line("paid_pounds", poundsText(a.paidPence).substr(std::string("£").size()), "");
    line("ombudsman_referrals", std::to_string(a.referrals), "");
    line("ombudsman_outcomes", outcomesText(a.referralOutcomes), "");
    out += "\r\nextension_reference,stage,working_days,agreed,reason\r\n";
    for (const auto& x : a.extensions)
        out += csvCell(x.reference) + ',' + std::to_string(x.stage) + ',' + std::to_string(x.days) + ',' +
               formatDate(ZoneRules::london().toLocal(x.at).date) + ',' + csvCell(x.reason) + "\r\n";
    return out;
}

}  // namespace duly::web
