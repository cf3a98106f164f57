// Dashboard: the call log. An officer logs a phone message or a call-back
// request (who, the number, what about, how urgent); it opens a case on
// their queue with the charter's clock for phone messages. A case with a
// call to make — a phone message, or the acknowledgement of a customer who
// prefers the phone — shows the number, the calls made so far and a form to
// record the next one; recording an answered call closes the task
// (CaseService::recordCall).
#include "duly/web/Dashboard.h"

#include "DashboardWords.h"

#include "duly/engine/CaseService.h"
#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/web/Html.h"

namespace duly::web {

using namespace duly::engine;

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// "2026-12-07T08:30" (an <input type="datetime-local">), UK time.
Instant parseLocalTime(const std::string& text, const std::string& what) {
    if (text.size() != 16 || text[10] != 'T' || text[13] != ':')
        throw InputError(what + ": expected a date and time such as 2026-12-07T08:30, found \"" + text + "\"");
    const Date day = parseDate(text.substr(0, 10), what);
    int hour = 0, minute = 0;
    for (int i : {11, 12, 14, 15})
        if (text[i] < '0' || text[i] > '9')
            throw InputError(what + ": expected a date and time such as 2026-12-07T08:30, found \"" + text + "\"");
    hour = (text[11] - '0') * 10 + (text[12] - '0');
    minute = (text[14] - '0') * 10 + (text[15] - '0');
    if (hour > 23 || minute > 59) throw InputError(what + ": there is no time " + text.substr(11) + " in a day");
    return ZoneRules::london().toInstant(day, Minutes{hour * 60 + minute});
}

}  // namespace

std::string Dashboard::callTaskWords(const DueAction& a) const {
    return capitalised(engine::callTaskWords(a, _store));
}

std::string Dashboard::callSection(const Case& c, const Viewer& viewer, Instant now) const {
    const std::optional<Customer> customer = c.customerRef.empty() ? std::nullopt : _store.customer(c.customerRef);
    const Customer who = customer.value_or(Customer{});
    const std::string number = numberToCall(c, who);
    const bool task = c.state == CaseState::Open && callsToAcknowledge(c, who) &&
                      (isCallCase(c) ? !c.repliedAt : !c.acknowledgedAt);
    if (c.calls.empty() && !task) return {};
    std::string out = "<section aria-labelledby=\"h-calls\"><h2 id=\"h-calls\">Calls</h2>\n";
    if (task) {
        const int missed = unansweredCalls(c);
        const int left = std::max(0, _options.callAttempts - missed);
        out += "<div class=\"call-task\" role=\"status\"><p><strong>" +
               std::string(isCallCase(c) ? "Call back " : "Phone ") + escape(number) + "</strong>" +
               (isCallCase(c) ? std::string(" about this message.")
                              : std::string(" to acknowledge: the customer prefers the phone.")) +
               "</p><p class=\"meta\">" + std::to_string(missed) + (missed == 1 ? " call" : " calls") +
               " not answered so far. " +
               (left > 0 ? "After " + std::to_string(left) + " more, Duly writes to the customer instead" +
                               std::string(isCallCase(c) ? "." : ", and it writes anyway on the day the acknowledgement is due.")
                         : std::string("Duly writes to the customer instead.")) +
               "</p>";
        if (!isCallCase(c) && c.respondBy)
            out += "<p>When they answer, tell them we will reply in full by <strong>" +
                   escape(plainWhen(*c.respondBy, now)) + "</strong>.</p>";
        out += "</div>\n";
    }
    if (!c.calls.empty()) {
        out += "<table class=\"calls\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Number</th><th "
               "scope=\"col\">Outcome</th><th scope=\"col\">By</th><th scope=\"col\">Note</th></tr></thead><tbody>\n";
        for (const auto& call : c.calls) {
            const std::string outcome = call.outcome == CallOutcome::Answered  ? "Answered"
                                        : call.outcome == CallOutcome::NoAnswer ? "No answer"
                                                                                : "No answer, message left";
            const auto officer = _store.officer(call.actor);
            out += "<tr><td>" + escape(plainWhen(call.at, now)) + "</td><td>" + escape(call.phone) + "</td><td>" +
                   escape(outcome) + "</td><td>" + escape(officer ? officer->name : call.actor) + "</td><td>" +
                   escape(call.note) + "</td></tr>\n";
        }
        out += "</tbody></table>\n";
    }
    if (c.state == CaseState::Open && !number.empty()) {
        const std::string refE = escape(c.reference);
        out += "<form method=\"post\" action=\"/cases/" + refE + "/call\" class=\"action\">" + csrfField(viewer) +
               "<fieldset><legend>Record a call to " + escape(number) +
               "</legend><fieldset class=\"choices\"><legend>What happened?</legend>"
               "<p><input type=\"radio\" id=\"call-answered\" name=\"outcome\" value=\"answered\" required> <label "
               "for=\"call-answered\">They answered</label></p>"
               "<p><input type=\"radio\" id=\"call-no-answer\" name=\"outcome\" value=\"no-answer\"> <label "
               "for=\"call-no-answer\">No answer</label></p>"
               "<p><input type=\"radio\" id=\"call-left-message\" name=\"outcome\" value=\"left-message\"> <label "
               "for=\"call-left-message\">No answer, I left a message</label></p></fieldset>"
               "<p><label for=\"call-note\">Note</label><span class=\"hint\" id=\"call-note-hint\">What was said or "
               "left, for the case history.</span><textarea id=\"call-note\" name=\"note\" rows=\"2\" maxlength=\"2000\" "
               "aria-describedby=\"call-note-hint\"></textarea></p>" +
               (isCallCase(c) && !c.repliedAt
                    ? std::string("<p><input type=\"checkbox\" id=\"call-keep-open\" name=\"keep_open\" value=\"1\"> "
                                  "<label for=\"call-keep-open\">Keep the case open (the call raised something to "
                                  "do)</label></p>")
                    : std::string()) +
               "<button type=\"submit\">Record call</button></fieldset></form>\n";
    }
    return out + "</section>\n";
}

Response Dashboard::phoneMessagePage(Request& request, Viewer& viewer, const std::string& error, int status) {
    const auto& f = request.form;
    auto typed = [&](const char* n) { return escape(f.count(n) ? f.at(n) : std::string{}); };
    std::string charters;
    {
        std::lock_guard lock(_engineMutex);
        for (const auto& name : _charters.shipped()) {
            std::string label = name;
            try {
                label = _charters.get(name).organisation;
            } catch (const InputError&) {
                continue;  // a charter that cannot be read cannot open cases
            }
            charters += "<option value=\"" + escape(name) + "\"" + (typed("charter") == escape(name) ? " selected" : "") +
                        ">" + escape(label) + "</option>";
        }
    }
    std::string kinds;
    for (Kind k : kAllKinds) {
        if (k == Kind::ComplaintStage2) continue;
        const std::string n(kindName(k));
        const bool chosen = f.count("kind") ? f.at("kind") == n : k == Kind::Enquiry;
        kinds += "<option value=\"" + n + "\"" + (chosen ? " selected" : "") + ">" + n + "</option>";
    }
    std::string body = "<p><a href=\"/my-work\">My work</a> › Log a phone message</p>\n<h1>Log a phone message or "
                       "call-back request</h1>\n<p class=\"lead\">It goes on your queue with the charter's clock for "
                       "phone messages. Record the call from its case page when you have phoned back.</p>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>That did not work</h2><p>" +
                escape(error) + "</p><p>Nothing was logged.</p></div>\n";
    body += "<form method=\"post\" action=\"/phone-messages\" class=\"action wide\">" + csrfField(viewer) +
            "<fieldset><legend>The message</legend>"
            "<p><label for=\"pm-charter\">Landlord</label><select id=\"pm-charter\" name=\"charter\" required>" +
            charters +
            "</select></p>"
            "<p><label for=\"pm-customer\">Customer reference</label><span class=\"hint\" id=\"pm-customer-hint\">If "
            "you know it, for example C10001. Leave empty for a caller not yet known.</span><input id=\"pm-customer\" "
            "name=\"customer\" maxlength=\"64\" aria-describedby=\"pm-customer-hint\" value=\"" +
            typed("customer") +
            "\"></p>"
            "<p><label for=\"pm-name\">Who called</label><input id=\"pm-name\" name=\"name\" maxlength=\"200\" value=\"" +
            typed("name") +
            "\"></p>"
            "<p><label for=\"pm-phone\">Number to call back</label><span class=\"hint\" id=\"pm-phone-hint\">Leave "
            "empty to use the customer's own number.</span><input id=\"pm-phone\" name=\"phone\" type=\"tel\" "
            "maxlength=\"64\" aria-describedby=\"pm-phone-hint\" value=\"" +
            typed("phone") +
            "\"></p>"
            "<p><label for=\"pm-about\">What it is about</label><input id=\"pm-about\" name=\"about\" maxlength=\"200\" "
            "required value=\"" +
            typed("about") +
            "\"></p>"
            "<p><label for=\"pm-message\">The message</label><textarea id=\"pm-message\" name=\"message\" rows=\"4\" "
            "maxlength=\"20000\">" +
            typed("message") +
            "</textarea></p>"
            "<p><label for=\"pm-kind\">What it is</label><select id=\"pm-kind\" name=\"kind\">" +
            kinds +
            "</select></p>"
            "<p><label for=\"pm-when\">When it was left</label><span class=\"hint\" id=\"pm-when-hint\">For an "
            "answerphone message, when the caller left it. Leave empty for now.</span><input id=\"pm-when\" "
            "name=\"when\" type=\"datetime-local\" aria-describedby=\"pm-when-hint\" value=\"" +
            typed("when") +
            "\"></p>"
            "<p><input type=\"checkbox\" id=\"pm-urgent\" name=\"urgent\" value=\"1\"" +
            std::string(f.count("urgent") ? " checked" : "") +
            "> <label for=\"pm-urgent\">Urgent (a leak, no heating, a safety risk): first in every queue</label></p>"
            "<button type=\"submit\">Log the message</button></fieldset></form>\n";
    Response r;
    r.status = status;
    r.body = layout(&viewer, "Log a phone message", "/my-work", body);
    return r;
}

Response Dashboard::logPhoneMessage(Request& request, Viewer& viewer) {
    const Instant now = _clock();
    const auto& f = request.form;
    auto get = [&](const char* n) { return f.count(n) ? f.at(n) : std::string{}; };
    std::string reference;
    try {
        OpenCaseRequest req;
        req.charter = get("charter");
        if (req.charter.empty()) throw InputError("choose the landlord the message is for");
        req.channel = Channel::PhoneMessage;
        const auto kind = kindFromName(get("kind").empty() ? "enquiry" : get("kind"));
        if (!kind || *kind == Kind::ComplaintStage2) throw InputError("choose what the message is");
        req.kind = *kind;
        req.received = get("when").empty() ? now : parseLocalTime(get("when"), "When it was left");
        if (req.received > now) throw InputError("When it was left: that is in the future");
        req.customerRef = get("customer");
        req.from = get("name");
        req.subject = get("about");
        if (blank(req.subject)) throw InputError("say what the message is about");
        if (req.subject.size() > 200) throw InputError("What it is about: at most 200 characters");
        if (req.from.size() > 200) throw InputError("Who called: at most 200 characters");
        req.body = get("message");
        if (req.body.size() > 20000) throw InputError("The message: at most 20,000 characters");
        req.callNumber = get("phone");
        req.urgent = !get("urgent").empty();
        req.officerId = viewer.officer.id;
        req.source = "phone message logged by " + viewer.officer.id;
        req.actor = viewer.officer.id;
        std::lock_guard lock(_engineMutex);
        reference = _service.open(req).reference;
    } catch (const InputError& e) {
        _audit.write(now, viewer.officer.id, "log phone message refused", "", e.what());
        return phoneMessagePage(request, viewer, asSentence(e.what()), 400);
    }
    _audit.write(now, viewer.officer.id, "logged phone message", reference, get("about"));
    return Response::redirect("/cases/" + urlEncode(reference) + "?done=phone-message");
}

}  // namespace duly::web
