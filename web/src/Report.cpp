// Report: charter performance arithmetic and CSV; see Report.h.
#include "duly/web/Report.h"

#include "duly/engine/Channel.h"
#include "duly/engine/ZoneRules.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>

namespace duly::web {

using namespace duly::engine;

namespace {
constexpr std::pair<ReportBy, std::string_view> kNames[] = {
    {ReportBy::Charter, "charter"}, {ReportBy::Channel, "channel"}, {ReportBy::Kind, "kind"},
    {ReportBy::Team, "team"},       {ReportBy::Officer, "officer"}, {ReportBy::Month, "month"}};

std::optional<int> percent(int part, int whole) {
    if (whole <= 0) return std::nullopt;
    return (200 * part + whole) / (2 * whole);  // round half up, integers only
}

void count(ReportRow& row, const Case& c, Instant now, const ReportInputs& inputs) {
    ++row.cases;
    if (c.acknowledgeBy && (c.acknowledgedAt || *c.acknowledgeBy < now)) {
        ++row.acknowledgementsDue;
        if (c.acknowledgedAt && *c.acknowledgedAt <= *c.acknowledgeBy) ++row.acknowledgedOnTime;
    }
    // A clock paused while the case waits on the customer has not run out,
    // whatever its date says: the date moves on when it resumes.
    if (c.respondBy && (c.repliedAt || (*c.respondBy < now && !c.pausedSince))) {
        ++row.answersDue;
        if (c.repliedAt && *c.repliedAt <= *c.respondBy) ++row.answeredOnTime;
    }
    if (c.repliedAt) row.daysToReply.push_back(inputs.workingDaysToReply(c));
    if (c.holdingReplySentAt) ++row.holdingReplies;
    if (c.extensionDays > 0) ++row.extensions;
    if (c.kind == Kind::ComplaintStage1) ++row.complaintsStage1;
    if (c.kind == Kind::ComplaintStage2) ++row.complaintsStage2;
    for (const auto& m : c.remedies) {
        switch (m.kind) {
        case RemedyKind::Apology: ++row.apologies; break;
        case RemedyKind::Action: ++row.actionsPromised; break;
        case RemedyKind::Goodwill: ++row.goodwillPayments; break;
        case RemedyKind::Compensation: ++row.compensationPayments; break;
        }
        row.paidPence += m.amountPence;
    }
    if (c.referral) {
        ++row.referrals;
        if (!c.referral->outcome.empty()) ++row.referralOutcomes[c.referral->outcome];
    }
}

std::string groupOf(const Case& c, ReportBy by, const ReportInputs& inputs) {
    switch (by) {
    case ReportBy::Charter: return c.charter;
    case ReportBy::Channel: return std::string(channelName(c.channel));
    case ReportBy::Kind: return std::string(kindName(c.kind));
    case ReportBy::Team: {
        auto team = c.officerId.empty() || !inputs.teamOf ? std::string{} : inputs.teamOf(c.officerId);
        return team.empty() ? "(no team)" : team;
    }
    case ReportBy::Officer: return c.officerId.empty() ? "(unassigned)" : c.officerId;
    case ReportBy::Month: return formatDate(ZoneRules::london().toLocal(c.received).date).substr(0, 7);
    }
    return {};
}

std::string csvCell(const std::string& s) {
    std::string v = s;
    // A tab or carriage return first is read past by some spreadsheets.
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string optionalText(std::optional<int> v) { return v ? std::to_string(*v) : std::string{}; }

}  // namespace

std::string outcomesText(const std::map<std::string, int>& outcomes) {
    std::string out;
    for (const auto& [outcome, n] : outcomes) out += (out.empty() ? "" : "; ") + outcome + " " + std::to_string(n);
    return out;
}

namespace {

}  // namespace

std::string_view reportByName(ReportBy by) {
    for (const auto& [b, n] : kNames)
        if (b == by) return n;
    return "channel";
}

std::optional<ReportBy> reportByFromName(std::string_view name) {
    for (const auto& [b, n] : kNames)
        if (n == name) return b;
    return std::nullopt;
}

std::optional<int> ReportRow::acknowledgedOnTimePercent() const { return percent(acknowledgedOnTime, acknowledgementsDue); }
std::optional<int> ReportRow::answeredOnTimePercent() const { return percent(answeredOnTime, answersDue); }

std::optional<double> ReportRow::medianDaysToReply() const {
    if (daysToReply.empty()) return std::nullopt;
    auto d = daysToReply;
    std::sort(d.begin(), d.end());
    auto n = d.size();
    return n % 2 ? double(d[n / 2]) : (d[n / 2 - 1] + d[n / 2]) / 2.0;
}

Report buildReport(const std::vector<Case>& cases, Date from, Date to, ReportBy by, Instant now,
                   const ReportInputs& inputs) {
    Report report;
    report.from = from;
    report.to = to;
    report.by = by;
    report.total.group = "All";
    std::map<std::string, ReportRow> groups;
    const auto& zone = ZoneRules::london();
    for (const auto& c : cases) {
        auto day = zone.toLocal(c.received).date;
        if (day < from || day > to) continue;
        auto name = groupOf(c, by, inputs);
        auto& row = groups[name];
        row.group = name;
        count(row, c, now, inputs);
        count(report.total, c, now, inputs);
    }
    for (auto& [name, row] : groups) report.rows.push_back(std::move(row));
    return report;
}

std::vector<PromiseLine> promiseLines(const std::vector<Case>& cases, Date from, Date to, Instant now,
                                      const ReportInputs& inputs) {
    static const std::pair<Kind, const char*> kOtherKinds[] = {
        {Kind::InfoRequest, "requests for forms or information"},
        {Kind::VisitRequest, "requests for a visit"},
        {Kind::AppointmentRequest, "requests for an appointment"},
        {Kind::Comment, "comments"},
        {Kind::Compliment, "compliments"},
        {Kind::CallBack, "call-back requests"},
        {Kind::ComplaintStage1, "stage 1 complaints"},
        {Kind::ComplaintStage2, "stage 2 complaints"},
    };
    static const std::pair<Channel, const char*> kChannels[] = {
        {Channel::Letter, "letters"}, {Channel::Email, "emails"}, {Channel::Web, "web form messages"},
        {Channel::PhoneMessage, "phone messages"}, {Channel::Text, "text messages"}};
    static_assert(std::size(kChannels) == kAllChannels.size());

    struct Building {
        PromiseLine line;
        std::set<std::pair<bool, int>> promises;  // (in hours, how many)
        bool unknownPromise = false;
    };
    std::vector<Building> lines;
    for (const auto& [channel, words] : kChannels) lines.push_back({{words, std::nullopt, std::nullopt, {}}, {}, false});
    for (const auto& [kind, words] : kOtherKinds) lines.push_back({{words, std::nullopt, std::nullopt, {}}, {}, false});
    auto lineFor = [&](const Case& c) -> Building& {
        if (c.kind == Kind::Enquiry) {
            for (std::size_t i = 0; i < std::size(kChannels); ++i)
                if (kChannels[i].first == c.channel) return lines[i];
        }
        for (std::size_t i = 0; i < std::size(kOtherKinds); ++i)
            if (kOtherKinds[i].first == c.kind) return lines[std::size(kChannels) + i];
        return lines.front();  // unreachable while the tables list every channel and kind
    };
    const auto& zone = ZoneRules::london();
    for (const auto& c : cases) {
        auto day = zone.toLocal(c.received).date;
        if (day < from || day > to) continue;
        Building& b = lineFor(c);
        const int dueBefore = b.line.row.answersDue;
        count(b.line.row, c, now, inputs);
        if (b.line.row.answersDue == dueBefore) continue;  // only the promises that fell due say what was promised
        auto days = inputs.promisedWorkingDays ? inputs.promisedWorkingDays(c) : std::nullopt;
        auto hours = !days && inputs.promisedHours ? inputs.promisedHours(c) : std::nullopt;
        if (days) b.promises.insert({false, *days});
        else if (hours) b.promises.insert({true, *hours});
        else b.unknownPromise = true;
    }
    std::vector<PromiseLine> out;
    for (auto& b : lines) {
        if (b.line.row.answersDue == 0) continue;
        if (b.promises.size() == 1 && !b.unknownPromise) {
            const auto [inHours, n] = *b.promises.begin();
            (inHours ? b.line.hours : b.line.workingDays) = n;
        }
        b.line.row.group = b.line.what;
        out.push_back(std::move(b.line));
    }
    return out;
}

std::string promiseSentence(const PromiseLine& line) {
    return "We answered " + percentText(line.row.answeredOnTimePercent()) + promiseWords(line);
}

std::string promiseWords(const PromiseLine& line) {
    return " of " + line.what +
           (line.workingDays ? " within " + std::to_string(*line.workingDays) + " working day" +
                                   (*line.workingDays == 1 ? "" : "s")
            : line.hours      ? " within " + std::to_string(*line.hours) + " hour" + (*line.hours == 1 ? "" : "s")
                              : std::string(" in the time we promised")) +
           " (" + std::to_string(line.row.answeredOnTime) + " of " + std::to_string(line.row.answersDue) + ").";
}

std::string reportCsv(const Report& report) {
    std::string out = std::string(reportByName(report.by)) +
                      ",cases,acknowledgements_due,acknowledged_on_time,acknowledged_on_time_percent,answers_due,"
                      "answered_on_time,answered_on_time_percent,median_working_days_to_reply,breaches,"
                      "holding_replies,extensions,complaints_stage_1,complaints_stage_2,apologies,actions_promised,"
                      "goodwill_payments,compensation_payments,paid_pounds,ombudsman_referrals,ombudsman_outcomes\r\n";
    auto line = [&](const ReportRow& r) {
        std::string median;
        if (auto m = r.medianDaysToReply()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1f", *m);
            median = buf;
        }
        out += csvCell(r.group) + ',' + std::to_string(r.cases) + ',' + std::to_string(r.acknowledgementsDue) + ',' +
               std::to_string(r.acknowledgedOnTime) + ',' + optionalText(r.acknowledgedOnTimePercent()) + ',' +
               std::to_string(r.answersDue) + ',' + std::to_string(r.answeredOnTime) + ',' +
               optionalText(r.answeredOnTimePercent()) + ',' + median + ',' + std::to_string(r.breaches()) + ',' +
               std::to_string(r.holdingReplies) + ',' + std::to_string(r.extensions) + ',' +
               std::to_string(r.complaintsStage1) + ',' + std::to_string(r.complaintsStage2) + ',' +
               std::to_string(r.apologies) + ',' + std::to_string(r.actionsPromised) + ',' +
               std::to_string(r.goodwillPayments) + ',' + std::to_string(r.compensationPayments) + ',' +
               poundsText(r.paidPence).substr(std::string("£").size()) + ',' + std::to_string(r.referrals) + ',' +
               csvCell(outcomesText(r.referralOutcomes)) + "\r\n";
    };
    for (const auto& r : report.rows) line(r);
    line(report.total);
    return out;
}

std::string percentText(std::optional<int> p) { return p ? std::to_string(*p) + "%" : "—"; }

}  // namespace duly::web
