// Dashboard queues: my work, another officer's work, the team overview,
// cases awaiting triage and the quarantine list — what is due, most urgent
// first, each row a link to its case.
#include "duly/web/Dashboard.h"

#include "DashboardWords.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/web/Html.h"

#include <algorithm>
#include <map>

namespace duly::web {

using namespace duly::engine;

namespace {

enum class Urgency { Overdue, Today, NextWorkingDay, Later };

Urgency urgencyOf(Instant due, Instant now) {
    if (due < now) return Urgency::Overdue;
    const auto& zone = ZoneRules::london();
    auto dueDay = zone.toLocal(due).date, today = zone.toLocal(now).date;
    if (dueDay == today) return Urgency::Today;
    // Labels only: the England and Wales calendar decides "next working day".
    static const WorkingDayCalendar calendar = WorkingDayCalendar::standard(Region::EnglandAndWales);
    if (dueDay <= calendar.nextWorkingDay(today)) return Urgency::NextWorkingDay;
    return Urgency::Later;
}

const char* urgencyHeading(Urgency u) {
    switch (u) {
    case Urgency::Overdue: return "Overdue";
    case Urgency::Today: return "Due today";
    case Urgency::NextWorkingDay: return "Due next working day";
    case Urgency::Later: return "Due later";
    }
    return "";
}

const char* urgencyClass(Urgency u) {
    switch (u) {
    case Urgency::Overdue: return "overdue";
    case Urgency::Today: return "today";
    case Urgency::NextWorkingDay: return "soon";
    case Urgency::Later: return "later";
    }
    return "";
}

std::string whatWords(DueAction::What what) {
    switch (what) {
    case DueAction::What::Acknowledge: return "acknowledge";
    case DueAction::What::HoldingReply: return "send a holding reply";
    case DueAction::What::Respond: return "reply";
    }
    return "";
}

}  // namespace

std::string Dashboard::queueTable(const std::vector<DueAction>& actions, Instant now, bool showOfficer) const {
    // Cases marked urgent come first, in their own section; the rest by
    // how soon they are due.
    std::vector<const DueAction*> urgent;
    std::map<Urgency, std::vector<const DueAction*>> groups;
    for (const auto& a : actions) {
        if (a.urgent) urgent.push_back(&a);
        else groups[urgencyOf(a.dueAt, now)].push_back(&a);
    }
    std::string out;
    if (actions.empty()) return "<p class=\"empty\">Nothing is due. Well done.</p>\n";
    out += "<ul class=\"counts\">";
    if (!urgent.empty())
        out += "<li class=\"tag tag-overdue\">Marked urgent: " + std::to_string(urgent.size()) + "</li>";
    for (auto u : {Urgency::Overdue, Urgency::Today, Urgency::NextWorkingDay, Urgency::Later})
        out += "<li class=\"tag tag-" + std::string(urgencyClass(u)) + "\">" + urgencyHeading(u) + ": " +
               std::to_string(groups[u].size()) + "</li>";
    out += "</ul>\n";
    auto section = [&](const std::vector<const DueAction*>& list, const std::string& cls, const std::string& heading) {
        out += "<section aria-labelledby=\"h-" + cls + "\">\n<h2 id=\"h-" + cls + "\">" +
               (cls == "overdue" || cls == "urgent" ? "<span aria-hidden=\"true\">⚠ </span>" : "") + heading + " (" +
               std::to_string(list.size()) + ")</h2>\n<table class=\"queue queue-" + cls +
               "\">\n<thead><tr><th scope=\"col\">What to do</th><th scope=\"col\">Case</th><th "
               "scope=\"col\">About</th>" +
               (showOfficer ? "<th scope=\"col\">Officer</th>" : "") + "<th scope=\"col\">Status</th></tr></thead>\n<tbody>\n";
        for (const auto* a : list) {
            const Urgency u = urgencyOf(a->dueAt, now);
            const std::string ucls = urgencyClass(u);
            // A call task says whom to phone.
            std::string what = callTaskWords(*a);
            if (what.empty()) what = capitalised(whatWords(a->what));
            out += "<tr><td><strong>" + escape(what) + " by " + escape(plainWhen(a->dueAt, now)) +
                   "</strong></td><td><a href=\"/cases/" + escape(a->caseReference) + "\">" +
                   escape(a->caseReference) + "</a></td><td>" + escape(a->subject.empty() ? "(no subject)" : a->subject) +
                   "<br><span class=\"meta\">" + escape(channelWords(a->channel)) + " · " + escape(kindWords(a->kind)) +
                   (a->customerRef.empty() ? " · customer not yet known" : " · " + escape(a->customerRef)) +
                   "</span></td>" + (showOfficer ? "<td>" + escape(a->officerId.empty() ? "unassigned" : a->officerId) + "</td>" : "") +
                   "<td>" + (a->urgent ? "<span class=\"tag tag-overdue\">Urgent</span> " : "") + "<span class=\"tag tag-" +
                   ucls + "\">" + (u == Urgency::Overdue ? "⚠ " : "") + urgencyHeading(u) +
                   "</span> <span class=\"meta\">" + escape(relativeWhen(a->dueAt, now)) + "</span></td></tr>\n";
        }
        out += "</tbody></table>\n</section>\n";
    };
    if (!urgent.empty()) section(urgent, "urgent", "Marked urgent");
    for (auto u : {Urgency::Overdue, Urgency::Today, Urgency::NextWorkingDay, Urgency::Later})
        if (!groups[u].empty()) section(groups[u], urgencyClass(u), urgencyHeading(u));
    return out;
}

std::string Dashboard::waitingList(const std::string& officerId, Instant now) const {
    CaseFilter filter;
    filter.officerId = officerId;
    filter.state = CaseState::Open;
    filter.pausedOnly = true;
    filter.limit = 100;
    auto cases = _store.listCases(filter);
    if (cases.empty()) return {};
    std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return *a.pausedSince < *b.pausedSince; });
    std::string out = "<section aria-labelledby=\"h-paused\">\n<h2 id=\"h-paused\">Waiting on the customer (" +
                      std::to_string(cases.size()) + ")</h2>\n<p class=\"meta\">The clock is paused on these: "
                      "nothing is due until the customer comes back.</p>\n<table class=\"queue queue-paused\">\n"
                      "<thead><tr><th scope=\"col\">Case</th><th scope=\"col\">About</th><th scope=\"col\">Waiting "
                      "since</th></tr></thead>\n<tbody>\n";
    for (const auto& c : cases)
        out += "<tr><td><a href=\"/cases/" + escape(c.reference) + "\">" + escape(c.reference) + "</a></td><td>" +
               escape(c.subject.empty() ? "(no subject)" : c.subject) + "</td><td><span class=\"tag tag-paused\">⏸ " +
               escape(plainWhen(*c.pausedSince, now)) + "</span></td></tr>\n";
    return out + "</tbody></table>\n</section>\n";
}

std::string Dashboard::limitNotice(const Request& request, std::size_t shown, std::size_t limit) const {
    if (shown < limit) return {};
    std::string out = "<p class=\"notice\">Showing the " + std::to_string(shown) + " most urgent.";
    if (request.query.count("all") == 0)
        out += " <a href=\"?all=1\">Show up to " + std::to_string(limit * 10) + "</a>";
    return out + "</p>\n";
}

Response Dashboard::myWork(Request& request, Viewer& viewer) {
    const Instant now = _clock();
    const auto limit = request.query.count("all") ? _options.queueLimit * 10 : _options.queueLimit;
    std::size_t read = 0;
    const auto actions = dueQueue(_store, viewer.officer.id, limit, &read);
    std::string body = "<h1>My work</h1>\n<p class=\"lead\">What is due from you, most urgent first. Times are UK "
                       "time; working days leave out weekends, bank holidays and closure days.</p>\n";
    body += "<p><a href=\"/phone-messages/new\">Log a phone message or call-back request</a></p>\n";
    body += limitNotice(request, read, limit);
    body += queueTable(actions, now, false);
    body += waitingList(viewer.officer.id, now);
    Response r;
    r.body = layout(&viewer, "My work", "/my-work", body);
    return r;
}

Response Dashboard::officerQueue(Request& request, Viewer& viewer) {
    const Instant now = _clock();
    auto other = _store.officer(request.param("officer"));
    if (!other) return notFound(&viewer, "There is no officer \"" + request.param("officer") + "\".");
    if (!viewer.isManager() && !sameTeam(*other, viewer.officer) && other->id != viewer.officer.id)
        return forbidden(viewer, "The queue of " + other->name + " belongs to another team.");
    _audit.write(now, viewer.officer.id, "viewed queue", other->id);
    const auto limit = request.query.count("all") ? _options.queueLimit * 10 : _options.queueLimit;
    std::size_t read = 0;
    const auto actions = dueQueue(_store, other->id, limit, &read);
    std::string body = "<p><a href=\"/team\">Team</a> › " + escape(other->name) + "</p>\n<h1>Work of " +
                       escape(other->name) + "</h1>\n<p class=\"lead\">" + escape(other->position) + ", " +
                       escape(other->team) + ". Most urgent first.</p>\n" + limitNotice(request, read, limit) +
                       queueTable(actions, now, false) + waitingList(other->id, now);
    Response r;
    r.body = layout(&viewer, "Work of " + other->name, "/team", body);
    return r;
}

Response Dashboard::team(Request&, Viewer& viewer) {
    const Instant now = _clock();
    auto officers = _store.officers();
    std::map<std::string, std::array<int, 4>> counts;
    for (const auto& a : _store.dueActions(std::nullopt, std::nullopt, 0))
        ++counts[a.officerId][static_cast<int>(urgencyOf(a.dueAt, now))];
    std::map<std::string, std::vector<const Officer*>> byTeam;
    for (const auto& o : officers)
        if (viewer.isManager() || sameTeam(o, viewer.officer) || o.id == viewer.officer.id) byTeam[o.team].push_back(&o);
    std::string body = std::string("<h1>Team</h1>\n<p class=\"lead\">") +
                       (viewer.isManager() ? "Every officer's open actions." : "The open actions of your team.") +
                       " Select a name to see that person's work.</p>\n";
    for (const auto& [teamName, members] : byTeam) {
        body += "<section><h2>" + escape(teamName.empty() ? "(no team)" : teamName) +
                "</h2>\n<table class=\"numbers\"><thead><tr><th scope=\"col\">Officer</th><th "
                "scope=\"col\">Overdue</th><th scope=\"col\">Due today</th><th scope=\"col\">Due next working "
                "day</th><th scope=\"col\">Due later</th></tr></thead><tbody>\n";
        for (const auto* o : members) {
            auto c = counts[o->id];
            body += "<tr><th scope=\"row\"><a href=\"/team/" + escape(o->id) + "\">" + escape(o->name) +
                    "</a><br><span class=\"meta\">" + escape(o->position) + "</span></th><td" +
                    (c[0] ? " class=\"bad\"" : "") + ">" + (c[0] ? "⚠ " : "") + std::to_string(c[0]) + "</td><td>" +
                    std::to_string(c[1]) + "</td><td>" + std::to_string(c[2]) + "</td><td>" + std::to_string(c[3]) +
                    "</td></tr>\n";
        }
        body += "</tbody></table></section>\n";
    }
    if (viewer.isManager() && counts.count("")) {
        auto c = counts[""];
        body += "<p>Unassigned cases with actions due: " + std::to_string(c[0] + c[1] + c[2] + c[3]) +
                " (<a href=\"/triage\">awaiting triage</a>).</p>\n";
    }
    Response r;
    r.body = layout(&viewer, "Team", "/team", body);
    return r;
}

Response Dashboard::triage(Request&, Viewer& viewer) {
    const Instant now = _clock();
    CaseFilter filter;
    filter.officerId = std::string{};
    filter.state = CaseState::Open;
    filter.limit = 200;
    auto cases = _store.listCases(filter);
    std::string body = "<h1>Awaiting triage</h1>\n<p class=\"lead\">Open cases that no officer has yet. Open one "
                       "to assign it.</p>\n";
    if (cases.empty()) body += "<p class=\"empty\">No case is waiting.</p>\n";
    else {
        body += "<table><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Received</th><th "
                "scope=\"col\">About</th><th scope=\"col\">First deadline</th></tr></thead><tbody>\n";
        for (const auto& c : cases) {
            std::optional<Instant> first = !c.acknowledgedAt && c.acknowledgeBy ? c.acknowledgeBy : c.respondBy;
            body += "<tr><td><a href=\"/cases/" + escape(c.reference) + "\">" + escape(c.reference) + "</a></td><td>" +
                    escape(plainWhen(c.received, now)) + "</td><td>" + escape(c.subject) + "<br><span class=\"meta\">" +
                    escape(channelWords(c.channel)) + " · " + escape(kindWords(c.kind)) +
                    (c.customerRef.empty() ? " · customer not yet known" : "") + "</span></td><td>" +
                    (first ? escape(plainWhen(*first, now)) +
                                 (c.pausedSince && first == c.respondBy
                                      ? " <span class=\"tag tag-paused\">⏸ Waiting on the customer</span>"
                                  : *first < now ? " <span class=\"tag tag-overdue\">⚠ Overdue</span>"
                                                 : "")
                           : "—") +
                    "</td></tr>\n";
        }
        body += "</tbody></table>\n";
    }
    Response r;
    r.body = layout(&viewer, "Awaiting triage", "/triage", body);
    return r;
}

Response Dashboard::quarantine(Request&, Viewer& viewer) {
    if (!viewer.isManager()) return forbidden(viewer, "The quarantine list is for managers and administrators.");
    const Instant now = _clock();
    _audit.write(now, viewer.officer.id, "viewed quarantine", "/quarantine");
    std::string body = "<h1>Quarantine</h1>\n<p class=\"lead\">Mail that Duly could not read or would not answer "
                       "automatically. Nothing here is lost: each message is kept as it arrived.</p>\n";
    auto list = _ledger ? _ledger->quarantined(200) : std::vector<QuarantinedMessage>{};
    if (list.empty()) body += "<p class=\"empty\">Nothing is in quarantine.</p>\n";
    else {
        body += "<table><thead><tr><th scope=\"col\">Received</th><th scope=\"col\">Mailbox</th><th "
                "scope=\"col\">Why</th><th scope=\"col\">Case</th></tr></thead><tbody>\n";
        for (const auto& q : list) {
            body += "<tr><td>" + escape(shortWhen(q.received)) + "</td><td>" + escape(q.mailbox) + "</td><td>" +
                    escape(q.reason) + "<details><summary>The message as received</summary><pre>" +
                    escape(q.raw.substr(0, 20000)) + "</pre></details></td><td>" +
                    (q.caseReference.empty() ? std::string("none")
                                             : "<a href=\"/cases/" + escape(q.caseReference) + "\">" +
                                                   escape(q.caseReference) + "</a>") +
                    "</td></tr>\n";
        }
        body += "</tbody></table>\n";
    }
    Response r;
    r.body = layout(&viewer, "Quarantine", "/quarantine", body);
    return r;
}

}  // namespace duly::web
