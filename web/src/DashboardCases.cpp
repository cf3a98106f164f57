// Dashboard: the case page and the actions on a case. Every action goes
// through CaseService, so the change and its event with the actor land in
// one store transaction; a rule broken (InputError) comes back as a message
// on the case page, status 400.
#include "duly/web/Dashboard.h"

#include "DashboardWords.h"

#include "duly/engine/BankHolidays.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"
#include "duly/engine/WorkingDayCalendar.h"
#include "duly/engine/ZoneRules.h"
#include "duly/web/Html.h"

#include <map>

namespace duly::web {

using namespace duly::engine;

namespace {

std::string noticeFor(const std::string& done) {
    static const std::map<std::string, std::string> words = {
        {"acknowledge", "The acknowledgement is recorded."},
        {"holding-reply", "The holding reply is saved. Duly sends it unless you reply first."},
        {"reply", "Your reply is recorded. The case has left your queue."},
        {"extend", "The extension is recorded and the new date worked out."},
        {"escalate", "The complaint is now at stage 2."},
        {"close", "The case is closed."},
        {"wait", "The clock is paused while you wait on the customer. Resume it when they come back."},
        {"resume", "The clock runs again; the answer date has moved on by the days it was paused."},
        {"assign", "The case has been reassigned."},
        {"urgent", "The case is marked urgent: it comes first in every queue and digest."},
        {"not-urgent", "The case is no longer marked urgent."},
        {"reclassify", "The case has a new kind: its dates are worked out again and the right acknowledgement will go."},
        {"call", "The call is recorded."},
        {"phone-message", "The phone message is logged and on your queue. Record the call here when you phone back."},
        {"representative", "The representative is recorded. Letters on this case go to them as the consent says."},
        {"remove-representative", "The representative is removed. Letters go to the customer only."},
        {"remedy", "The remedy is recorded."},
        {"referral", "The referral to the ombudsman is recorded."},
        {"refuse-escalation", "Stage 2 is refused: the letter with your reasons and the ombudsman's details is on its way, and the case is closed."}};
    auto w = words.find(done);
    return w == words.end() ? std::string{} : "<div class=\"notice\" role=\"status\"><p>" + w->second + "</p></div>\n";
}

std::string sizeWords(std::size_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
    return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

int parseWhole(const std::string& text, const std::string& what, int low, int high) {
    int value = 0;
    bool ok = !text.empty() && text.size() <= 4;
    for (char c : text) {
        if (c < '0' || c > '9') ok = false;
        else value = value * 10 + (c - '0');
    }
    if (!ok || value < low || value > high)
        throw InputError(what + ": enter a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return value;
}

}  // namespace

namespace {

std::string eventWords(const CaseEvent& e, const CaseStore& store) {
    auto who = [&](const std::string& id) {
        if (id == "duly") return std::string("Duly");
        auto o = store.officer(id);
        return o ? o->name : id;
    };
    switch (e.type) {
    case EventType::Received: return "Received";
    case EventType::Acknowledged: return "Acknowledged";
    case EventType::HoldingReplySent: return "Holding reply sent" + (e.detail.empty() ? "" : ": " + e.detail);
    case EventType::Replied: return "Replied" + (e.detail.empty() ? "" : ": " + e.detail);
    case EventType::Extended: return "Extended: " + e.detail;
    case EventType::EscalatedToStage2: return "Escalated to stage 2 (" + e.detail + ")";
    case EventType::Assigned: return "Assigned to " + who(e.detail);
    case EventType::Closed: return "Closed" + (e.detail.empty() ? "" : ": " + e.detail);
    case EventType::Note: return e.detail;
    case EventType::WaitingOnCustomer: return "Waiting on the customer (clock paused): " + e.detail;
    case EventType::Resumed: return "Clock resumed: " + e.detail;
    case EventType::Reclassified: return "Reclassified: " + e.detail;
    case EventType::Representative: return "Representative: " + e.detail;
    case EventType::Remedy: return "Remedy recorded: " + e.detail;
    case EventType::Referral: return "Ombudsman: " + e.detail;
    }
    return e.detail;
}

}  // namespace

Response Dashboard::casePage(Request& request, Viewer& viewer, const std::string& error, int status,
                             const std::string& preview) {
    const Instant now = _clock();
    auto ref = request.param("ref");
    auto found = _store.findCase(ref);
    if (!found) return notFound(&viewer, "There is no case " + ref + ".");
    const Case& c = *found;
    if (!maySee(viewer, c)) return forbidden(viewer, "Case " + ref + " belongs to another team.");
    _audit.write(now, viewer.officer.id, "viewed case", c.reference);

    std::string ruleText, dayZeroText, orgName;
    const CharterRule* rule = nullptr;
    std::optional<OfficeHours> closing;
    {
        std::lock_guard lock(_engineMutex);
        try {
            const Charter& charter = _charters.get(c.charter);
            orgName = charter.organisation;
            rule = charter.ruleFor(c.channel, c.kind);
            auto receivedDay = ZoneRules::london().toLocal(c.received).date;
            if (receivedDay == c.countedFrom)
                dayZeroText = "It arrived on a working day before closing time, so the clock started that day (" +
                              plainDate(c.countedFrom) + " is day 0).";
            else {
                auto why = charter.calendar.whyClosed(receivedDay);
                dayZeroText = "It arrived " + (why ? "on a day the office was closed (" + *why + ")" : std::string("after closing time")) +
                              ", so the clock started on the next working day, " + plainDate(c.countedFrom) + " (day 0).";
            }
            if (rule) {
                if (rule->acknowledgeWithin)
                    ruleText += "<li>Acknowledge within " + std::to_string(*rule->acknowledgeWithin) +
                                (*rule->acknowledgeWithin == 1 ? " working day" : " working days") + ".</li>";
                if (rule->acknowledgeWithinHours)
                    ruleText += "<li>Acknowledge within " + std::to_string(*rule->acknowledgeWithinHours) +
                                " office hours (working days only; at the latest by closing time).</li>";
                if (rule->acknowledgeFirstThing)
                    ruleText += "<li>Acknowledge first thing the next working day (" +
                                std::to_string(charter.firstThingMinutes) + " minutes after opening).</li>";
                if (rule->respondWithinHours)
                    ruleText += "<li>Answer within " + std::to_string(*rule->respondWithinHours) +
                                " hours on working days, counted from when the office was open (at the latest by "
                                "closing time).</li>";
                if (rule->respondFirstThing)
                    ruleText += "<li>Answer first thing the next working day (" +
                                std::to_string(charter.firstThingMinutes) + " minutes after opening).</li>";
                if (rule->respondWithin)
                    ruleText += "<li>Answer in full within " + std::to_string(*rule->respondWithin) +
                                " working days, counted from the " +
                                (rule->respondFrom == RespondFrom::Acknowledgement ? "acknowledgement" : "day it arrived") +
                                (c.extensionDays ? ", plus an agreed extension of " + std::to_string(c.extensionDays) + " working days" : std::string{}) +
                                (c.pausedDays ? ", plus " + std::to_string(c.pausedDays) +
                                                    (c.pausedDays == 1 ? " working day" : " working days") +
                                                    " when the clock was paused while we waited on the customer"
                                              : std::string{}) +
                                ".</li>";
                if (rule->clockPausesOnCustomer)
                    ruleText += "<li>The clock for the full answer pauses while we wait on the customer: each "
                                "working day after the day it paused, up to and including the day it resumed, "
                                "is not counted.</li>";
                if (rule->holdingReplyBefore)
                    ruleText += "<li>If the answer will be late, a holding reply goes " +
                                std::to_string(*rule->holdingReplyBefore) +
                                (*rule->holdingReplyBefore == 1 ? " working day" : " working days") + " before it is due.</li>";
                if (rule->maxExtension)
                    ruleText += "<li>An extension may add at most " + std::to_string(*rule->maxExtension) + " working days.</li>";
                if (!rule->source.empty()) ruleText += "<li>Where this is promised: " + escape(rule->source) + ".</li>";
            }
        } catch (const InputError& e) {
            ruleText = "<li>The charter \"" + escape(c.charter) + "\" could not be read: " + escape(e.what()) + "</li>";
        }
    }
    (void)closing;

    std::string body = "<p><a href=\"/my-work\">My work</a> › " + escape(c.reference) + "</p>\n<h1>" +
                       escape(c.subject.empty() ? "(no subject)" : c.subject) + " <span class=\"ref\">" +
                       escape(c.reference) + "</span></h1>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>That did not work</h2><p>" +
                escape(error) + "</p><p>Nothing was changed.</p></div>\n";
    body += noticeFor(request.query.count("done") ? request.query.at("done") : "");

    // Summary.
    std::string officerName = "nobody yet (awaiting triage)";
    if (!c.officerId.empty()) officerName = _store.officer(c.officerId) ? _store.officer(c.officerId)->name : c.officerId;
    std::string customerText = "not yet known";
    if (!c.customerRef.empty()) {
        auto cu = _store.customer(c.customerRef);
        customerText = cu ? cu->name + " (" + c.customerRef + ", " + cu->language +
                                (cu->formats.empty() ? "" : ", " + cu->formats.front()) + ")"
                          : c.customerRef;
    }
    body += "<dl class=\"summary\">\n<dt>Status</dt><dd>" +
            std::string(c.state == CaseState::Open ? "Open" : "Closed") + "</dd>\n<dt>Customer</dt><dd>" +
            escape(customerText) +
            (viewer.isManager() && _options.personalData && !c.customerRef.empty() && _store.customer(c.customerRef)
                 ? " <a href=\"/customers/" + escape(urlEncode(c.customerRef)) + "\">Their record</a>"
                 : std::string()) +
            "</dd>\n<dt>Officer</dt><dd>" + escape(officerName) + "</dd>\n<dt>How it came</dt><dd>" +
            escape(channelWords(c.channel)) + "</dd>\n<dt>What it is</dt><dd>" + escape(kindWords(c.kind)) +
            "</dd>\n<dt>Charter</dt><dd>" + escape(orgName.empty() ? c.charter : orgName) + "</dd>\n</dl>\n";

    // Deadlines.
    auto deadline = [&](const char* label, const std::optional<Instant>& by, const std::optional<Instant>& done,
                        const char* doneWord, bool pauses = false) {
        if (!by) return std::string{};
        std::string state;
        if (pauses && c.pausedSince && !done)
            state = " <span class=\"tag tag-paused\">⏸ Paused: waiting on the customer</span>";
        else if (done)
            state = std::string(" <span class=\"tag tag-done\">✓ ") + doneWord + " " + escape(plainWhen(*done, now)) +
                    (*done > *by ? " — late" : "") + "</span>";
        else if (*by < now)
            state = " <span class=\"tag tag-overdue\">⚠ Overdue</span> <span class=\"meta\">" + escape(relativeWhen(*by, now)) + "</span>";
        else
            state = " <span class=\"meta\">" + escape(relativeWhen(*by, now)) + "</span>";
        return "<li><strong>" + std::string(label) + " " + escape(plainWhen(*by, now)) + "</strong>" + state + "</li>\n";
    };
    body += "<section aria-labelledby=\"h-deadlines\"><h2 id=\"h-deadlines\">Deadlines</h2>\n<ul class=\"deadlines\">\n" +
            deadline("Acknowledge by", c.acknowledgeBy, c.acknowledgedAt, "acknowledged") +
            deadline("Holding reply by", c.holdingReplyBy, c.holdingReplySentAt, "sent", true) +
            deadline("Answer by", c.respondBy, c.repliedAt, "answered", true) + "</ul>\n";
    if (!c.acknowledgeBy && !c.respondBy) body += "<p>The charter makes no promise for this kind of item.</p>\n";
    if (c.pausedSince) {
        std::string waitingFor;
        for (const auto& e : c.events)
            if (e.type == EventType::WaitingOnCustomer) waitingFor = e.detail;
        std::optional<Instant> resumedDue;
        int soFar = 0;
        {
            std::lock_guard lock(_engineMutex);
            try {
                const Case resumed = _service.resumedAt(c, now);
                resumedDue = resumed.respondBy;
                soFar = resumed.pausedDays - c.pausedDays;
            } catch (const InputError&) {
            }
        }
        body += "<div class=\"paused\" role=\"status\"><h3>⏸ Waiting on the customer</h3><p>The clock for the full "
                "answer has been paused since <strong>" + escape(plainWhen(*c.pausedSince, now)) + "</strong>: " +
                std::to_string(soFar) + (soFar == 1 ? " working day" : " working days") + " so far" +
                (c.pausedDays ? " (and " + std::to_string(c.pausedDays) + " in earlier pauses)" : std::string{}) +
                ". Asked for: " + escape(waitingFor) + "</p><p>Nothing is chased while it waits. If the customer "
                "comes back today, the answer will be due <strong>" +
                (resumedDue ? escape(plainWhen(*resumedDue, now)) : std::string("—")) + "</strong>.</p></div>\n";
    } else if (c.pausedDays) {
        body += "<p class=\"meta\">The clock was paused for " + std::to_string(c.pausedDays) +
                (c.pausedDays == 1 ? " working day" : " working days") +
                " while we waited on the customer; the answer date above includes them.</p>\n";
    }
    body += "<details><summary>How these dates were worked out</summary>\n<p>Received " +
            escape(plainWhen(c.received, now)) + ". " + escape(dayZeroText) + "</p>\n<ul>" + ruleText + "</ul>\n";
    if (!c.holdingReason.empty() || c.holdingNewDate)
        body += "<p>The holding reply will say: " + escape(c.holdingReason.empty() ? "(no reason given)" : c.holdingReason) +
                (c.holdingNewDate ? "; the customer will hear by " + escape(plainWhen(*c.holdingNewDate, now)) : std::string{}) +
                ".</p>\n";
    body += "</details></section>\n";
    body += callSection(c, viewer, now);

    // Actions.
    if (c.state == CaseState::Open) {
        std::string refE = escape(c.reference);
        auto form = [&](const std::string& action, const std::string& legend, const std::string& inner,
                        const std::string& button) {
            return "<form method=\"post\" action=\"/cases/" + refE + "/" + action + "\" class=\"action\">" + csrfField(viewer) +
                   "<fieldset><legend>" + legend + "</legend>" + inner + "<button type=\"submit\">" + button +
                   "</button></fieldset></form>\n";
        };
        auto officers = _store.officers();
        // Stage 2 never goes back to whoever handled stage 1.
        const std::string stage1Officer = c.kind == Kind::ComplaintStage2 ? c.stage1OfficerId : std::string();
        auto officerOptions = [&](const std::string& exclude) {
            std::string o = "<option value=\"\">Choose an officer</option>";
            for (const auto& x : officers) {
                if (x.id == exclude || (!stage1Officer.empty() && x.id == stage1Officer)) continue;
                if (!viewer.isManager() && !sameTeam(x, viewer.officer) && x.id != viewer.officer.id) continue;
                o += "<option value=\"" + escape(x.id) + "\">" + escape(x.name) + " — " + escape(x.position) + "</option>";
            }
            return o;
        };
        body += "<section aria-labelledby=\"h-actions\"><h2 id=\"h-actions\">What you can do</h2>\n<div class=\"actions\">\n";
        if (!c.acknowledgedAt)
            body += form("acknowledge", "Acknowledge",
                         "<p>Record that the customer has been told we have their message.</p>", "Record acknowledgement");
        if (_options.replyPreview) {
            auto text = request.form.count("text") ? request.form.at("text") : std::string{};
            body += "<form method=\"post\" action=\"/cases/" + refE + "/reply\" class=\"action wide\">" + csrfField(viewer) +
                    "<fieldset><legend>Reply</legend><p><label for=\"reply-text\">Your reply</label><span "
                    "class=\"hint\" id=\"reply-hint\">Write it here to preview the reply letter as the customer will "
                    "read it, in their language and format. Leave a blank line between paragraphs.</span><textarea id=\"reply-text\" "
                    "name=\"text\" rows=\"6\" maxlength=\"20000\" aria-describedby=\"reply-hint\">" +
                    escape(text) + "</textarea></p><p class=\"buttons\"><button type=\"submit\" formaction=\"/cases/" +
                    refE + "/preview\" class=\"secondary\">Preview the letter</button> <button "
                    "type=\"submit\">" + std::string(_options.sendReply ? "Send reply" : "Record reply") +
                    "</button></p><p class=\"hint\">" +
                    std::string(_options.sendReply
                                    ? "Send reply sends your text to the customer in the reply email, or in a reply "
                                      "letter from the next print run when they read letters. Leave the box empty to record a reply "
                                      "you sent another way. "
                                    : "Record reply when you have sent the full answer. ") +
                    "The case leaves your queue.</p></fieldset></form>\n";
            if (!preview.empty())
                body += "<section class=\"preview\" aria-labelledby=\"h-preview\"><h3 id=\"h-preview\">Preview of the "
                        "reply</h3><pre>" + escape(preview) + "</pre></section>\n";
        } else {
            body += form("reply", "Reply",
                         "<p>Record that you have sent the full answer. The case leaves your queue.</p>",
                         "Record reply");
        }
        if (c.respondBy)
            body += form("holding-reply", "Holding reply",
                         "<p>If the full answer will be late, say why and when the customer will hear. Duly sends it " +
                             (c.pausedSince ? std::string("when it falls due once the clock runs again")
                                           : c.holdingReplyBy ? "by " + escape(plainWhen(*c.holdingReplyBy, now))
                                                              : std::string("when it falls due")) +
                             " unless a reply is recorded first.</p>"
                             "<p><label for=\"holding-reason\">Reason, in plain words</label>"
                             "<textarea id=\"holding-reason\" name=\"reason\" rows=\"3\" maxlength=\"2000\" required>" +
                             escape(c.holdingReason) +
                             "</textarea></p><p><label for=\"holding-date\">New date for the full answer</label> "
                             "<span class=\"hint\" id=\"holding-date-hint\">For example 2026-12-18. Leave empty for "
                             "the charter's date.</span><input id=\"holding-date\" name=\"new_date\" type=\"date\" "
                             "aria-describedby=\"holding-date-hint\"></p>",
                         "Save holding reply");
        if (c.urgent)
            body += form("not-urgent", "Urgent",
                         "<p>This case is marked urgent: it comes first in every queue and digest.</p>",
                         "No longer urgent");
        else
            body += form("urgent", "Urgent?",
                         "<p>Mark the case urgent when it cannot wait its turn (a leak, no heating, a safety "
                         "risk): it then comes first in every queue and digest.</p><p><label for=\"urgent-reason\">"
                         "Why</label><input id=\"urgent-reason\" name=\"reason\" maxlength=\"2000\"></p>",
                         "Mark urgent");
        if (c.pausedSince)
            body += form("resume", "The customer has come back",
                         "<p>Start the clock again when the customer gives what we asked for. The answer date "
                         "moves on by the working days it was paused.</p>",
                         "Resume the clock");
        else if (rule && rule->clockPausesOnCustomer && c.respondBy && !c.repliedAt)
            body += form("wait", "Waiting on the customer",
                         "<p>The charter lets the clock pause while we wait for something only the customer can "
                         "give. Nothing is chased while it waits.</p><p><label for=\"wait-for\">What have you "
                         "asked them for?</label><textarea id=\"wait-for\" name=\"waiting_for\" rows=\"2\" "
                         "maxlength=\"2000\" required></textarea></p>",
                         "Pause the clock");
        if (rule && rule->maxExtension && c.respondBy)
            body += form("extend", "Ask for more time",
                         "<p><label for=\"extend-days\">Extra working days</label> <span class=\"hint\" "
                         "id=\"extend-hint\">At most " + std::to_string(*rule->maxExtension) +
                             " in total.</span><input id=\"extend-days\" name=\"days\" inputmode=\"numeric\" "
                             "pattern=\"[0-9]*\" aria-describedby=\"extend-hint\" required></p>"
                             "<p><label for=\"extend-reason\">Reason, as the customer will read it</label>"
                             "<textarea id=\"extend-reason\" name=\"reason\" rows=\"3\" maxlength=\"2000\" required></textarea></p>",
                         "Agree extension");
        body += form("assign", "Reassign",
                     "<p><label for=\"assign-officer\">New officer</label><select id=\"assign-officer\" name=\"officer\" required>" +
                         officerOptions(c.officerId) + "</select></p>",
                     "Reassign");
        if (c.kind != Kind::ComplaintStage2 && !c.repliedAt) {
            // An enquiry that turns out to be a complaint (issue 14).
            std::string kinds;
            for (Kind k : kAllKinds)
                if (k != c.kind && k != Kind::ComplaintStage2)
                    kinds += "<option value=\"" + std::string(kindName(k)) + "\">" + std::string(kindName(k)) + "</option>";
            body += form("reclassify", "Change the kind",
                         "<p>For example an enquiry that is a complaint. The dates are worked out again from the day "
                         "it arrived, and the acknowledgement for the new kind goes to the customer.</p><p><label "
                         "for=\"reclassify-kind\">New kind</label><select id=\"reclassify-kind\" name=\"kind\" required>" +
                             kinds +
                             "</select></p><p><label for=\"reclassify-reason\">Why</label><textarea "
                             "id=\"reclassify-reason\" name=\"reason\" rows=\"2\" maxlength=\"2000\"></textarea></p>",
                         "Change kind");
        }
        if (c.kind == Kind::ComplaintStage1)
            body += form("escalate", "Escalate to stage 2",
                         "<p>Stage 2 must go to someone other than the stage 1 officer.</p><p><label "
                         "for=\"escalate-officer\">Stage 2 officer</label><select id=\"escalate-officer\" name=\"officer\" required>" +
                             officerOptions(c.officerId) + "</select></p>",
                         "Escalate");
        if (c.kind == Kind::ComplaintStage1 && viewer.isManager() && _options.refuseEscalation)
            body += form("refuse-escalation", "Refuse stage 2",
                         "<p>Only in the rare case the complaints policy allows it. The customer gets a letter with "
                         "your reasons and the ombudsman's details, and the case closes.</p><p><label "
                         "for=\"refuse-reason\">Why, in words the customer will understand</label><textarea "
                         "id=\"refuse-reason\" name=\"reason\" rows=\"3\" maxlength=\"2000\" required></textarea></p>",
                         "Refuse stage 2");
        body += form("close", "Close the case", "<p>Close it when nothing more is owed to the customer.</p>", "Close case");
        body += "</div></section>\n";
    }

    // Who acts for the customer, what was put right, and the ombudsman:
    // recorded on open and closed cases alike (a referral comes after).
    {
        const std::string refE = escape(c.reference);
        auto form = [&](const std::string& action, const std::string& legend, const std::string& inner,
                        const std::string& button) {
            return "<form method=\"post\" action=\"/cases/" + refE + "/" + action + "\" class=\"action\">" + csrfField(viewer) +
                   "<fieldset><legend>" + legend + "</legend>" + inner + "<button type=\"submit\">" + button +
                   "</button></fieldset></form>\n";
        };
        const auto& zone = ZoneRules::london();
        body += "<section aria-labelledby=\"h-remedies\"><h2 id=\"h-remedies\">Representative, remedies and the "
                "ombudsman</h2>\n";
        if (const auto& r = c.representative) {
            body += "<p>Representative: <strong>" + escape(r->name) + "</strong> (" +
                    escape(std::string(representativeKindName(r->kind))) + ")" +
                    (r->email.empty() ? std::string{} : ", " + escape(r->email));
            for (const auto& l : r->address) body += ", " + escape(l);
            body += ". Consent given " + escape(plainDate(zone.toLocal(r->consentAt).date)) + " (" +
                    escape(r->consentHow) + "). Letters go " +
                    (r->sendTo == SendTo::Copy ? "to the customer, with a copy to the representative."
                                               : "to the representative only.") +
                    "</p>\n";
        } else {
            body += "<p>No representative: letters go to the customer.</p>\n";
        }
        if (c.remedies.empty()) body += "<p>No remedy recorded.</p>\n";
        else {
            body += "<table><caption>Remedies</caption><thead><tr><th scope=\"col\">What</th><th scope=\"col\">Details"
                    "</th><th scope=\"col\">By</th><th scope=\"col\">Amount</th><th scope=\"col\">Recorded</th></tr>"
                    "</thead><tbody>\n";
            for (const auto& m : c.remedies)
                body += "<tr><td>" + escape(std::string(remedyKindName(m.kind))) + "</td><td>" + escape(m.detail) +
                        "</td><td>" + (m.dueBy ? escape(plainDate(*m.dueBy)) : std::string("—")) + "</td><td>" +
                        (m.amountPence ? escape(poundsText(m.amountPence)) : std::string("—")) + "</td><td>" +
                        escape(plainDate(zone.toLocal(m.at).date)) + "</td></tr>\n";
            body += "</tbody></table>\n";
        }
        if (c.referral)
            body += "<p>Referred to the ombudsman " + escape(plainDate(zone.toLocal(c.referral->referredAt).date)) +
                    (c.referral->outcomeAt ? "; outcome: <strong>" + escape(c.referral->outcome) + "</strong>, " +
                                                 escape(plainDate(zone.toLocal(*c.referral->outcomeAt).date))
                                           : std::string("; no outcome yet")) +
                    ".</p>\n";
        else
            body += "<p>Not referred to the ombudsman.</p>\n";
        body += "<div class=\"actions\">\n";
        std::string kinds;
        for (auto k : {RepresentativeKind::Advocate, RepresentativeKind::Relative, RepresentativeKind::Mp,
                       RepresentativeKind::Solicitor, RepresentativeKind::Other}) {
            const std::string n(representativeKindName(k));
            kinds += "<option value=\"" + n + "\"" + (c.representative && c.representative->kind == k ? " selected" : "") +
                     ">" + n + "</option>";
        }
        body += form("representative", c.representative ? "Change the representative" : "Add a representative",
                     "<p>Someone the customer has asked to deal with their case. Record their consent first.</p>"
                     "<p><label for=\"rep-name\">Name</label><input id=\"rep-name\" name=\"name\" maxlength=\"200\" "
                     "required></p><p><label for=\"rep-kind\">Who they are</label><select id=\"rep-kind\" "
                     "name=\"kind\">" + kinds + "</select></p><p><label for=\"rep-salutation\">Greeting</label><span "
                     "class=\"hint\" id=\"rep-salutation-hint\">For example Dear Ms Patel. Leave empty for Dear and "
                     "their name.</span><input id=\"rep-salutation\" name=\"salutation\" maxlength=\"200\" "
                     "aria-describedby=\"rep-salutation-hint\"></p><p><label for=\"rep-email\">Email address</label>"
                     "<input id=\"rep-email\" name=\"email\" type=\"email\" maxlength=\"254\"></p><p><label "
                     "for=\"rep-address\">Postal address</label><span class=\"hint\" id=\"rep-address-hint\">One line "
                     "each, postcode last. An email address or a postal address is needed.</span><textarea "
                     "id=\"rep-address\" name=\"address\" rows=\"4\" maxlength=\"1200\" "
                     "aria-describedby=\"rep-address-hint\"></textarea></p><p><label for=\"rep-consent-at\">Consent "
                     "given on</label><input id=\"rep-consent-at\" name=\"consent_at\" type=\"date\" required></p><p>"
                     "<label for=\"rep-consent-how\">How the customer consented</label><span class=\"hint\" "
                     "id=\"rep-consent-how-hint\">For example signed form, phone call, email.</span><input "
                     "id=\"rep-consent-how\" name=\"consent_how\" maxlength=\"200\" required "
                     "aria-describedby=\"rep-consent-how-hint\"></p><p><label for=\"rep-send-to\">Letters</label>"
                     "<select id=\"rep-send-to\" name=\"send_to\"><option value=\"copy\">To the customer, a copy to "
                     "the representative</option><option value=\"representative-only\">To the representative only "
                     "(where the consent says so)</option></select></p>",
                     "Save representative");
        if (c.representative)
            body += form("remove-representative", "Remove the representative",
                         "<p>Letters then go to the customer only.</p><p><label for=\"rep-remove-reason\">Why</label>"
                         "<input id=\"rep-remove-reason\" name=\"reason\" maxlength=\"2000\"></p>",
                         "Remove representative");
        body += form("remedy", "Record a remedy",
                     "<p><label for=\"remedy-kind\">What</label><select id=\"remedy-kind\" name=\"kind\"><option "
                     "value=\"apology\">apology</option><option value=\"action\">action promised</option><option "
                     "value=\"goodwill\">goodwill payment</option><option value=\"compensation\">compensation"
                     "</option></select></p><p><label for=\"remedy-detail\">Details</label><span class=\"hint\" "
                     "id=\"remedy-detail-hint\">What was promised, or the reason for a payment.</span><textarea "
                     "id=\"remedy-detail\" name=\"detail\" rows=\"2\" maxlength=\"2000\" "
                     "aria-describedby=\"remedy-detail-hint\"></textarea></p><p><label for=\"remedy-by\">Promised by"
                     "</label><span class=\"hint\" id=\"remedy-by-hint\">For an action only.</span><input "
                     "id=\"remedy-by\" name=\"by\" type=\"date\" aria-describedby=\"remedy-by-hint\"></p><p><label "
                     "for=\"remedy-amount\">Amount in pounds</label><span class=\"hint\" id=\"remedy-amount-hint\">For "
                     "a payment only, such as 50 or 125.50.</span><input id=\"remedy-amount\" name=\"amount\" "
                     "inputmode=\"decimal\" maxlength=\"20\" aria-describedby=\"remedy-amount-hint\"></p>",
                     "Record remedy");
        std::string outcomes = "<option value=\"\">No outcome yet</option>";
        for (const auto& o : referralOutcomes())
            outcomes += "<option value=\"" + o + "\"" + (c.referral && c.referral->outcome == o ? " selected" : "") + ">" +
                        o + "</option>";
        body += form("referral", "Referral to the ombudsman",
                     "<p><label for=\"referral-at\">Referred on</label><input id=\"referral-at\" name=\"referred_at\" "
                     "type=\"date\" value=\"" +
                         (c.referral ? formatDate(zone.toLocal(c.referral->referredAt).date) : std::string{}) +
                         "\"></p><p><label for=\"referral-outcome\">Outcome</label><select id=\"referral-outcome\" "
                         "name=\"outcome\">" + outcomes + "</select></p><p><label for=\"referral-outcome-at\">Outcome "
                         "on</label><input id=\"referral-outcome-at\" name=\"outcome_at\" type=\"date\"></p>",
                     "Save referral");
        body += "</div></section>\n";
    }

    // Timeline: items and events in time order.
    struct Entry {
        Instant at;
        int order;
        std::string html;
    };
    std::vector<Entry> entries;
    int n = 0;
    for (const auto& item : c.items) {
        const std::string itemPath = "/cases/" + urlEncode(c.reference) + "/items/" + std::to_string(item.id);
        std::string files;
        if (_ledger) {
            // Names and sizes only: the bytes (a scan can be megabytes) are
            // read when a file is opened.
            const auto attachments = _ledger->attachmentList(item.id);
            for (std::size_t i = 0; i < attachments.size(); ++i)
                files += "<li><a href=\"" + escape(itemPath) + "/files/" + std::to_string(i + 1) + "\">" +
                         escape(attachments[i].name.empty() ? "file " + std::to_string(i + 1) : attachments[i].name) +
                         "</a> <span class=\"meta\">" + escape(attachments[i].contentType) + ", " +
                         escape(sizeWords(attachments[i].size)) + "</span></li>";
            if (auto size = _ledger->rawItemSize(item.id))
                files += "<li><a href=\"" + escape(itemPath) + "/raw\">The raw message</a> <span "
                         "class=\"meta\">exactly as it arrived, headers and all, " + escape(sizeWords(*size)) +
                         "</span></li>";
        }
        entries.push_back({item.received, n++,
                           "<strong>" + escape(channelWords(item.channel)) + " received</strong>" +
                               (item.from.empty() ? "" : " from " + escape(item.from)) + ": " + escape(item.subject) +
                               (files.empty() ? std::string{} : "<ul class=\"files\">" + files + "</ul>") +
                               "<details><summary>The message as received</summary><pre>" + escape(item.body) +
                               "</pre><p class=\"meta\">Source: " + escape(item.source) + "</p></details>"});
    }
    for (const auto& e : c.events) {
        if (e.type == EventType::Received) continue;
        auto actor = e.actor == "duly" ? std::string("Duly") : (_store.officer(e.actor) ? _store.officer(e.actor)->name : e.actor);
        entries.push_back({e.at, n++, "<strong>" + escape(eventWords(e, _store)) + "</strong> <span class=\"meta\">by " +
                                          escape(actor) + "</span>"});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.at < b.at; });
    body += "<section aria-labelledby=\"h-timeline\"><h2 id=\"h-timeline\">Timeline</h2>\n<ol class=\"timeline\">\n";
    for (const auto& e : entries)
        body += "<li><time datetime=\"" + formatRfc3339Utc(e.at) + "\">" + escape(shortWhen(e.at)) + "</time> " + e.html + "</li>\n";
    body += "</ol></section>\n";

    Response r;
    r.status = status;
    r.body = layout(&viewer, c.reference + " " + c.subject, "", body);
    return r;
}

Response Dashboard::itemFile(Request& request, Viewer& viewer) {
    const Instant now = _clock();
    auto ref = request.param("ref");
    auto found = _store.findCase(ref);
    if (!found) return notFound(&viewer, "There is no case " + ref + ".");
    if (!maySee(viewer, *found)) return forbidden(viewer, "Case " + ref + " belongs to another team.");
    // The item must be one of this case's: an id from another case is not
    // found here, whoever may see that one.
    const std::string itemText = request.param("item");
    const Item* item = nullptr;
    for (const auto& i : found->items)
        if (std::to_string(i.id) == itemText) item = &i;
    if (!item || !_ledger) return notFound(&viewer, "Case " + ref + " has no item " + itemText + ".");
    Response r;
    if (request.params.count("n") == 0) {
        auto raw = _ledger->rawItem(item->id);
        if (!raw) return notFound(&viewer, "Item " + itemText + " of case " + ref + " was not kept as a raw message.");
        _audit.write(now, viewer.officer.id, "viewed raw message", ref, "item " + itemText);
        r.contentType = "text/plain; charset=utf-8";
        r.body = std::move(*raw);
        r.setHeader("Content-Disposition", "inline; filename=\"" + ref + "-item-" + itemText + ".eml\"");
        return r;
    }
    auto files = _ledger->attachments(item->id);
    std::size_t n = 0;
    const std::string nText = request.param("n");
    bool ok = !nText.empty() && nText.size() <= 4;
    for (char ch : nText) {
        if (ch < '0' || ch > '9') ok = false;
        else n = n * 10 + static_cast<std::size_t>(ch - '0');
    }
    if (!ok || n == 0 || n > files.size())
        return notFound(&viewer, "Item " + itemText + " of case " + ref + " has no file " + nText + ".");
    auto& file = files[n - 1];
    _audit.write(now, viewer.officer.id, "viewed file", ref, "item " + itemText + ": " + file.name);
    // Scans and pictures open in the browser with their own type; anything
    // else (HTML above all, which could run on this site) is only offered
    // for download, as bytes.
    static const char* const kShown[] = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/tiff",
                                         "text/plain"};
    std::string type = file.contentType;
    for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool shown = false;
    for (const char* t : kShown)
        if (type == t) shown = true;
    std::string name = file.name.empty() ? ref + "-file-" + nText : file.name;
    for (auto& ch : name)
        if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20) ch = '_';
    r.contentType = shown ? (type == "text/plain" ? "text/plain; charset=utf-8" : type) : "application/octet-stream";
    r.body = std::move(file.bytes);
    r.setHeader("Content-Disposition", std::string(shown ? "inline" : "attachment") + "; filename=\"" + name + "\"");
    return r;
}

Response Dashboard::previewReply(Request& request, Viewer& viewer) {
    const Instant now = _clock();
    auto ref = request.param("ref");
    auto found = _store.findCase(ref);
    if (!found) return notFound(&viewer, "There is no case " + ref + ".");
    if (!maySee(viewer, *found)) return forbidden(viewer, "Case " + ref + " belongs to another team.");
    if (!_options.replyPreview) return notFound(&viewer, "Previews are not available here.");
    auto text = request.form.count("text") ? request.form.at("text") : std::string{};
    if (text.size() > 20000) return casePage(request, viewer, "The reply is too long: use at most 20,000 characters.", 400);
    std::string preview;
    try {
        std::lock_guard lock(_engineMutex);
        preview = _options.replyPreview(*found, text, now);
    } catch (const InputError& e) {
        return casePage(request, viewer, std::string("The preview could not be made: ") + e.what(), 400);
    }
    _audit.write(now, viewer.officer.id, "previewed reply", ref);
    return casePage(request, viewer, {}, 200, preview);
}

Response Dashboard::caseAction(Request& request, Viewer& viewer, const std::string& action) {
    const Instant now = _clock();
    auto ref = request.param("ref");
    auto found = _store.findCase(ref);
    if (!found) return notFound(&viewer, "There is no case " + ref + ".");
    if (!maySee(viewer, *found)) return forbidden(viewer, "Case " + ref + " belongs to another team.");
    const auto& f = request.form;
    auto get = [&](const char* n) { return f.count(n) ? f.at(n) : std::string{}; };
    const std::string& me = viewer.officer.id;
    std::string detail;
    try {
        if ((action == "assign" || action == "escalate") && !viewer.isManager()) {
            auto target = _store.officer(get("officer"));
            if (target && !sameTeam(*target, viewer.officer) && target->id != me)
                return forbidden(viewer, "Only a manager can pass a case to another team.");
        }
        std::lock_guard lock(_engineMutex);
        if (action == "acknowledge") {
            _service.acknowledge(ref, now, me);
        } else if (action == "reply") {
            const std::string text = get("text");
            if (_options.sendReply && text.find_first_not_of(" \t\r\n") != std::string::npos) {
                if (text.size() > 20000) throw InputError("the reply is too long: use at most 20,000 characters");
                detail = _options.sendReply(ref, text, me, now);
            } else {
                _service.reply(ref, now, me);
            }
        } else if (action == "holding-reply") {
            auto reason = get("reason");
            if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
                throw InputError("say why the answer will be late, in words the customer will understand");
            std::optional<Instant> newDate;
            if (auto text = get("new_date"); !text.empty()) {
                auto day = parseDate(text, "the new date");
                auto hours = _charters.get(found->charter).calendar.hoursOn(day);
                newDate = ZoneRules::london().toInstant(day, hours ? hours->closes : Minutes{17 * 60});
            }
            _service.setHoldingReply(ref, reason, newDate, now, me);
            detail = reason;
        } else if (action == "extend") {
            auto days = parseWhole(get("days"), "Extra working days", 1, 60);
            auto reason = get("reason");
            if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
                throw InputError("give the reason for the extension, as the customer will read it");
            _service.extend(ref, days, reason, now, me);
            detail = std::to_string(days) + " days: " + reason;
        } else if (action == "assign") {
            if (get("officer").empty()) throw InputError("choose the officer to pass the case to");
            _service.assign(ref, get("officer"), now, me);
            detail = get("officer");
        } else if (action == "escalate") {
            if (get("officer").empty()) throw InputError("choose the stage 2 officer");
            _service.escalate(ref, get("officer"), now, me);
            detail = get("officer");
        } else if (action == "reclassify") {
            const auto kind = kindFromName(get("kind"));
            if (!kind) throw InputError("choose the new kind of the case");
            _service.reclassify(ref, *kind, get("reason"), now, me);
            detail = get("kind") + (get("reason").empty() ? "" : ": " + get("reason"));
        } else if (action == "refuse-escalation") {
            if (!viewer.isManager()) return forbidden(viewer, "Only a manager can refuse to take a complaint to stage 2.");
            if (!_options.refuseEscalation) throw InputError("this dashboard cannot send letters, so it cannot refuse stage 2");
            detail = get("reason");
            detail = _options.refuseEscalation(ref, detail, me, now) + ": " + detail;
        } else if (action == "representative") {
            Representative r;
            r.name = get("name");
            const auto kind = representativeKindFromName(get("kind"));
            if (!kind) throw InputError("choose who the representative is (advocate, relative, MP, solicitor or other)");
            r.kind = *kind;
            r.salutation = get("salutation");
            r.email = get("email");
            const std::string address = get("address");
            std::size_t start = 0;
            while (start < address.size()) {
                auto end = address.find('\n', start);
                if (end == std::string::npos) end = address.size();
                r.address.push_back(address.substr(start, end - start));
                start = end + 1;
            }
            if (get("consent_at").empty() || get("consent_how").find_first_not_of(" \t\r\n") == std::string::npos)
                throw InputError("a representative needs the customer's consent: give the date it was given and how");
            r.consentAt = ZoneRules::london().toInstant(parseDate(get("consent_at"), "Consent given on"), Minutes{0});
            r.consentHow = get("consent_how");
            const auto to = sendToFromName(get("send_to").empty() ? "copy" : get("send_to"));
            if (!to) throw InputError("choose where letters go");
            r.sendTo = *to;
            detail = r.name + " (" + get("kind") + "), " + get("send_to");
            _service.setRepresentative(ref, r, now, me);
        } else if (action == "remove-representative") {
            detail = get("reason");
            _service.removeRepresentative(ref, detail, now, me);
        } else if (action == "remedy") {
            Remedy m;
            const auto kind = remedyKindFromName(get("kind"));
            if (!kind) throw InputError("choose the kind of remedy");
            m.kind = *kind;
            m.detail = get("detail");
            if (!get("by").empty()) m.dueBy = parseDate(get("by"), "Promised by");
            if (!get("amount").empty()) {
                const auto pence = penceFromText(get("amount"));
                if (!pence) throw InputError("Amount in pounds: enter pounds and pence such as 50 or 125.50");
                m.amountPence = *pence;
            }
            _service.addRemedy(ref, m, now, me);
            detail = get("kind") + (m.amountPence ? " " + poundsText(m.amountPence) : std::string{});
        } else if (action == "referral") {
            std::optional<Instant> referredAt, outcomeAt;
            const auto& zone = ZoneRules::london();
            if (!get("referred_at").empty())
                referredAt = zone.toInstant(parseDate(get("referred_at"), "Referred on"), Minutes{0});
            if (!get("outcome_at").empty())
                outcomeAt = zone.toInstant(parseDate(get("outcome_at"), "Outcome on"), Minutes{0});
            // The form shows the stored referral date: unchanged, it is no new referral.
            if (referredAt && found->referral && found->referral->referredAt == *referredAt &&
                (!get("outcome").empty() || outcomeAt))
                referredAt.reset();
            _service.recordReferral(ref, referredAt, get("outcome"), outcomeAt, now, me);
            detail = get("referred_at") + (get("outcome").empty() ? "" : "; " + get("outcome") + " " + get("outcome_at"));
        } else if (action == "close") {
            _service.close(ref, now, me);
        } else if (action == "wait") {
            detail = get("waiting_for");
            _service.waitOnCustomer(ref, detail, now, me);
        } else if (action == "resume") {
            _service.resume(ref, now, me);
        } else if (action == "urgent" || action == "not-urgent") {
            detail = get("reason");
            _service.setUrgent(ref, action == "urgent", detail, now, me);
        } else if (action == "call") {
            const auto outcome = callOutcomeFromName(get("outcome"));
            if (!outcome) throw InputError("say what happened on the call: answered, no answer, or a message left");
            CallRecord call;
            call.outcome = *outcome;
            call.note = get("note");
            call.keepOpen = !get("keep_open").empty();
            call.at = now;
            call.actor = me;
            _service.recordCall(ref, call);
            detail = get("outcome") + (call.note.empty() ? "" : ": " + call.note);
        }
    } catch (const InputError& e) {
        _audit.write(now, me, action + " refused", ref, e.what());
        return casePage(request, viewer, asSentence(e.what()), 400);
    }
    _audit.write(now, me, action, ref, detail);
    auto after = _store.findCase(ref);
    if (after && !maySee(viewer, *after)) return Response::redirect("/my-work");
    return Response::redirect("/cases/" + urlEncode(ref) + "?done=" + action);
}

}  // namespace duly::web
