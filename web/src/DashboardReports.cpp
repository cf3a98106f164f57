// Dashboard reports, for managers and administrators: the charter
// performance report (HTML with a trend chart, CSV, and a
// printable public summary with the complaint-handling figures). Officers
// are refused these pages (403), server-side.
#include "duly/web/Dashboard.h"

#include "duly/engine/Channel.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/web/Html.h"
#include "duly/engine/Deadlines.h"
#include "duly/web/Report.h"
#include "duly/web/SelfAssessment.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace duly::web {

using namespace duly::engine;

namespace {

constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};

std::string oneDecimal(std::optional<double> v) {
    if (!v) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *v);
    return buf;
}

// "In November 2026" for a whole month, else "From 3 to 20 November 2026".
std::string periodWords(Date from, Date to) {
    auto f = civil(from), t = civil(to);
    auto monthName = [](std::chrono::year_month_day d) {
        return std::string(kMonths[unsigned(d.month()) - 1]) + " " + std::to_string(int(d.year()));
    };
    auto last = std::chrono::year_month_day_last(t.year(), std::chrono::month_day_last(t.month()));
    if (f.year() == t.year() && f.month() == t.month() && unsigned(f.day()) == 1 && t.day() == last.day())
        return "In " + monthName(f);
    return "From " + std::to_string(unsigned(f.day())) + " " + monthName(f) + " to " +
           std::to_string(unsigned(t.day())) + " " + monthName(t);
}

std::string groupHeading(ReportBy by) {
    std::string s(reportByName(by));
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

}  // namespace

Response Dashboard::reports(Request& request, Viewer& viewer, const std::string& format) {
    if (!viewer.isManager()) return forbidden(viewer, "Charter reports are for managers and administrators.");
    const Instant now = _clock();
    const auto& zone = ZoneRules::london();
    auto today = zone.toLocal(now).date;
    auto ymd = civil(today);
    // By default last month and this month so far: a whole month to read
    // and the trend into the current one.
    const auto lastMonth = std::chrono::year_month(ymd.year(), ymd.month()) - std::chrono::months{1};
    const Date defaultFrom = std::chrono::sys_days(lastMonth / 1);
    Date from = defaultFrom, to = today;
    ReportBy by = ReportBy::Channel;
    std::string error;
    try {
        if (auto f = request.field("from"); !f.empty()) from = parseDate(f, "From");
        if (auto t = request.field("to"); !t.empty()) to = parseDate(t, "To");
        if (auto b = request.field("by"); !b.empty()) {
            auto parsed = reportByFromName(b);
            if (!parsed) throw InputError("Group by: choose charter, channel, kind, team, officer or month");
            by = *parsed;
        }
        if (to < from) throw InputError("the end date is before the start date");
        if (to - from > std::chrono::days{3700}) throw InputError("choose a period of at most ten years");
    } catch (const InputError& e) {
        error = e.what();
        from = defaultFrom;
        to = today;
    }
    _audit.write(now, viewer.officer.id, "viewed report", "/reports", formatDate(from) + " to " + formatDate(to));

    // Only the period's cases are read.
    auto cases = _store.casesReceived(zone.toInstant(from, Minutes{0}),
                                      zone.toInstant(to + std::chrono::days{1}, Minutes{0}));
    std::map<std::string, std::string> teams;
    for (const auto& o : _store.officers()) teams[o.id] = o.team;
    std::map<std::string, int> promisedDays;  // channel → the first charter's working days for an enquiry
    std::lock_guard lock(_engineMutex);
    ReportInputs inputs;
    inputs.teamOf = [&](const std::string& id) {
        auto t = teams.find(id);
        return t == teams.end() ? std::string{} : t->second;
    };
    inputs.workingDaysToReply = [&](const Case& c) {
        try {
            const auto& cal = _charters.get(c.charter).calendar;
            return cal.workingDaysBetween(c.countedFrom, zone.toLocal(*c.repliedAt).date);
        } catch (const InputError&) {
            return static_cast<int>((zone.toLocal(*c.repliedAt).date - c.countedFrom).count());
        }
    };
    auto report = buildReport(cases, from, to, by, now, inputs);

    if (format == "csv" && error.empty()) {
        Response r;
        r.contentType = "text/csv; charset=utf-8";
        r.body = reportCsv(report);
        r.setHeader("Content-Disposition", "attachment; filename=\"duly-report-" + formatDate(from) + "-to-" +
                                               formatDate(to) + "-by-" + std::string(reportByName(by)) + ".csv\"");
        return r;
    }

    auto query = "from=" + formatDate(from) + "&amp;to=" + formatDate(to);
    if (format == "summary") {
        auto byChannel = buildReport(cases, from, to, ReportBy::Channel, now, inputs);
        auto byKind = buildReport(cases, from, to, ReportBy::Kind, now, inputs);
        std::string body = "<h1>How we kept our promises</h1>\n<p class=\"lead\">" + escape(periodWords(from, to)) +
                           ":</p>\n<ul class=\"big\">\n";
        // Each kind against its own promise: complaints are never counted
        // with letters and emails, which have a shorter one.
        inputs.promisedWorkingDays = [&](const Case& c) -> std::optional<int> {
            try {
                auto* rule = _charters.get(c.charter).ruleFor(c.channel, c.kind);
                if (rule && rule->respondWithin) return *rule->respondWithin;
            } catch (const InputError&) {
            }
            return std::nullopt;
        };
        inputs.promisedHours = [&](const Case& c) -> std::optional<int> {
            try {
                auto* rule = _charters.get(c.charter).ruleFor(c.channel, c.kind);
                if (rule && rule->respondWithinHours) return *rule->respondWithinHours;
            } catch (const InputError&) {
            }
            return std::nullopt;
        };
        for (const auto& line : promiseLines(cases, from, to, now, inputs))
            body += "<li>We answered <strong>" + escape(percentText(line.row.answeredOnTimePercent())) + "</strong>" +
                    escape(promiseWords(line)) + "</li>\n";
        if (auto a = byChannel.total.acknowledgedOnTimePercent())
            body += "<li>We acknowledged <strong>" + std::to_string(*a) +
                    "%</strong> of everything you sent us on time.</li>\n";
        body += "</ul>\n<h2>Complaints</h2>\n<table class=\"numbers\"><thead><tr><th scope=\"col\">Stage</th><th "
                "scope=\"col\">Complaints received</th><th scope=\"col\">Acknowledged on time</th><th "
                "scope=\"col\">Answered on time</th><th scope=\"col\">Extensions agreed</th><th scope=\"col\">Median "
                "working days to answer</th></tr></thead><tbody>\n";
        for (const char* stage : {"complaint-stage-1", "complaint-stage-2"}) {
            ReportRow row;
            for (const auto& r : byKind.rows)
                if (r.group == stage) row = r;
            body += std::string("<tr><th scope=\"row\">") + (stage[16] == '1' ? "Stage 1" : "Stage 2") + "</th><td>" +
                    std::to_string(row.cases) + "</td><td>" + percentText(row.acknowledgedOnTimePercent()) + "</td><td>" +
                    percentText(row.answeredOnTimePercent()) + "</td><td>" + std::to_string(row.extensions) + "</td><td>" +
                    oneDecimal(row.medianDaysToReply()) + "</td></tr>\n";
        }
        body += "</tbody></table>\n<p class=\"meta\">The full figures of the Housing Ombudsman's annual "
                "complaint-handling self-assessment are on the self-assessment page. Worked out by Duly on " +
                escape(plainDate(today)) + " from every case received in the period.</p>\n"
                "<p class=\"noprint\"><a href=\"/reports?" + query + "\">Back to the full report</a></p>\n";
        Response r;
        r.body = layout(&viewer, "Public summary", "/reports", body);
        return r;
    }

    std::string body = "<h1>Charter performance</h1>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\"><h2>Check the dates</h2><p>" + escape(error) +
                ". Showing last month and this month instead.</p></div>\n";
    body += "<form method=\"get\" action=\"/reports\" class=\"filters\"><p><label for=\"from\">From</label><input "
            "id=\"from\" name=\"from\" type=\"date\" value=\"" + formatDate(from) +
            "\"></p><p><label for=\"to\">To</label><input id=\"to\" name=\"to\" type=\"date\" value=\"" +
            formatDate(to) + "\"></p><p><label for=\"by\">Group by</label><select id=\"by\" name=\"by\">";
    for (auto b : {ReportBy::Charter, ReportBy::Channel, ReportBy::Kind, ReportBy::Team, ReportBy::Officer, ReportBy::Month}) {
        std::string n(reportByName(b));
        body += "<option value=\"" + n + "\"" + (b == by ? " selected" : "") + ">" + n + "</option>";
    }
    body += "</select></p><p><button type=\"submit\">Show</button></p></form>\n"
            "<p><a href=\"/reports.csv?" + query + "&amp;by=" + std::string(reportByName(by)) +
            "\" download>Download as CSV</a> · <a href=\"/reports/summary?" + query +
            "\">Public summary for the newsletter</a> · <a href=\"/reports/self-assessment\">Complaint handling "
            "self-assessment</a></p>\n";
    body += "<table class=\"numbers report\"><caption>Cases received " + escape(plainDate(from)) + " to " +
            escape(plainDate(to)) + ", by " + std::string(reportByName(by)) +
            "</caption><thead><tr><th scope=\"col\">" + groupHeading(by) +
            "</th><th scope=\"col\">Cases</th><th scope=\"col\">Acknowledged on time</th><th scope=\"col\">Answered on "
            "time</th><th scope=\"col\">Median working days to reply</th><th scope=\"col\">Breaches</th><th "
            "scope=\"col\">Holding replies</th><th scope=\"col\">Extensions</th><th scope=\"col\">Complaints stage "
            "1</th><th scope=\"col\">Complaints stage 2</th></tr></thead><tbody>\n";
    auto row = [&](const ReportRow& r, bool total) {
        auto frac = [](int part, int whole, std::optional<int> pct) {
            return percentText(pct) + " <span class=\"meta\">(" + std::to_string(part) + " of " + std::to_string(whole) + ")</span>";
        };
        body += std::string(total ? "<tr class=\"total\">" : "<tr>") + "<th scope=\"row\">" + escape(r.group) +
                "</th><td>" + std::to_string(r.cases) + "</td><td>" +
                frac(r.acknowledgedOnTime, r.acknowledgementsDue, r.acknowledgedOnTimePercent()) + "</td><td>" +
                frac(r.answeredOnTime, r.answersDue, r.answeredOnTimePercent()) + "</td><td>" +
                oneDecimal(r.medianDaysToReply()) + "</td><td" + (r.breaches() ? " class=\"bad\"" : "") + ">" +
                (r.breaches() ? "⚠ " : "") + std::to_string(r.breaches()) + "</td><td>" + std::to_string(r.holdingReplies) +
                "</td><td>" + std::to_string(r.extensions) + "</td><td>" + std::to_string(r.complaintsStage1) +
                "</td><td>" + std::to_string(r.complaintsStage2) + "</td></tr>\n";
    };
    for (const auto& r : report.rows) row(r, false);
    row(report.total, true);
    body += "</tbody></table>\n";
    {
        const ReportRow& t = report.total;
        body += "<table class=\"numbers\"><caption>Remedies and referrals to the ombudsman, cases received " +
                escape(plainDate(from)) + " to " + escape(plainDate(to)) +
                "</caption><tbody>\n<tr><th scope=\"row\">Apologies</th><td>" + std::to_string(t.apologies) +
                "</td></tr>\n<tr><th scope=\"row\">Actions promised</th><td>" + std::to_string(t.actionsPromised) +
                "</td></tr>\n<tr><th scope=\"row\">Goodwill payments</th><td>" + std::to_string(t.goodwillPayments) +
                "</td></tr>\n<tr><th scope=\"row\">Compensation payments</th><td>" +
                std::to_string(t.compensationPayments) + "</td></tr>\n<tr><th scope=\"row\">Total paid</th><td>" +
                escape(poundsText(t.paidPence)) + "</td></tr>\n<tr><th scope=\"row\">Referred to the ombudsman</th><td>" +
                std::to_string(t.referrals) + "</td></tr>\n<tr><th scope=\"row\">Ombudsman's outcomes</th><td>" +
                (t.referralOutcomes.empty() ? std::string("none yet") : escape(outcomesText(t.referralOutcomes))) +
                "</td></tr>\n</tbody></table>\n";
    }
    if (_options.dueForAnonymisation) {
        // Retention: closed cases whose personal data goes by the end of this month.
        const auto nextMonth = std::chrono::year_month(ymd.year(), ymd.month()) + std::chrono::months{1};
        const auto count = _options.dueForAnonymisation(zone.toInstant(std::chrono::sys_days(nextMonth / 1), Minutes{0}));
        body += "<p class=\"retention\">Due for anonymisation this month (past their charter's retention period): <strong>" +
                std::to_string(count) + (count == 1 ? " case" : " cases") +
                "</strong>. <span class=\"meta\">duly retention run does it, and duly serve once a day.</span></p>\n";
    }

    // Trend: share answered on time, month by month, as bars drawn on the
    // server (no script); the same figures are in the table by month.
    auto byMonth = buildReport(cases, from, to, ReportBy::Month, now, inputs);
    if (byMonth.rows.size() > 1 || by != ReportBy::Month) {
        const int barWidth = 48, gap = 16, height = 160;
        int width = static_cast<int>(byMonth.rows.size()) * (barWidth + gap) + gap;
        body += "<figure class=\"chart\"><figcaption>Answered on time, month by month (the dashed line is 100%)</figcaption>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"trend-title\" width=\"" +
                std::to_string(width) + "\" height=\"" + std::to_string(height + 40) + "\" viewBox=\"0 0 " +
                std::to_string(width) + " " + std::to_string(height + 40) + "\"><title id=\"trend-title\">";
        std::string titleText, bars;
        // A 100% line and the baseline, so a bar reads against the whole.
        bars += "<line x1=\"0\" y1=\"1\" x2=\"" + std::to_string(width) + "\" y2=\"1\" stroke=\"#6f777b\" "
                "stroke-dasharray=\"4 4\"/><line x1=\"0\" y1=\"" + std::to_string(height) + "\" x2=\"" +
                std::to_string(width) + "\" y2=\"" + std::to_string(height) + "\" stroke=\"#0b0c0c\"/>";
        int x = gap;
        for (const auto& m : byMonth.rows) {
            auto pct = m.answeredOnTimePercent();
            titleText += m.group + ": " + percentText(pct) + ". ";
            int h = pct ? *pct * height / 100 : 0;
            bars += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(height - h) + "\" width=\"" +
                    std::to_string(barWidth) + "\" height=\"" + std::to_string(h) + "\" fill=\"#1d5e8c\"/>"
                    "<text x=\"" + std::to_string(x + barWidth / 2) + "\" y=\"" + std::to_string(height + 16) +
                    "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1b1b1b\">" + escape(m.group) + "</text>"
                    "<text x=\"" + std::to_string(x + barWidth / 2) + "\" y=\"" + std::to_string(height + 32) +
                    "\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#1b1b1b\">" +
                    escape(percentText(pct)) + "</text>";
            x += barWidth + gap;
        }
        body += escape("Answered on time by month. " + titleText) + "</title>" + bars + "</svg></figure>\n";
    }

    // Holding replies and extensions, with the reasons given.
    std::string reasons;
    int shown = 0;
    for (const auto& c : cases) {
        auto day = zone.toLocal(c.received).date;
        if (day < from || day > to || (c.holdingReason.empty() && c.extensionDays == 0)) continue;
        if (++shown > 50) break;
        reasons += "<li><a href=\"/cases/" + escape(c.reference) + "\">" + escape(c.reference) + "</a>: " +
                   (c.extensionDays ? "extended by " + std::to_string(c.extensionDays) + " working days" : std::string{}) +
                   (c.extensionDays && !c.holdingReason.empty() ? "; " : "") +
                   (c.holdingReason.empty() ? std::string{} : "holding reply: " + escape(c.holdingReason)) + "</li>\n";
    }
    body += "<h2>Holding replies and extensions</h2>\n" +
            (reasons.empty() ? std::string("<p>None in this period.</p>\n") : "<ul>\n" + reasons + "</ul>\n");
    Response r;
    r.status = error.empty() ? 200 : 400;
    r.body = layout(&viewer, "Charter performance", "/reports", body);
    return r;
}

}  // namespace duly::web

namespace duly::web {

Response Dashboard::selfAssessment(Request& request, Viewer& viewer, bool csv) {
    if (!viewer.isManager()) return forbidden(viewer, "The self-assessment figures are for managers and administrators.");
    const Instant now = _clock();
    const auto& zone = ZoneRules::london();
    const Date today = zone.toLocal(now).date;
    const auto ymd = civil(today);
    // By default the financial year so far (April to March), the year the
    // self-assessment is published for.
    const int startYear = int(ymd.year()) - (unsigned(ymd.month()) < 4 ? 1 : 0);
    const Date defaultFrom = std::chrono::sys_days(std::chrono::year{startYear} / std::chrono::April / 1);
    Date from = defaultFrom, to = today;
    std::optional<int> homes;
    std::string error;
    try {
        if (auto f = request.field("from"); !f.empty()) from = parseDate(f, "From");
        if (auto t = request.field("to"); !t.empty()) to = parseDate(t, "To");
        if (to < from) throw InputError("the end date is before the start date");
        if (to - from > std::chrono::days{3700}) throw InputError("choose a period of at most ten years");
    } catch (const InputError& e) {
        error = e.what();
        from = defaultFrom;
        to = today;
    }
    _audit.write(now, viewer.officer.id, "viewed self-assessment", "/reports/self-assessment",
                 formatDate(from) + " to " + formatDate(to));

    // Only complaints need their history (escalations, extension reasons).
    // Read up to now, not only to the period's end: a complaint taken to
    // stage 2 later has stage 2's receipt, but its stage 1 (kept on the
    // case) may fall in the period; buildSelfAssessment sorts them out.
    std::vector<Case> complaints;
    const Instant periodEnd = zone.toInstant(to + std::chrono::days{1}, Minutes{0});
    for (const auto& c : _store.casesReceived(zone.toInstant(from, Minutes{0}), std::max(periodEnd, now + std::chrono::seconds{1})))
        if (c.kind == Kind::ComplaintStage1 || c.kind == Kind::ComplaintStage2)
            if (auto full = _store.findCase(c.reference)) complaints.push_back(std::move(*full));
    SelfAssessment a;
    {
        std::lock_guard lock(_engineMutex);
        // The number of homes is a charter setting ([complaints] homes), never
        // typed in: that of the charters these complaints are under, added
        // up (none set: no rate).
        {
            std::set<std::string> names;
            for (const auto& c : complaints) names.insert(c.charter);
            for (const auto& n : names) {
                try {
                    if (const auto& h = _charters.get(n).homes) homes = homes.value_or(0) + *h;
                } catch (const InputError&) {
                    // A charter no longer shipped: its homes are unknown.
                }
            }
        }
        SelfAssessmentInputs inputs;
        inputs.dueAfter = [&](const Case& c, Instant start, int days) {
            DeadlineCalculator calc(_charters.get(c.charter));
            return calc.dueAfter(calc.dayZero(start), days);
        };
        a = buildSelfAssessment(complaints, from, to, homes, now, inputs);
    }
    if (csv && error.empty()) {
        Response r;
        r.contentType = "text/csv; charset=utf-8";
        r.body = selfAssessmentCsv(a);
        r.setHeader("Content-Disposition", "attachment; filename=\"duly-self-assessment-" + formatDate(from) + "-to-" +
                                               formatDate(to) + ".csv\"");
        return r;
    }

    std::string body = "<p><a href=\"/reports\">Reports</a> › Self-assessment</p>\n<h1>Complaint handling "
                       "self-assessment</h1>\n<p class=\"lead\">The figures the Housing Ombudsman's Complaint "
                       "Handling Code asks for each year, measured against the Code's own timescales: acknowledge "
                       "within 5 working days; answer within 10 working days of the acknowledgement at stage 1 and "
                       "20 at stage 2; an extension adds at most 10 (stage 1) or 20 (stage 2).</p>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\"><h2>Check the form</h2><p>" + escape(error) +
                ". Showing this financial year so far instead.</p></div>\n";
    body += "<form method=\"get\" action=\"/reports/self-assessment\" class=\"filters\"><p><label "
            "for=\"sa-from\">From</label><input id=\"sa-from\" name=\"from\" type=\"date\" value=\"" + formatDate(from) +
            "\"></p><p><label for=\"sa-to\">To</label><input id=\"sa-to\" name=\"to\" type=\"date\" value=\"" +
            formatDate(to) + "\"></p><p><button type=\"submit\">Show</button></p></form>\n<p class=\"meta\">Homes "
            "managed: " + (homes ? std::to_string(*homes) : std::string("not set")) + ", from the charters' "
            "[complaints] homes setting (added up over the charters of these complaints).</p>\n";
    const std::string query = "from=" + formatDate(from) + "&amp;to=" + formatDate(to);
    body += "<p><a href=\"/reports/self-assessment.csv?" + query + "\" download>Download as CSV</a></p>\n";
    auto frac = [](int part, int whole, std::optional<int> pct) {
        return percentText(pct) + " <span class=\"meta\">(" + std::to_string(part) + " of " + std::to_string(whole) + ")</span>";
    };
    auto row = [&](const std::string& label, const std::string& one, const std::string& two) {
        body += "<tr><th scope=\"row\">" + label + "</th><td>" + one + "</td><td>" + two + "</td></tr>\n";
    };
    const auto& s1 = a.stage1;
    const auto& s2 = a.stage2;
    body += "<table class=\"numbers\"><caption>Complaints received " + escape(plainDate(from)) + " to " +
            escape(plainDate(to)) + "</caption><thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Stage "
            "1</th><th scope=\"col\">Stage 2</th></tr></thead><tbody>\n";
    row("Complaints received", std::to_string(s1.received), std::to_string(s2.received));
    row("Per 1,000 homes", oneDecimal(a.perThousandHomes(s1)), oneDecimal(a.perThousandHomes(s2)));
    row("Acknowledged within 5 working days", frac(s1.acknowledgedInTime, s1.acknowledgementsDue, s1.acknowledgedInTimePercent()),
        frac(s2.acknowledgedInTime, s2.acknowledgementsDue, s2.acknowledgedInTimePercent()));
    row("Answered within the Code's timescale (10 / 20 working days)",
        frac(s1.answeredInCodeTime, s1.answersDue, s1.answeredInCodeTimePercent()),
        frac(s2.answeredInCodeTime, s2.answersDue, s2.answeredInCodeTimePercent()));
    row("Answered within the timescale plus the extension agreed",
        frac(s1.answeredInExtendedTime, s1.answersDue, s1.answeredInExtendedTimePercent()),
        frac(s2.answeredInExtendedTime, s2.answersDue, s2.answeredInExtendedTimePercent()));
    row("Extensions agreed", std::to_string(s1.extended), std::to_string(s2.extended));
    row("Taken on to stage 2", std::to_string(s1.escalated), "—");
    body += "</tbody></table>\n<p class=\"meta\">A complaint counts towards a timescale once it has been met or its "
            "date has passed. A stage 1 complaint taken on to stage 2 counts as received at stage 1, but its stage 1 "
            "dates were replaced by stage 2's, so it is not in the stage 1 timeliness figures.</p>\n";
    body += "<h2>Putting things right, and the ombudsman</h2>\n<table class=\"numbers\"><caption>Remedies and referrals "
            "on the complaints received in the period</caption><tbody>\n";
    auto one = [&](const std::string& label, const std::string& value) {
        body += "<tr><th scope=\"row\">" + label + "</th><td>" + value + "</td></tr>\n";
    };
    one("Apologies", std::to_string(a.apologies));
    one("Actions promised", std::to_string(a.actionsPromised));
    one("Goodwill payments", std::to_string(a.goodwillPayments));
    one("Compensation payments", std::to_string(a.compensationPayments));
    one("Total paid", escape(poundsText(a.paidPence)));
    one("Referred to the ombudsman", std::to_string(a.referrals));
    one("Ombudsman's outcomes", a.referralOutcomes.empty() ? std::string("none yet") : escape(outcomesText(a.referralOutcomes)));
    body += "</tbody></table>\n";
    body += "<h2>Extensions and their reasons</h2>\n";
    if (a.extensions.empty()) body += "<p>No extension was agreed in this period.</p>\n";
    else {
        body += "<table><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Stage</th><th scope=\"col\">Working "
                "days</th><th scope=\"col\">Agreed</th><th scope=\"col\">Reason given</th></tr></thead><tbody>\n";
        for (const auto& x : a.extensions)
            body += "<tr><td><a href=\"/cases/" + escape(x.reference) + "\">" + escape(x.reference) + "</a></td><td>" +
                    std::to_string(x.stage) + "</td><td>" + std::to_string(x.days) + "</td><td>" +
                    escape(plainDate(zone.toLocal(x.at).date)) + "</td><td>" + escape(x.reason) + "</td></tr>\n";
        body += "</tbody></table>\n";
    }
    Response r;
    r.status = error.empty() ? 200 : 400;
    r.body = layout(&viewer, "Complaint handling self-assessment", "/reports", body);
    return r;
}

}  // namespace duly::web
