// Tick: plan → render → queue, one task per transaction.
#include "duly/flow/Tick.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"

#include <ostream>
#include <utility>

using namespace duly::engine;

namespace duly::flow {
namespace {

std::string localDay(Instant at) { return formatDate(ZoneRules::london().toLocal(at).date); }

std::string officerTemplateFor(ScheduledTask::What what) {
    if (what == ScheduledTask::What::PauseReminder) return "officer-pause-reminder";
    if (what == ScheduledTask::What::HoldingReplyWithheld) return "officer-holding-withheld";
    return what == ScheduledTask::What::BreachWarning ? "officer-warning" : "officer-escalation";
}

}  // namespace

Tick::Tick(CaseStore& store, MailLedger& ledger, CharterBook& charters, const Renderer& renderer,
           SenderIdentity sender, SchedulerSettings settings)
    : _store(store),
      _ledger(ledger),
      _charters(charters),
      _renderer(renderer),
      _settings(settings),
      _dispatch(renderer, store, charters, std::move(sender)),
      _service(store, charters),
      _scheduler(store, ledger, charters, std::move(settings)) {}

Tick::Outcome Tick::customerDocument(const ScheduledTask& task, Case& c, Instant now) {
    Outcome o;
    CustomerDocument document;
    document.documentKey = task.documentKey;
    document.details.date = now;
    std::optional<CaseChange> asExtension;
    if (task.what == ScheduledTask::What::HoldingReply && isComplaint(c.kind)) {
        // On a complaint a holding reply is an extension within the
        // scheme's cap, sent as the extension notice with the ombudsman's
        // details (Complaint Handling Code 6.4). The scheduler plans it only
        // with a reason and a date under the cap; this throws otherwise.
        asExtension = _service.holdingReplyAsExtension(c, now, task.newDate, task.reason, "duly");
        const Extension& e = asExtension->kase.extensions.back();
        const OmbudsmanContact ombudsman = ombudsmanFor(_charters.get(c.charter));
        document.what = CustomerDocument::What::ExtensionNotice;
        document.details.extension = ExtensionDetails{e.reason,        *e.dateAfter,      e.workingDays,
                                                      ombudsman.phone, ombudsman.website, e.dateBefore,
                                                      ombudsman.name};
        Dispatched sent = _dispatch.toCustomer(asExtension->kase, document, now);
        o.messages = std::move(sent.messages);
        o.events = std::move(sent.events);
        o.refused = sent.refused;
        if (sent.refused) return o;
        c = std::move(asExtension->kase);
        if (sent.given) c.datesGiven.push_back(*sent.given);
        o.events.insert(o.events.end(), asExtension->events.begin(), asExtension->events.end());
        o.events.push_back({0, EventType::HoldingReplySent, now, "duly",
                            "holding reply " + sent.how + " as an extension notice; new date " + localDay(*e.dateAfter) +
                                "; reason: " + e.reason});
        return o;
    }
    switch (task.what) {
        case ScheduledTask::What::HoldingReply:
            document.what = CustomerDocument::What::HoldingReply;
            document.details.holding = HoldingReplyDetails{task.reason, task.newDate};
            break;
        case ScheduledTask::What::ExtensionNotice: {
            document.what = CustomerDocument::What::ExtensionNotice;
            const OmbudsmanContact ombudsman = ombudsmanFor(_charters.get(c.charter));
            // Without a date sent before (a case from before dates were
            // kept), the date the extension replaced.
            document.details.extension =
                ExtensionDetails{task.reason, task.newDate, task.workingDays, ombudsman.phone, ombudsman.website,
                                 c.datesGiven.empty() ? std::optional<Instant>(task.deadlineAt) : std::nullopt,
                                 ombudsman.name};
            break;
        }
        case ScheduledTask::What::PauseNotice:
            document.what = CustomerDocument::What::PauseNotice;
            // The old date is the last one sent (Dispatch); the case's
            // response date for a case from before dates were kept.
            document.details.pause = PauseDetails{task.reason, task.deadlineAt};
            break;
        case ScheduledTask::What::ResumeNotice:
            document.what = CustomerDocument::What::ResumeNotice;
            document.details.resumedReplyBy = task.newDate;
            break;
        case ScheduledTask::What::MissedCalls: {
            document.what = CustomerDocument::What::MissedCalls;
            const Call& last = c.calls.back();
            document.details.missedCalls = MissedCallsDetails{last.phone, unansweredCalls(c), last.at};
            break;
        }
        default:
            document.what = CustomerDocument::What::Acknowledgement;
    }
    // An acknowledgement states the response date the case will have once
    // it is acknowledged now: a complaint's counts from its acknowledgement
    // (Complaint Handling Code 6.3), so a late one, such as after
    // reclassification, promises the date the case will really have.
    Case shown = c;
    if (document.what == CustomerDocument::What::Acknowledgement && !shown.acknowledgedAt) {
        shown.acknowledgedAt = now;
        _service.recompute(shown);
    }
    Dispatched sent = _dispatch.toCustomer(shown, document, now);
    o.messages = std::move(sent.messages);
    o.events = std::move(sent.events);
    o.refused = sent.refused;
    if (sent.refused) return o;
    if (sent.given) c.datesGiven.push_back(*sent.given);
    if (task.what == ScheduledTask::What::HoldingReply) {
        CaseChange change = _service.holdingReplyGone(
            c, now, task.newDate, "duly",
            "holding reply " + sent.how + "; new date " + localDay(task.newDate) +
                (task.reason.empty() ? "; no reason given" : "; reason: " + task.reason));
        c = std::move(change.kase);
        o.events.insert(o.events.end(), change.events.begin(), change.events.end());
    } else if (task.what == ScheduledTask::What::ExtensionNotice) {
        o.events.push_back({0, EventType::Note, now, "duly",
                            "extension notice " + sent.how + "; new date " + localDay(task.newDate)});
    } else if (task.what == ScheduledTask::What::PauseNotice) {
        o.events.push_back({0, EventType::Note, now, "duly",
                            "pause notice " + sent.how + ": the reply date moves until we have what we asked for"});
    } else if (task.what == ScheduledTask::What::ResumeNotice) {
        o.events.push_back({0, EventType::Note, now, "duly",
                            "resume notice " + sent.how + "; new date " + localDay(task.newDate)});
    } else if (task.what == ScheduledTask::What::MissedCalls) {
        o.events.push_back({0, EventType::Note, now, "duly",
                            "missed-calls letter queued " + sent.how + " after " +
                                std::to_string(unansweredCalls(c)) + " calls not answered"});
        // The letter tells the customer we have their message.
        if (!c.acknowledgedAt) {
            c.acknowledgedAt = now;
            _service.recompute(c);
            o.events.push_back({0, EventType::Acknowledged, now, "duly", "by the missed-calls letter"});
        }
    } else {
        o.events.push_back({0, EventType::Note, now, "duly", "acknowledgement queued " + sent.how});
    }
    return o;
}

Tick::Outcome Tick::officerAlert(const ScheduledTask& task, const Case& c, Instant now) {
    Outcome o;
    const Officer officer = _dispatch.documents().officerOf(c);
    std::vector<Officer> recipients;
    if (task.what == ScheduledTask::What::BreachWarning || task.what == ScheduledTask::What::PauseReminder) {
        recipients.push_back(officer);
    } else if (task.what == ScheduledTask::What::HoldingReplyWithheld) {
        // The officer and their manager: the customer hears nothing until
        // a reason is set.
        if (!c.officerId.empty()) recipients.push_back(officer);
        if (!c.officerId.empty() && !officer.managerId.empty())
            if (auto m = _store.officer(officer.managerId)) recipients.push_back(*m);
    } else if (!c.officerId.empty() && !officer.managerId.empty()) {
        if (auto m = _store.officer(officer.managerId)) recipients.push_back(*m);
    }
    if ((task.what == ScheduledTask::What::Escalation || task.what == ScheduledTask::What::HoldingReplyWithheld) &&
        (recipients.empty() || c.officerId.empty() || officer.managerId.empty())) {
        // No one's manager to tell: every manager hears of it.
        for (const Officer& m : _store.officers())
            if (m.role == Role::Manager) recipients.push_back(m);
    }
    std::erase_if(recipients, [](const Officer& r) { return r.email.empty(); });
    const std::string what = task.deadline == DueAction::What::Acknowledge ? "acknowledgement" : "response";
    if (recipients.empty()) {
        o.refused = true;
        o.messages.push_back(Dispatch::refusalRecord(task.caseReference, task.documentKey,
                                                           OutboundMessage::Route::Email, "",
                                                           "no one with an email address to tell", now));
        o.events.push_back({0, EventType::Note, now, "duly",
                            std::string(scheduledTaskName(task.what)) + " not sent: no one with an email address to tell"});
        return o;
    }
    LetterDetails details;
    details.date = now;
    Value ctx = buildCaseContext(c, _dispatch.documents().customerOf(c), officer,
                                 _dispatch.documents().organisation(c.charter), details);
    // Officers' mail is English only: a case with no subject says so.
    if (c.subject.empty()) ctx.set("case.subject", "(no subject)");
    ctx.set("alert.action", task.deadline == DueAction::What::Acknowledge ? "acknowledge" : "respond");
    ctx.set("alert.due", task.deadlineAt);
    ctx.set("alert.why", c.holdingReason.empty() ? "reason" : "cap");
    ctx.set("alert.officer", c.officerId.empty() ? std::string("no one yet") : officer.name);
    if (task.what == ScheduledTask::What::PauseReminder) {
        ctx.set("alert.due", task.deadlineAt);
        ctx.set("alert.days", static_cast<std::int64_t>(task.workingDays));
        ctx.set("alert.waiting_for", waitingFor(c));
    }
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        const Officer& r = recipients[i];
        ctx.set("alert.recipient", r.name);
        const Document doc = _renderer.render(officerTemplateFor(task.what), "en-GB", "standard", ctx);
        // The case's own key marks the task done even when several managers
        // are told (each has their own Message-ID).
        OutboundMessage m = _dispatch.toOfficer(c.reference, task.documentKey + (recipients.size() > 1 ? "." + r.id : ""),
                                                doc, r, now);
        m.documentKey = task.documentKey;
        o.messages.push_back(std::move(m));
    }
    std::string names;
    for (const auto& r : recipients) names += (names.empty() ? "" : ", ") + r.name;
    if (task.what == ScheduledTask::What::HoldingReplyWithheld)
        o.events.push_back({0, EventType::Note, now, "duly",
                            "holding reply not sent: " +
                                std::string(c.holdingReason.empty() ? "no reason given"
                                                                    : "no working day left under the scheme's cap") +
                                "; told " + names});
    if (task.what == ScheduledTask::What::Escalation)
        o.events.push_back({0, EventType::Note, now, "duly",
                            "the " + what + " was due " + localDay(task.deadlineAt) + " and is overdue; told " + names});
    return o;
}

Tick::Outcome Tick::digest(const ScheduledTask& task, Instant now) {
    Outcome o;
    auto officer = _store.officer(task.officerId);
    if (!officer) {
        o.skipped = true;
        return o;
    }
    const Digest d = _scheduler.digestFor(*officer, now);
    if (d.overdue.empty() && d.dueToday.empty() && d.dueSoon.empty() && d.awaitingTriage.empty()) {
        o.skipped = true;  // nothing to say: no email
        return o;
    }
    const Value ctx =
        buildDigestContext(*officer, _dispatch.documents().organisation(_settings.officeCharter), now, d);
    const Document doc = _renderer.render("officer-digest", "en-GB", "standard", ctx);
    // Message-ID <digest.jwong.2026-11-23@domain>; the outbox keeps the
    // scheduler's key.
    o.messages.push_back(
        _dispatch.toOfficer("digest", task.officerId + "/" + formatDate(task.day), doc, *officer, now, false));
    o.messages.back().caseReference.clear();
    o.messages.back().documentKey = task.documentKey;
    return o;
}

TickReport Tick::run(Instant now, std::ostream& log) {
    TickReport report;
    const auto tasks = _scheduler.plan(now);
    report.planned = tasks.size();
    for (const ScheduledTask& task : tasks) {
        const std::string name(scheduledTaskName(task.what));
        const std::string where = task.caseReference.empty() ? task.officerId : task.caseReference;
        try {
            Outcome o;
            if (task.what == ScheduledTask::What::Digest) {
                o = digest(task, now);
                if (!o.messages.empty()) _ledger.queueMessages(o.messages);
            } else {
                auto c = _store.findCase(task.caseReference);
                if (!c) continue;
                if (task.what == ScheduledTask::What::BreachWarning || task.what == ScheduledTask::What::Escalation ||
                    task.what == ScheduledTask::What::PauseReminder ||
                    task.what == ScheduledTask::What::HoldingReplyWithheld)
                    o = officerAlert(task, *c, now);
                else
                    o = customerDocument(task, *c, now);
                _ledger.updateCaseWithMessages(*c, o.events, o.messages);
            }
            if (o.skipped) ++report.skipped;
            else if (o.refused) ++report.refused;
            else report.queued += o.messages.size();
            if (o.refused) log << "duly: " << where << ": " << name << " " << o.messages.front().lastResult << "\n";
        } catch (const std::exception& e) {
            // Left for the next tick; the store is unchanged.
            ++report.refused;
            log << "duly: " << where << ": " << name << " failed, will try again: " << e.what() << "\n";
        }
    }
    return report;
}

}  // namespace duly::flow
