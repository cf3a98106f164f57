// CaseService: every change to a case goes through here, so the deadlines
// are always those the charter gives for the case's current facts.
#include "duly/engine/CaseService.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"

#include <algorithm>

namespace duly::engine {

namespace {

// "the new date 2027-06-30 is past the cap: ..." — names the cap, its
// source and the last date it allows.
std::string capMessage(const Charter& charter, const Case& c, Instant newDate, Instant cap) {
    const ZoneRules& zone = ZoneRules::london();
    const CharterRule* rule = charter.ruleFor(c.channel, c.kind);
    const int max = rule ? rule->maxExtension.value_or(0) : 0;
    return "the new date " + formatDate(zone.toLocal(newDate).date) + " is past the cap: charter " + charter.name +
           " (" + charter.scheme.title + ") allows a " + std::string(kindName(c.kind)) + " at most " +
           std::to_string(max) + (max == 1 ? " working day" : " working days") +
           " more than its response date, so the latest date is " + formatDate(zone.toLocal(cap).date);
}

// The stage 2 officer must have the role the charter's [complaints] names
// (Complaint Handling Code: a senior manager who had no part in stage 1).
void requireStage2Role(const Charter& charter, const Officer& officer) {
    const auto wanted = roleFromName(charter.scheme.stage2Role).value_or(Role::Manager);
    // stage2_role = "officer" admits anyone; otherwise the role itself.
    const bool ok = wanted == Role::Officer || officer.role == wanted;
    if (!ok)
        throw InputError("stage 2 must be handled by a " + charter.scheme.stage2Role + " (charter " + charter.name +
                         ", [complaints] stage2_role); " + officer.id + "'s role is " + std::string(roleName(officer.role)));
}

std::string pauseWords(int days) {
    return "clock paused for " + std::to_string(days) + (days == 1 ? " working day" : " working days");
}

}  // namespace

CaseService::CaseService(CaseStore& store, CharterBook& charters) : _store(store), _charters(charters) {}

Case CaseService::load(const std::string& reference) const {
    auto c = _store.findCase(reference);
    if (!c) throw InputError("no case with reference \"" + reference + "\"");
    return *c;
}

void CaseService::requireOpen(const Case& c) const {
    if (c.state == CaseState::Closed) throw InputError("case " + c.reference + " is closed");
}

void CaseService::recompute(Case& c) {
    const Charter& charter = _charters.get(c.charter);
    DeadlineCalculator calc(charter);
    DeadlineRequest req{c.channel, c.kind, c.received, c.acknowledgedAt, c.extensionDays, c.pausedDays};
    auto d = calc.compute(req);
    c.countedFrom = d.countedFrom;
    c.acknowledgeBy = d.acknowledgeBy;
    c.respondBy = d.respondBy;
    c.holdingReplyBy = d.holdingReplyBy;
}

Case CaseService::open(const OpenCaseRequest& request) {
    const Charter& charter = _charters.get(request.charter);
    if (!request.customerRef.empty() && !_store.customer(request.customerRef))
        throw InputError("no customer with reference \"" + request.customerRef + "\"");
    if (!request.officerId.empty() && !_store.officer(request.officerId))
        throw InputError("no officer with id \"" + request.officerId + "\"");
    Case c;
    c.charter = charter.name;
    c.channel = request.channel;
    c.kind = request.kind;
    c.customerRef = request.customerRef;
    c.officerId = request.officerId;
    c.subject = request.subject;
    c.received = request.received;
    c.urgent = request.urgent;
    if (request.callNumber.size() > 64) throw InputError("the number to call back is too long (at most 64 characters)");
    if (!request.callNumber.empty() && request.callNumber.find_first_of("0123456789") == std::string::npos)
        throw InputError("the number to call back, \"" + request.callNumber + "\", has no digits");
    c.callNumber = request.callNumber;
    if (isCallCase(c) && c.callNumber.empty()) {
        const auto customer = request.customerRef.empty() ? std::nullopt : _store.customer(request.customerRef);
        if (!customer || customer->phone.empty())
            throw InputError(std::string(c.kind == Kind::CallBack ? "a call-back request" : "a phone message") +
                             " needs a number to call back: give one, or a customer with a phone number");
    }
    recompute(c);
    c.items.push_back(Item{0, request.channel, request.received, request.subject, request.body, request.source, request.from});
    c.events.push_back({0, EventType::Received, request.received, request.actor,
                        std::string(channelName(request.channel)) + " " + std::string(kindName(request.kind))});
    if (!request.officerId.empty())
        c.events.push_back({0, EventType::Assigned, request.received, request.actor, request.officerId});
    if (request.urgent) c.events.push_back({0, EventType::Note, request.received, request.actor, "marked urgent"});
    return _store.createCase(std::move(c), charter.referencePrefix);
}

Case CaseService::assign(const std::string& reference, const std::string& officerId, Instant at,
                         const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    const auto officer = _store.officer(officerId);
    if (!officer) throw InputError("no officer with id \"" + officerId + "\"");
    // Stage 2 stays away from whoever handled stage 1, after escalation too.
    if (c.kind == Kind::ComplaintStage2 && !c.stage1OfficerId.empty() && c.stage1OfficerId == officerId)
        throw InputError("stage 2 must be handled by someone other than the stage 1 officer (" + officerId + ")");
    if (c.kind == Kind::ComplaintStage2) requireStage2Role(_charters.get(c.charter), *officer);
    c.officerId = officerId;
    CaseEvent e{0, EventType::Assigned, at, actor, officerId};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

Case CaseService::acknowledge(const std::string& reference, Instant at, const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (c.acknowledgedAt) throw InputError("case " + reference + " was already acknowledged");
    if (at < c.received) throw InputError("an acknowledgement cannot be sent before the item was received");
    c.acknowledgedAt = at;
    recompute(c);
    CaseEvent e{0, EventType::Acknowledged, at, actor, ""};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

Case CaseService::holdingReplySent(const std::string& reference, Instant at, const std::string& actor,
                                   const std::string& detail) {
    Case c = load(reference);
    requireOpen(c);
    c.holdingReplySentAt = at;
    CaseEvent e{0, EventType::HoldingReplySent, at, actor, detail};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

Case CaseService::setHoldingReply(const std::string& reference, const std::string& reason,
                                  std::optional<Instant> newDate, Instant at, const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (c.repliedAt) throw InputError("case " + reference + " has already been answered");
    if (c.holdingReplySentAt) throw InputError("the holding reply for " + reference + " has already gone");
    if (!c.respondBy) throw InputError("case " + reference + " has no response date, so no holding reply");
    if (reason.empty()) throw InputError("a holding reply needs a reason to give the customer");
    if (reason.size() > 2000) throw InputError("the reason is too long (at most 2000 characters)");
    const ZoneRules& zone = ZoneRules::london();
    if (newDate && (*newDate <= *c.respondBy || *newDate <= at))
        throw InputError("the new date " + zone.formatRfc3339(*newDate) + " must be after the date already promised (" +
                         zone.formatRfc3339(*c.respondBy) + ") and after now");
    if (auto cap = responseCap(c); cap && newDate && *newDate > *cap)
        throw InputError(capMessage(_charters.get(c.charter), c, *newDate, *cap));
    c.holdingReason = reason;
    c.holdingNewDate = newDate;
    CaseEvent e{0, EventType::Note, at, actor,
                "the holding reply will say: " + reason +
                    (newDate ? "; new date " + formatDate(zone.toLocal(*newDate).date) : "; new date as the charter sets")};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

Case CaseService::reply(const std::string& reference, Instant at, const std::string& actor) {
    CaseChange change = answered(load(reference), at, actor, "");
    _store.updateCase(change.kase, change.events);
    change.kase.events.insert(change.kase.events.end(), change.events.begin(), change.events.end());
    return change.kase;
}

CaseChange CaseService::answered(Case c, Instant at, const std::string& actor, const std::string& detail) {
    requireOpen(c);
    if (c.repliedAt) throw InputError("case " + c.reference + " has already been answered");
    if (at < c.received) throw InputError("a reply cannot be sent before the item was received");
    c.repliedAt = at;
    std::vector<CaseEvent> events;
    if (c.pausedSince) {
        const int days = endPause(c, at);
        events.push_back({0, EventType::Resumed, at, actor, pauseWords(days) + "; answered"});
    }
    // A reply that answers the customer also acknowledges them, so no
    // automatic acknowledgement can follow the full answer.
    if (!c.acknowledgedAt) c.acknowledgedAt = at;
    recompute(c);
    events.push_back({0, EventType::Replied, at, actor, detail});
    return {std::move(c), std::move(events)};
}

CaseChange CaseService::holdingReplyGone(Case c, Instant at, Instant newDate, const std::string& actor,
                                         const std::string& detail) {
    c.holdingReplySentAt = at;
    c.holdingNewDate = newDate;
    return {std::move(c), {{0, EventType::HoldingReplySent, at, actor, detail}}};
}

Case CaseService::extend(const std::string& reference, int days, const std::string& reason, Instant at,
                         const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (days <= 0) throw InputError("an extension must be at least one working day");
    if (reason.empty()) throw InputError("an extension needs a reason to give the customer");
    if (c.repliedAt) throw InputError("case " + reference + " has already been answered");
    const std::optional<Instant> before = c.respondBy;
    c.extensionDays += days;
    recompute(c);  // throws when past the charter's maximum
    c.extensions.push_back(
        Extension{static_cast<int>(c.extensions.size()) + 1, days, reason, before, c.respondBy, actor, at});
    CaseEvent e{0, EventType::Extended, at, actor,
                std::to_string(days) + " working days: " + reason};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

std::optional<Instant> CaseService::responseCap(const Case& c) {
    if (!c.respondBy) return std::nullopt;
    DeadlineCalculator calc(_charters.get(c.charter));
    return calc.responseCap({c.channel, c.kind, c.received, c.acknowledgedAt, c.extensionDays, c.pausedDays});
}

CaseChange CaseService::holdingReplyAsExtension(Case c, Instant at, Instant newDate, const std::string& reason,
                                                const std::string& actor) {
    requireOpen(c);
    if (reason.empty()) throw InputError("a holding reply on a complaint is an extension and needs a reason");
    if (c.repliedAt) throw InputError("case " + c.reference + " has already been answered");
    if (!c.respondBy) throw InputError("case " + c.reference + " has no response date, so nothing to extend");
    const Charter& charter = _charters.get(c.charter);
    if (auto cap = responseCap(c); cap && newDate > *cap) throw InputError(capMessage(charter, c, newDate, *cap));
    const std::optional<Instant> before = c.respondBy;
    const int days = DeadlineCalculator(charter).pausedWorkingDays(*c.respondBy, newDate);
    if (days <= 0)
        throw InputError("the new date " + formatDate(ZoneRules::london().toLocal(newDate).date) +
                         " is not after the response date");
    c.extensionDays += days;
    recompute(c);  // throws when past the charter's maximum
    c.extensions.push_back(
        Extension{static_cast<int>(c.extensions.size()) + 1, days, reason, before, c.respondBy, actor, at});
    c.holdingReplySentAt = at;
    c.holdingNewDate = c.respondBy;
    std::vector<CaseEvent> events{
        {0, EventType::Extended, at, actor, std::to_string(days) + " working days: " + reason},
    };
    return {std::move(c), std::move(events)};
}

Case CaseService::escalate(const std::string& reference, const std::string& officerId, Instant at,
                           const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (c.kind != Kind::ComplaintStage1)
        throw InputError("case " + reference + " is a " + std::string(kindName(c.kind)) +
                         "; only a stage 1 complaint can be escalated to stage 2");
    const auto officer = _store.officer(officerId);
    if (!officer) throw InputError("no officer with id \"" + officerId + "\"");
    if (officerId == c.officerId)
        throw InputError("stage 2 must be handled by someone other than the stage 1 officer (" + officerId + ")");
    requireStage2Role(_charters.get(c.charter), *officer);
    const std::string stage1Officer = c.officerId;
    c.stage1OfficerId = stage1Officer;
    // Stage 1's clock as it stood, for stage 1 reports.
    c.stage1 = Stage1Dates{c.received, c.acknowledgedAt, c.respondBy, c.repliedAt, c.extensionDays};
    c.kind = Kind::ComplaintStage2;
    c.officerId = officerId;
    c.received = at;  // stage 2 is counted from the request to escalate
    c.acknowledgedAt.reset();
    c.holdingReplySentAt.reset();
    c.repliedAt.reset();
    c.extensionDays = 0;
    c.pausedSince.reset();  // stage 2 starts its own clock
    c.pausedDays = 0;
    recompute(c);
    std::vector<CaseEvent> events{
        {0, EventType::EscalatedToStage2, at, actor, "stage 1 handled by " + (stage1Officer.empty() ? "nobody" : stage1Officer)},
        {0, EventType::Assigned, at, actor, officerId}};
    _store.updateCase(c, events);
    c.events.insert(c.events.end(), events.begin(), events.end());
    return c;
}

CaseChange CaseService::escalationRefused(Case c, const std::string& reason, Instant at, const std::string& actor) {
    requireOpen(c);
    if (c.kind != Kind::ComplaintStage1)
        throw InputError("case " + c.reference + " is a " + std::string(kindName(c.kind)) +
                         "; only a stage 1 complaint's escalation can be refused");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("say why stage 2 is refused, in words the customer will understand");
    if (reason.size() > 20000) throw InputError("the reasons are too long (at most 20,000 characters)");
    c.state = CaseState::Closed;
    c.closedAt = at;
    std::vector<CaseEvent> events{{0, EventType::Note, at, actor, "stage 2 refused: " + reason},
                                  {0, EventType::Closed, at, actor, "stage 2 refused"}};
    return {std::move(c), std::move(events)};
}

Case CaseService::reclassify(const std::string& reference, Kind kind, const std::string& reason, Instant at,
                             const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (c.repliedAt) throw InputError("case " + reference + " has already been answered");
    if (kind == c.kind) throw InputError("case " + reference + " is already a " + std::string(kindName(kind)));
    if (kind == Kind::ComplaintStage2)
        throw InputError("a case goes to stage 2 by escalation (duly case escalate " + reference +
                         " --officer ID), which chooses the stage 2 officer");
    if (c.kind == Kind::ComplaintStage2)
        throw InputError("case " + reference + " is a stage 2 complaint and cannot be reclassified");
    if (at < c.received) throw InputError("a case cannot be reclassified before it was received");
    if (reason.size() > 2000) throw InputError("the reason is too long (at most 2000 characters)");
    const Kind before = c.kind;
    c.kind = kind;
    // The acknowledgement of the old kind does not acknowledge the new one:
    // the new kind's acknowledgement is due (by the new rule, counted from
    // receipt) and a complaint's response counts from it.
    c.acknowledgedAt.reset();
    // A holding reply, an extension or a pause belonged to the old clock.
    c.holdingReplySentAt.reset();
    c.holdingNewDate.reset();
    c.holdingReason.clear();
    c.extensionDays = 0;
    std::vector<CaseEvent> events;
    if (c.pausedSince) {
        const int days = endPause(c, at);
        events.push_back({0, EventType::Resumed, at, actor, pauseWords(days) + "; reclassified"});
    }
    c.pausedDays = 0;
    recompute(c);
    events.push_back({0, EventType::Reclassified, at, actor,
                      std::string(kindName(before)) + " → " + std::string(kindName(kind)) +
                          (reason.empty() ? "" : ": " + reason)});
    _store.updateCase(c, events);
    c.events.insert(c.events.end(), events.begin(), events.end());
    return c;
}

Case CaseService::close(const std::string& reference, Instant at, const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    std::vector<CaseEvent> events;
    closeCase(c, at, actor, "", events);
    _store.updateCase(c, events);
    c.events.insert(c.events.end(), events.begin(), events.end());
    return c;
}

void CaseService::closeCase(Case& c, Instant at, const std::string& actor, const std::string& detail,
                            std::vector<CaseEvent>& events) {
    c.state = CaseState::Closed;
    c.closedAt = at;
    if (c.pausedSince) {
        const int days = endPause(c, at);
        events.push_back({0, EventType::Resumed, at, actor, pauseWords(days) + "; closed"});
    }
    events.push_back({0, EventType::Closed, at, actor, detail});
}

Case CaseService::recordCall(const std::string& reference, const CallRecord& record) {
    Case c = load(reference);
    requireOpen(c);
    const std::optional<Customer> customer = c.customerRef.empty() ? std::nullopt : _store.customer(c.customerRef);
    const std::string phone = numberToCall(c, customer.value_or(Customer{}));
    if (phone.empty())
        throw InputError("case " + reference + " has no number to call: the customer has no phone number and none was "
                         "taken with the case");
    if (record.at < c.received) throw InputError("a call cannot be recorded before the case was received");
    if (record.note.size() > 2000) throw InputError("the note is too long (at most 2000 characters)");
    Call call;
    call.number = static_cast<int>(c.calls.size()) + 1;
    call.at = record.at;
    call.actor = record.actor;
    call.phone = phone;
    call.outcome = record.outcome;
    call.purpose = isCallCase(c) ? "respond" : (c.acknowledgedAt ? "other" : "acknowledge");
    call.note = record.note;
    c.calls.push_back(call);

    const bool blank = record.note.find_first_not_of(" \t\r\n") == std::string::npos;
    std::string said = "phoned " + phone + ": ";
    switch (record.outcome) {
        case CallOutcome::Answered: said += "answered"; break;
        case CallOutcome::NoAnswer: said += "no answer"; break;
        case CallOutcome::LeftMessage: said += "no answer, message left"; break;
    }
    if (record.outcome != CallOutcome::Answered) said += " (call " + std::to_string(unansweredCalls(c)) + " not answered)";
    if (!blank) said += " — " + record.note;
    std::vector<CaseEvent> events{{0, EventType::Note, record.at, record.actor, said}};

    if (record.outcome == CallOutcome::Answered) {
        if (isCallCase(c) && !c.repliedAt) {
            CaseChange change = answered(std::move(c), record.at, record.actor, "by phone");
            c = std::move(change.kase);
            events.insert(events.end(), change.events.begin(), change.events.end());
            if (!record.keepOpen) closeCase(c, record.at, record.actor, "the call answered the message", events);
        } else if (!c.acknowledgedAt && !isComplaint(c.kind)) {
            // (A complaint is acknowledged in writing: the call does not.)
            c.acknowledgedAt = record.at;
            recompute(c);
            std::string detail = "by phone";
            // The reply date the officer gives on the phone is a date given
            // like any other: later letters quote it.
            if (c.respondBy) {
                c.datesGiven.push_back(DateGiven{"acknowledgement-call-" + std::to_string(call.number), *c.respondBy,
                                                 record.at});
                detail += "; reply date given: " + formatDate(ZoneRules::london().toLocal(*c.respondBy).date);
            }
            events.push_back({0, EventType::Acknowledged, record.at, record.actor, detail});
        }
    }
    _store.updateCase(c, events);
    c.events.insert(c.events.end(), events.begin(), events.end());
    return c;
}

Case CaseService::setUrgent(const std::string& reference, bool urgent, const std::string& reason, Instant at,
                             const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (c.urgent == urgent)
        throw InputError("case " + reference + (urgent ? " is already marked urgent" : " is not marked urgent"));
    if (reason.size() > 2000) throw InputError("the reason is too long (at most 2000 characters)");
    c.urgent = urgent;
    const std::string why = reason.find_first_not_of(" \t\r\n") == std::string::npos ? "" : ": " + reason;
    const CaseEvent e{0, EventType::Note, at, actor, (urgent ? "marked urgent" : "no longer urgent") + why};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

int CaseService::endPause(Case& c, Instant at) {
    if (!c.pausedSince) return 0;
    const int days = DeadlineCalculator(_charters.get(c.charter)).pausedWorkingDays(*c.pausedSince, at);
    c.pausedDays += days;
    c.pausedSince.reset();
    recompute(c);
    return days;
}

Case CaseService::resumedAt(const Case& c, Instant at) {
    Case copy = c;
    endPause(copy, at);
    return copy;
}

Case CaseService::waitOnCustomer(const std::string& reference, const std::string& waitingFor, Instant at,
                                 const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    const Charter& charter = _charters.get(c.charter);
    const CharterRule* rule = charter.ruleFor(c.channel, c.kind);
    if (!rule || !rule->clockPausesOnCustomer)
        throw InputError("the " + charter.organisation + " charter does not let the clock pause for " +
                         std::string(kindName(c.kind)) + " by " + std::string(channelName(c.channel)) +
                         "; ask for more time or send a holding reply instead");
    if (!c.respondBy) throw InputError("case " + reference + " has no response date, so there is no clock to pause");
    if (c.repliedAt) throw InputError("case " + reference + " has already been answered");
    if (c.pausedSince)
        throw InputError("case " + reference + " has been waiting on the customer since " +
                         formatDate(ZoneRules::london().toLocal(*c.pausedSince).date));
    if (at < c.received) throw InputError("the clock cannot pause before the item was received");
    // A pause stops a running clock; it cannot undo a date already missed.
    if (*c.respondBy < at)
        throw InputError("the answer was due " + formatDate(ZoneRules::london().toLocal(*c.respondBy).date) +
                         ", so the clock has run out and cannot pause; send the answer or a holding reply");
    if (waitingFor.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("say what the customer has been asked for");
    if (waitingFor.size() > 2000) throw InputError("what the customer was asked for is too long (at most 2000 characters)");
    c.pausedSince = at;
    CaseEvent e{0, EventType::WaitingOnCustomer, at, actor, waitingFor};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

Case CaseService::resume(const std::string& reference, Instant at, const std::string& actor) {
    Case c = load(reference);
    requireOpen(c);
    if (!c.pausedSince) throw InputError("case " + reference + " is not waiting on the customer");
    if (at < *c.pausedSince) throw InputError("the clock cannot resume before it paused");
    const int days = endPause(c, at);
    const ZoneRules& zone = ZoneRules::london();
    CaseEvent e{0, EventType::Resumed, at, actor,
                pauseWords(days) + (c.respondBy ? "; answer now due " + formatDate(zone.toLocal(*c.respondBy).date) : "")};
    _store.updateCase(c, {e});
    c.events.push_back(e);
    return c;
}

}  // namespace duly::engine

namespace duly::engine {

namespace {

// Text an officer typed: required or not, at most `max` bytes, one line
// unless `lines` (no control characters but line breaks then).
std::string checkedText(const std::string& value, const std::string& what, std::size_t max, bool required,
                        bool lines = false) {
    const auto first = value.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        if (required) throw InputError(what + " is required");
        return {};
    }
    const auto last = value.find_last_not_of(" \t\r\n");
    std::string v = value.substr(first, last - first + 1);
    if (v.size() > max) throw InputError(what + " is too long (at most " + std::to_string(max) + " characters)");
    for (unsigned char ch : v)
        if ((ch < 0x20 && !(lines && (ch == '\n' || ch == '\r' || ch == '\t'))) || ch == 0x7f)
            throw InputError(what + " holds a control character");
    return v;
}

std::string representativeWords(const Representative& r) {
    return r.name + " (" + std::string(representativeKindName(r.kind)) + ")";
}

}  // namespace

Case CaseService::setRepresentative(const std::string& reference, Representative r, Instant at,
                                    const std::string& actor) {
    Case c = load(reference);
    r.name = checkedText(r.name, "the representative's name", 200, true);
    r.salutation = checkedText(r.salutation, "the representative's salutation", 200, false);
    r.email = checkedText(r.email, "the representative's email address", 254, false);
    if (!r.email.empty()) {
        const auto atSign = r.email.find('@');
        if (atSign == std::string::npos || atSign == 0 || atSign + 1 == r.email.size() ||
            r.email.find_first_of(" ,;<>\"") != std::string::npos || r.email.find('@', atSign + 1) != std::string::npos)
            throw InputError("the representative's email address \"" + r.email + "\" is not an address such as name@example.org");
    }
    std::vector<std::string> address;
    for (const auto& line : r.address)
        if (auto l = checkedText(line, "a line of the representative's address", 200, false); !l.empty())
            address.push_back(l);
    if (address.size() > 6) throw InputError("the representative's address has more than 6 lines");
    if (address.size() == 1) throw InputError("the representative's address needs more than one line (with the postcode last)");
    r.address = std::move(address);
    if (r.email.empty() && r.address.empty())
        throw InputError("the representative needs an email address or a postal address for their letters");
    r.consentHow = checkedText(r.consentHow, "how the customer gave consent", 200, false);
    if (r.consentHow.empty() || r.consentAt == Instant{})
        throw InputError("a representative needs the customer's consent: record when it was given and how "
                         "(a signed form, a phone call, an email)");
    if (r.consentAt > at) throw InputError("the consent is dated after now (" + ZoneRules::london().formatRfc3339(r.consentAt) + ")");
    r.addedBy = actor;
    r.addedAt = at;
    const bool replacing = c.representative.has_value();
    CaseEvent e{0, EventType::Representative, at, actor,
                std::string(replacing ? "representative changed to " : "representative added: ") + representativeWords(r) +
                    "; consent " + formatDate(ZoneRules::london().toLocal(r.consentAt).date) + " by " + r.consentHow +
                    "; letters " + (r.sendTo == SendTo::Copy ? "to the customer with a copy to them" : "to them only")};
    _store.setRepresentative(c.reference, r, e);
    c.representative = std::move(r);
    c.events.push_back(e);
    return c;
}

Case CaseService::removeRepresentative(const std::string& reference, const std::string& reason, Instant at,
                                       const std::string& actor) {
    Case c = load(reference);
    if (!c.representative) throw InputError("case " + reference + " has no representative to remove");
    const std::string why = checkedText(reason, "the reason", 2000, false);
    CaseEvent e{0, EventType::Representative, at, actor,
                "representative removed: " + representativeWords(*c.representative) + (why.empty() ? "" : "; " + why)};
    _store.setRepresentative(c.reference, std::nullopt, e);
    c.representative.reset();
    c.events.push_back(e);
    return c;
}

Case CaseService::addRemedy(const std::string& reference, Remedy r, Instant at, const std::string& actor) {
    Case c = load(reference);
    const std::string kind(remedyKindName(r.kind));
    const bool payment = r.kind == RemedyKind::Goodwill || r.kind == RemedyKind::Compensation;
    r.detail = checkedText(r.detail,
                           r.kind == RemedyKind::Action ? "what was promised (the action)"
                           : payment                    ? "the reason for the " + kind + " payment"
                                                        : "the apology's words",
                           2000, r.kind != RemedyKind::Apology, true);
    if (r.kind == RemedyKind::Action && !r.dueBy) throw InputError("an action needs the date it is promised by");
    if (r.kind != RemedyKind::Action && r.dueBy) throw InputError("only an action has a date it is promised by");
    if (payment && r.amountPence <= 0) throw InputError("a " + kind + " payment needs an amount of more than £0.00");
    if (payment && r.amountPence > 100'000'000) throw InputError("the amount is more than £1,000,000.00");
    if (!payment && r.amountPence != 0) throw InputError("only a goodwill payment or compensation has an amount");
    r.id = 0;
    r.actor = actor;
    r.at = at;
    std::string words = kind;
    if (payment) words += " " + poundsText(r.amountPence);
    if (r.dueBy) words += " by " + formatDate(*r.dueBy);
    if (!r.detail.empty()) words += ": " + r.detail;
    CaseEvent e{0, EventType::Remedy, at, actor, words};
    r = _store.addRemedy(c.reference, r, e);
    c.remedies.push_back(r);
    c.events.push_back(e);
    return c;
}

Case CaseService::recordReferral(const std::string& reference, std::optional<Instant> referredAt,
                                 const std::string& outcome, std::optional<Instant> outcomeAt, Instant at,
                                 const std::string& actor) {
    Case c = load(reference);
    const ZoneRules& zone = ZoneRules::london();
    if (!referredAt && outcome.empty() && !outcomeAt)
        throw InputError("give the date the case was referred to the ombudsman, or the outcome and its date");
    Referral r = c.referral.value_or(Referral{});
    std::string words;
    if (referredAt) {
        if (*referredAt > at) throw InputError("the referral is dated after now");
        if (zone.toLocal(*referredAt).date < zone.toLocal(c.received).date)
            throw InputError("the referral is dated before the case was received");
        r.referredAt = *referredAt;
        words = "referred to the ombudsman on " + formatDate(zone.toLocal(*referredAt).date);
    } else if (!c.referral) {
        throw InputError("case " + reference + " has not been referred to the ombudsman: give the date it was referred first");
    }
    if (!outcome.empty() || outcomeAt) {
        const auto& known = referralOutcomes();
        if (std::find(known.begin(), known.end(), outcome) == known.end()) {
            std::string list;
            for (const auto& o : known) list += (list.empty() ? "" : ", ") + o;
            throw InputError(outcome.empty() ? "an outcome's date needs the outcome (one of " + list + ")"
                                             : "unknown outcome \"" + outcome + "\" (expected one of " + list + ")");
        }
        if (!outcomeAt) throw InputError("the outcome needs the date the ombudsman decided");
        if (*outcomeAt > at) throw InputError("the outcome is dated after now");
        if (*outcomeAt < r.referredAt) throw InputError("the outcome is dated before the referral");
        r.outcome = outcome;
        r.outcomeAt = outcomeAt;
        words += std::string(words.empty() ? "" : "; ") + "ombudsman's outcome: " + outcome + " on " +
                 formatDate(zone.toLocal(*outcomeAt).date);
    } else if (r.outcomeAt && r.outcomeAt < r.referredAt) {
        throw InputError("the referral would be dated after its outcome");
    }
    r.actor = actor;
    CaseEvent e{0, EventType::Referral, at, actor, words};
    _store.setReferral(c.reference, r, e);
    c.referral = r;
    c.events.push_back(e);
    return c;
}

}  // namespace duly::engine
