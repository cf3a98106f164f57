// Scheduler: what must go out now. See Scheduler.h for the contract.
#include "duly/engine/Scheduler.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/Deadlines.h"

#include <algorithm>

namespace duly::engine {
namespace {

std::string whatKey(DueAction::What what) {
    switch (what) {
        case DueAction::What::Acknowledge: return "acknowledge";
        case DueAction::What::HoldingReply: return "holding-reply";
        case DueAction::What::Respond: return "respond";
    }
    return "respond";
}

// An instant in a document key, which becomes part of a Message-ID (no
// colons there): 2026-11-24T11:00:00Z → 20261124T110000Z.
std::string keyTime(Instant at) {
    std::string s = formatRfc3339Utc(at);
    std::erase_if(s, [](char ch) { return ch == ':' || ch == '-'; });
    return s;
}

}  // namespace

std::string_view scheduledTaskName(ScheduledTask::What what) {
    switch (what) {
        case ScheduledTask::What::Acknowledgement: return "acknowledgement";
        case ScheduledTask::What::HoldingReply: return "holding-reply";
        case ScheduledTask::What::ExtensionNotice: return "extension-notice";
        case ScheduledTask::What::BreachWarning: return "warning";
        case ScheduledTask::What::Escalation: return "escalation";
        case ScheduledTask::What::Digest: return "digest";
        case ScheduledTask::What::PauseNotice: return "pause-notice";
        case ScheduledTask::What::ResumeNotice: return "resume-notice";
        case ScheduledTask::What::PauseReminder: return "pause-reminder";
        case ScheduledTask::What::HoldingReplyWithheld: return "holding-reply-withheld";
        case ScheduledTask::What::MissedCalls: return "missed-calls";
    }
    return "task";
}

Scheduler::Scheduler(const CaseStore& store, const MailLedger& ledger, CharterBook& charters,
                     SchedulerSettings settings, const ZoneRules& zone)
    : _store(store), _ledger(ledger), _charters(charters), _settings(std::move(settings)), _zone(zone) {
    _charters.get(_settings.officeCharter);  // an unknown charter is refused now, not at the first digest
}

Instant Scheduler::openingOf(const Charter& charter, Date day) const {
    const auto hours = charter.calendar.hoursOn(day);
    return _zone.toInstant(day, hours ? hours->opens : Minutes{0});
}

Instant Scheduler::warningAt(const Charter& charter, Instant due) const {
    const WorkingDayCalendar& cal = charter.calendar;
    Date day = _zone.toLocal(due).date;
    if (!cal.isWorkingDay(day)) day = cal.previousWorkingDay(day);
    for (int i = 0; i < _settings.warnWorkingDaysBefore; ++i) day = cal.previousWorkingDay(day);
    return openingOf(charter, day);
}

Instant Scheduler::holdingReplyGoesAt(const Charter& charter, Instant due) const {
    Date day = _zone.toLocal(due).date;
    if (!charter.calendar.isWorkingDay(day)) day = charter.calendar.previousWorkingDay(day);
    return openingOf(charter, day);
}

Instant Scheduler::holdingNewDate(const Case& c) const {
    if (c.holdingNewDate) return *c.holdingNewDate;
    return defaultHoldingDate(c, _charters.get(c.charter), _zone);
}

bool Scheduler::callTaskWaits(const Case& c, const Charter& charter, Instant now) const {
    if (c.customerRef.empty()) return false;
    const auto customer = _store.customer(c.customerRef);
    if (!customer || !callsToAcknowledge(c, *customer)) return false;
    // A phone message is answered by the call; its written fallback is the
    // missed-calls letter, never an acknowledgement letter.
    if (isCallCase(c)) return true;
    if (unansweredCalls(c) >= _settings.callAttempts) return false;
    if (!c.acknowledgeBy) return true;
    // On the day the acknowledgement is due, a letter goes if no call has
    // reached the customer: the promise is kept in writing.
    Date dueDay = _zone.toLocal(*c.acknowledgeBy).date;
    if (!charter.calendar.isWorkingDay(dueDay)) dueDay = charter.calendar.previousWorkingDay(dueDay);
    return now < openingOf(charter, dueDay);
}

std::vector<ScheduledTask> Scheduler::plan(Instant now) const {
    std::vector<ScheduledTask> out;
    planCaseActions(now, out);
    if (_settings.extensionNotices) planExtensionNotices(out);
    if (_settings.pauseNotices || _settings.pauseReminderWorkingDays > 0) planPauseNotices(now, out);
    if (_settings.digests) planDigests(now, out);
    return out;
}

void Scheduler::planCaseActions(Instant now, std::vector<ScheduledTask>& out) const {
    // Deadlines further ahead than the warning window cannot need anything
    // yet; a week per working day of warning covers closures and holidays.
    const Instant horizon = now + std::chrono::days(7 * (_settings.warnWorkingDaysBefore + 2));
    for (const DueAction& d : _store.dueActions(std::nullopt, horizon)) {
        const Charter& charter = _charters.get(d.charter);
        const std::string ref = d.caseReference;
        if (d.what == DueAction::What::HoldingReply) {
            if (!_settings.holdingReplies || d.customerRef.empty()) continue;
            if (now < holdingReplyGoesAt(charter, d.dueAt) || _ledger.queued(ref, "holding-reply")) continue;
            auto c = _store.findCase(ref);
            if (!c) continue;
            ScheduledTask t;
            t.what = ScheduledTask::What::HoldingReply;
            t.caseReference = ref;
            t.documentKey = "holding-reply";
            t.officerId = d.officerId;
            t.deadline = DueAction::What::Respond;
            t.deadlineAt = c->respondBy.value_or(d.dueAt);
            t.newDate = holdingNewDate(*c);
            t.reason = c->holdingReason;
            // On a complaint a holding reply is an extension: without a
            // reason, or with no day left under the cap, nothing goes to the
            // customer; the officer and their manager are told once.
            if (isComplaint(c->kind) && (t.reason.empty() || !c->respondBy || t.newDate <= *c->respondBy)) {
                if (_ledger.queued(ref, "holding-reply-withheld")) continue;
                t.what = ScheduledTask::What::HoldingReplyWithheld;
                t.documentKey = "holding-reply-withheld";
            }
            out.push_back(std::move(t));
            continue;
        }
        if (d.what == DueAction::What::Acknowledge && _settings.acknowledgements && !d.customerRef.empty()) {
            auto c = _store.findCase(ref);
            if (c && c->acknowledgementWithheld.empty() && !_ledger.queued(ref, acknowledgementKey(*c)) &&
                !callTaskWaits(*c, charter, now)) {
                ScheduledTask t;
                t.what = ScheduledTask::What::Acknowledgement;
                t.caseReference = ref;
                t.documentKey = acknowledgementKey(*c);
                t.officerId = d.officerId;
                t.deadline = d.what;
                t.deadlineAt = d.dueAt;
                out.push_back(std::move(t));
            }
        }
        // A phone message no one answered after the set number of calls:
        // the customer is written to instead (once).
        if (d.what == DueAction::What::Respond && isCallCase(d.channel, d.kind) && !d.customerRef.empty() &&
            !_ledger.queued(ref, "missed-calls")) {
            auto c = _store.findCase(ref);
            if (c && isCallCase(*c) && !callAnswered(*c) && unansweredCalls(*c) >= _settings.callAttempts) {
                ScheduledTask t;
                t.what = ScheduledTask::What::MissedCalls;
                t.caseReference = ref;
                t.documentKey = "missed-calls";
                t.officerId = d.officerId;
                t.deadline = d.what;
                t.deadlineAt = d.dueAt;
                t.workingDays = unansweredCalls(*c);
                out.push_back(std::move(t));
            }
        }
        // Warnings before the date, escalation after it. A response for
        // which a holding reply gave the customer a later date is escalated
        // only once that date has passed too.
        Instant due = d.dueAt;
        if (d.what == DueAction::What::Respond && now > due) {
            auto c = _store.findCase(ref);
            if (c && c->holdingReplySentAt && c->holdingNewDate && *c->holdingNewDate > due) due = *c->holdingNewDate;
        }
        const std::string dueDay = formatDate(_zone.toLocal(due).date);
        // Due at the closing time: an answer at that very second is on time.
        if (now <= due) {
            if (!_settings.warnings || d.officerId.empty() || now < warningAt(charter, due)) continue;
            const std::string key = "warning-" + whatKey(d.what) + "-" + dueDay;
            if (_ledger.queued(ref, key)) continue;
            out.push_back({ScheduledTask::What::BreachWarning, ref, key, d.officerId, d.what, due, {}, {}, {}});
        } else {
            if (!_settings.escalations) continue;
            const std::string key = "escalation-" + whatKey(d.what) + "-" + dueDay;
            if (_ledger.queued(ref, key)) continue;
            out.push_back({ScheduledTask::What::Escalation, ref, key, d.officerId, d.what, due, {}, {}, {}});
        }
    }
}

void Scheduler::planExtensionNotices(std::vector<ScheduledTask>& out) const {
    CaseFilter filter;
    filter.state = CaseState::Open;
    filter.extendedOnly = true;
    for (const Case& listed : _store.listCases(filter)) {
        if (listed.customerRef.empty() || listed.repliedAt) continue;
        auto c = _store.findCase(listed.reference);
        if (!c) continue;
        if (c->extensions.empty()) continue;
        const Extension& last = c->extensions.back();
        // A complaint's holding reply was this extension's notice.
        if (c->holdingReplySentAt && *c->holdingReplySentAt == last.at && _ledger.queued(c->reference, "holding-reply"))
            continue;
        const std::string key = "extension-" + std::to_string(last.number);
        if (_ledger.queued(c->reference, key)) continue;
        ScheduledTask t;
        t.what = ScheduledTask::What::ExtensionNotice;
        t.caseReference = c->reference;
        t.documentKey = key;
        t.officerId = c->officerId;
        // The date the customer had, and the date the extension gave.
        t.deadlineAt = last.dateBefore.value_or(c->respondBy.value_or(c->received));
        t.newDate = last.dateAfter.value_or(c->respondBy.value_or(c->received));
        t.reason = last.reason;
        t.workingDays = last.workingDays;
        out.push_back(std::move(t));
    }
}

// A paused clock is never silent: the customer hears what we need and that
// the date will move, then the new date when the clock runs again; the
// officer is reminded when the customer has not answered. Each pause is
// named by when it began, so each notice goes once.
void Scheduler::planPauseNotices(Instant now, std::vector<ScheduledTask>& out) const {
    CaseFilter paused;
    paused.state = CaseState::Open;
    paused.pausedOnly = true;
    for (const Case& listed : _store.listCases(paused)) {
        if (listed.repliedAt || !listed.pausedSince) continue;
        const std::string since = keyTime(*listed.pausedSince);
        const std::string noticeKey = "pause-notice-" + since;
        if (_settings.pauseNotices && !listed.customerRef.empty() && !_ledger.queued(listed.reference, noticeKey)) {
            auto c = _store.findCase(listed.reference);
            if (!c) continue;
            ScheduledTask t;
            t.what = ScheduledTask::What::PauseNotice;
            t.caseReference = c->reference;
            t.documentKey = noticeKey;
            t.officerId = c->officerId;
            t.deadlineAt = c->respondBy.value_or(c->received);
            t.reason = waitingFor(*c);  // what the customer was asked for
            out.push_back(std::move(t));
        }
        const int after = _settings.pauseReminderWorkingDays;
        if (after <= 0 || listed.officerId.empty()) continue;
        const Charter& charter = _charters.get(listed.charter);
        const DeadlineCalculator calc(charter, _zone);
        // On the working day `after` working days from the pause's day.
        const int waited = calc.pausedWorkingDays(*listed.pausedSince, now);
        if (waited < after) continue;
        const std::string reminderKey = "pause-reminder-" + since;
        if (_ledger.queued(listed.reference, reminderKey)) continue;
        ScheduledTask t;
        t.what = ScheduledTask::What::PauseReminder;
        t.caseReference = listed.reference;
        t.documentKey = reminderKey;
        t.officerId = listed.officerId;
        t.deadlineAt = *listed.pausedSince;
        t.workingDays = waited;
        out.push_back(std::move(t));
    }
    if (!_settings.pauseNotices) return;
    CaseFilter resumed;
    resumed.state = CaseState::Open;
    resumed.resumedUnanswered = true;
    for (const Case& listed : _store.listCases(resumed)) {
        // Paused again: that pause has its own notice.
        if (listed.customerRef.empty() || listed.pausedSince || listed.repliedAt) continue;
        auto c = _store.findCase(listed.reference);
        if (!c) continue;
        const CaseEvent* resumedAt = nullptr;
        const CaseEvent* pausedAt = nullptr;
        for (auto e = c->events.rbegin(); e != c->events.rend() && !pausedAt; ++e) {
            if (!resumedAt && e->type == EventType::Resumed) resumedAt = &*e;
            else if (resumedAt && e->type == EventType::WaitingOnCustomer) pausedAt = &*e;
        }
        // Only a pause the customer was told of is followed by its new date.
        if (!resumedAt || !pausedAt || !c->respondBy ||
            !_ledger.queued(c->reference, "pause-notice-" + keyTime(pausedAt->at)))
            continue;
        const std::string key = "resume-notice-" + keyTime(resumedAt->at);
        if (_ledger.queued(c->reference, key)) continue;
        ScheduledTask t;
        t.what = ScheduledTask::What::ResumeNotice;
        t.caseReference = c->reference;
        t.documentKey = key;
        t.officerId = c->officerId;
        t.newDate = *c->respondBy;
        out.push_back(std::move(t));
    }
}

void Scheduler::planDigests(Instant now, std::vector<ScheduledTask>& out) const {
    const Charter& office = _charters.get(_settings.officeCharter);
    const LocalDateTime local = _zone.toLocal(now);
    if (!office.calendar.isWorkingDay(local.date) || local.timeOfDay < _settings.digestAt) return;
    std::lock_guard lock(_digestMutex);
    if (_digestDay != local.date) {
        _digestDay = local.date;
        _digestDecided.clear();
    }
    for (const Officer& o : _store.officers()) {
        if (o.email.empty() || _digestDecided.count(o.id)) continue;
        const std::string key = "digest/" + o.id + "/" + formatDate(local.date);
        if (_ledger.queued("", key)) {
            _digestDecided.insert(o.id);
            continue;
        }
        // An officer with nothing due and nothing to sort gets no email.
        const Digest d = digestFor(o, now);
        ++_digestsComputed;
        if (d.overdue.empty() && d.dueToday.empty() && d.dueSoon.empty() && d.awaitingTriage.empty()) {
            _digestDecided.insert(o.id);
            continue;
        }
        ScheduledTask t;
        t.what = ScheduledTask::What::Digest;
        t.documentKey = key;
        t.officerId = o.id;
        t.day = local.date;
        out.push_back(std::move(t));
    }
}

std::size_t Scheduler::digestsComputed() const {
    std::lock_guard lock(_digestMutex);
    return _digestsComputed;
}

Digest Scheduler::digestFor(const Officer& officer, Instant now) const {
    const Charter& office = _charters.get(_settings.officeCharter);
    const Date today = _zone.toLocal(now).date;
    const Date soon = office.calendar.nextWorkingDay(today);
    const Instant horizon = _zone.toInstant(soon, Minutes{24 * 60});
    Digest digest;
    auto customerName = [&](const std::string& ref) {
        if (ref.empty()) return std::string();
        auto c = _store.customer(ref);
        return c ? c->name : ref;
    };
    std::vector<DueAction> due = _store.dueActions(officer.id, horizon);
    urgentFirst(due);
    for (const DueAction& d : due) {
        DigestEntry e;
        e.urgent = d.urgent;
        e.reference = d.caseReference;
        e.subject = d.subject;
        e.customerName = customerName(d.customerRef);
        e.due = d.dueAt;
        e.action = d.what == DueAction::What::Acknowledge    ? "acknowledge"
                   : d.what == DueAction::What::HoldingReply ? "holding_reply"
                                                             : "reply";
        e.call = callTaskWords(d, _store);
        if (d.dueAt < now) digest.overdue.push_back(std::move(e));
        else if (_zone.toLocal(d.dueAt).date == today) digest.dueToday.push_back(std::move(e));
        else digest.dueSoon.push_back(std::move(e));
    }
    auto addTriage = [&](const CaseFilter& f) {
        for (const Case& c : _store.listCases(f)) {
            DigestEntry e;
            e.reference = c.reference;
            e.subject = c.subject;
            e.customerName = customerName(c.customerRef);
            e.due = c.acknowledgeBy.value_or(c.respondBy.value_or(c.received));
            e.action = "triage";
            digest.awaitingTriage.push_back(std::move(e));
        }
    };
    CaseFilter mine;
    mine.state = CaseState::Open;
    mine.officerId = officer.id;
    mine.awaitingTriage = true;
    addTriage(mine);
    if (officer.role != Role::Officer) {
        CaseFilter unassigned;
        unassigned.state = CaseState::Open;
        unassigned.officerId = std::string();
        addTriage(unassigned);
    }
    return digest;
}

}  // namespace duly::engine
