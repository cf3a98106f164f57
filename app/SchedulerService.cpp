// SchedulerService: plan → render → queue, one task per transaction.
#include "SchedulerService.h"

#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"

#include <ostream>

using namespace duly::engine;

namespace duly::app {
namespace {

std::string localDay(Instant at) { return formatDate(ZoneRules::london().toLocal(at).date); }

// "N working days: reason" → N.
int extensionDays(const Case& c) {
    for (auto it = c.events.rbegin(); it != c.events.rend(); ++it)
        if (it->type == EventType::Extended) return std::atoi(it->detail.c_str());
    return 0;
}

std::string templateFor(const ScheduledTask& task, const Case& c) {
    switch (task.what) {
        case ScheduledTask::What::Acknowledgement: return CaseDocuments::acknowledgementTemplate(c.kind);
        case ScheduledTask::What::HoldingReply: return "holding-reply";
        case ScheduledTask::What::ExtensionNotice:
            return c.kind == Kind::ComplaintStage2 ? "complaint-stage-2-extension" : "complaint-stage-1-extension";
        case ScheduledTask::What::BreachWarning: return "officer-warning";
        case ScheduledTask::What::Escalation: return "officer-escalation";
        case ScheduledTask::What::Digest: return "officer-digest";
    }
    return "";
}

OutboundMessage refusedMessage(const ScheduledTask& task, OutboundMessage::Route route, const std::string& recipient,
                               const std::string& why, Instant now) {
    OutboundMessage m;
    m.caseReference = task.caseReference;
    m.documentKey = task.documentKey;
    m.route = route;
    m.messageKey = (task.caseReference.empty() ? std::string("office") : task.caseReference) + "/" + task.documentKey;
    m.recipient = recipient;
    m.state = OutboundMessage::State::Failed;
    m.queuedAt = m.nextAttemptAt = now;
    m.doneAt = now;
    m.lastResult = "not sent: " + why;
    return m;
}

}  // namespace

SchedulerService::SchedulerService(const Config& config, store::SqliteCaseStore& store, CharterBook& charters,
                                   const Renderer& renderer)
    : _config(config),
      _store(store),
      _charters(charters),
      _renderer(renderer),
      _documents(renderer, store, charters),
      _scheduler(store, store, charters, config.scheduler),
      _composer(config.mail.domain) {}

OutboundMessage SchedulerService::email(const ScheduledTask& task, const std::string& caseReference,
                                        const Document& doc, const std::string& name, const std::string& address,
                                        mail::AutoSubmitted how, Instant now, bool tagSubject) {
    mail::OutgoingMessage out;
    out.from = {_config.mail.fromName, _config.mail.fromAddress};
    out.to = {{name, address}};
    out.subject = doc.subject;
    out.caseReference = caseReference;
    // Message-IDs allow letters, digits, '.', '-' and '_': the document key's
    // slashes (digest/jwong/2026-11-23) become dots.
    std::string id = task.documentKey;
    for (char& ch : id)
        if (ch == '/') ch = '.';
    out.documentId = id;
    out.tagSubject = tagSubject;
    out.autoSubmitted = how;
    out.loopMarker = _config.mail.domain;
    out.textBody = writeText(doc);
    out.htmlBody = writeHtml(doc);
    const mail::ComposedMessage composed = _composer.compose(out, now);
    OutboundMessage m;
    m.caseReference = task.caseReference;
    m.documentKey = task.documentKey;
    m.route = OutboundMessage::Route::Email;
    m.messageKey = composed.messageId;
    m.recipient = address;
    m.bytes = composed.bytes;
    m.queuedAt = m.nextAttemptAt = now;
    return m;
}

SchedulerService::Outcome SchedulerService::customerDocument(const ScheduledTask& task, Case& c, Instant now) {
    Outcome o;
    const Customer customer = _documents.customerOf(c);
    const bool byPost = CaseDocuments::byPost(c, customer);
    const auto route = byPost ? OutboundMessage::Route::Post : OutboundMessage::Route::Email;
    const std::string name = std::string(scheduledTaskName(task.what));
    auto refuse = [&](const std::string& why) {
        o.refused = true;
        o.messages.push_back(refusedMessage(task, route, byPost ? customer.name : customer.email, why, now));
        o.events.push_back({0, EventType::Note, now, "duly", name + " not sent: " + why});
    };
    if (byPost && (customer.addressLine1.empty() || customer.postcode.empty())) {
        refuse("the customer has no email address and no postal address");
        return o;
    }
    LetterDetails details;
    details.date = now;
    if (task.what == ScheduledTask::What::HoldingReply) details.holding = HoldingReplyDetails{task.reason, task.newDate};
    if (task.what == ScheduledTask::What::ExtensionNotice)
        details.extension = ExtensionDetails{task.reason, task.newDate, extensionDays(c), CaseDocuments::kOmbudsmanPhone,
                                             CaseDocuments::kOmbudsmanWebsite};
    const std::string tmpl = templateFor(task, c);
    Document doc;
    try {
        doc = _documents.render(c, customer, tmpl, details);
    } catch (const InputError& e) {
        refuse(std::string("the template could not be rendered: ") + e.what());
        return o;
    }
    for (const auto& f : doc.fallbacks)
        o.events.push_back({0, EventType::Note, now, "duly",
                            name + ": " + f.what + " was not available in " + f.requested + "; " + f.used +
                                " was used (" + f.reason + ")"});
    if (byPost) {
        // Laid out, signed and printed by the print run, which renders the
        // template again from the case (its holding reason and new date are
        // stored on it).
        OutboundMessage letter;
        letter.caseReference = c.reference;
        letter.documentKey = task.documentKey;
        letter.route = OutboundMessage::Route::Post;
        letter.messageKey = c.reference + "/" + task.documentKey;
        letter.recipient = customer.name;
        letter.bytes = tmpl;
        letter.queuedAt = letter.nextAttemptAt = now;
        o.messages.push_back(std::move(letter));
    } else {
        try {
            o.messages.push_back(email(task, c.reference, doc, customer.name, customer.email,
                                       mail::AutoSubmitted::AutoGenerated, now));
        } catch (const InputError& e) {
            o.events.clear();
            refuse(e.what());
            return o;
        }
    }
    const std::string how = byPost ? "by post to " + customer.name : "by email to " + customer.email;
    if (task.what == ScheduledTask::What::HoldingReply) {
        c.holdingReplySentAt = now;
        c.holdingNewDate = task.newDate;
        o.events.push_back({0, EventType::HoldingReplySent, now, "duly",
                            "holding reply " + how + "; new date " + localDay(task.newDate) +
                                (task.reason.empty() ? "; no reason given" : "; reason: " + task.reason)});
    } else if (task.what == ScheduledTask::What::ExtensionNotice) {
        o.events.push_back({0, EventType::Note, now, "duly",
                            "extension notice " + how + "; new date " + localDay(task.newDate)});
    } else {
        o.events.push_back({0, EventType::Note, now, "duly", "acknowledgement queued " + how});
    }
    return o;
}

SchedulerService::Outcome SchedulerService::officerAlert(const ScheduledTask& task, const Case& c, Instant now) {
    Outcome o;
    const Officer officer = _documents.officerOf(c);
    std::vector<Officer> recipients;
    if (task.what == ScheduledTask::What::BreachWarning) {
        recipients.push_back(officer);
    } else if (!c.officerId.empty() && !officer.managerId.empty()) {
        if (auto m = _store.officer(officer.managerId)) recipients.push_back(*m);
    }
    if (task.what == ScheduledTask::What::Escalation && recipients.empty()) {
        // No one's manager to tell: every manager hears of it.
        for (const Officer& m : _store.officers())
            if (m.role == Role::Manager) recipients.push_back(m);
    }
    std::erase_if(recipients, [](const Officer& r) { return r.email.empty(); });
    const std::string what = task.deadline == DueAction::What::Acknowledge ? "acknowledgement" : "response";
    if (recipients.empty()) {
        o.refused = true;
        o.messages.push_back(refusedMessage(task, OutboundMessage::Route::Email, "", "no one with an email address to tell", now));
        o.events.push_back({0, EventType::Note, now, "duly",
                            std::string(scheduledTaskName(task.what)) + " not sent: no one with an email address to tell"});
        return o;
    }
    LetterDetails details;
    details.date = now;
    Value ctx = buildCaseContext(c, _documents.customerOf(c), officer, _documents.organisation(c.charter), details);
    ctx.set("alert.action", task.deadline == DueAction::What::Acknowledge ? "acknowledge" : "respond");
    ctx.set("alert.due", task.deadlineAt);
    ctx.set("alert.officer", c.officerId.empty() ? std::string("no one yet") : officer.name);
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        const Officer& r = recipients[i];
        ctx.set("alert.recipient", r.name);
        const Document doc = _renderer.render(templateFor(task, c), "en-GB", "standard", ctx);
        ScheduledTask one = task;
        if (recipients.size() > 1) one.documentKey += "." + r.id;
        // The case's own key marks the task done even when several managers
        // are told (each has their own Message-ID).
        OutboundMessage m = email(one, c.reference, doc, r.name, r.email, mail::AutoSubmitted::AutoGenerated, now);
        m.documentKey = task.documentKey;
        o.messages.push_back(std::move(m));
    }
    std::string names;
    for (const auto& r : recipients) names += (names.empty() ? "" : ", ") + r.name;
    if (task.what == ScheduledTask::What::Escalation)
        o.events.push_back({0, EventType::Note, now, "duly",
                            "the " + what + " was due " + localDay(task.deadlineAt) + " and is overdue; told " + names});
    return o;
}

SchedulerService::Outcome SchedulerService::digest(const ScheduledTask& task, Instant now) {
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
    const Value ctx = buildDigestContext(*officer, _documents.organisation(_config.scheduler.officeCharter), now, d);
    const Document doc = _renderer.render("officer-digest", "en-GB", "standard", ctx);
    // Message-ID <digest.jwong.2026-11-23@domain>; the outbox keeps the
    // scheduler's key.
    ScheduledTask t = task;
    t.documentKey = task.officerId + "/" + formatDate(task.day);
    o.messages.push_back(email(t, "digest", doc, officer->name, officer->email, mail::AutoSubmitted::AutoGenerated, now,
                               false));
    o.messages.back().caseReference.clear();
    o.messages.back().documentKey = task.documentKey;
    return o;
}

TickReport SchedulerService::run(Instant now, std::ostream& log) {
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
                if (!o.messages.empty()) _store.queueMessages(o.messages);
            } else {
                auto c = _store.findCase(task.caseReference);
                if (!c) continue;
                if (task.what == ScheduledTask::What::BreachWarning || task.what == ScheduledTask::What::Escalation)
                    o = officerAlert(task, *c, now);
                else
                    o = customerDocument(task, *c, now);
                _store.updateCaseWithMessages(*c, o.events, o.messages);
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

}  // namespace duly::app
