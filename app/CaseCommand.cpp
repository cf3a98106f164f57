// duly case: open, show, list and change cases from the command line. Every
// change goes through CaseService, so deadlines follow the charter.
#include "Command.h"
#include "Json.h"
#include "Wiring.h"

#include "Config.h"
#include "EscalationRefusal.h"

#include "duly/flow/MailSettings.h"
#include "duly/engine/CaseService.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/Dispatch.h"
#include "duly/engine/InputError.h"

#include <ostream>

using namespace duly::engine;
using duly::app::jsonOptional;
using duly::app::jsonString;

namespace {

const char* kUsage = R"(Usage: duly case ACTION [ARGS]

  open     --charter NAME --channel CHANNEL --kind KIND [--received TIME] [--customer REF]
           [--officer ID] [--subject TEXT] [--body TEXT] [--phone NUMBER] [--urgent] [--json]
           a phone message or call-back request: --channel phone-message, --phone the number
           to call back (else the customer's), --subject what it is about
  show     REF [--json]
  list     [--officer ID] [--state open|closed|all] [--limit N] [--json]
  assign   REF --officer ID
  ack      REF [--at TIME]                 the acknowledgement was sent
  reply    REF [--at TIME]                 the full reply was sent
  extend   REF --days N --reason TEXT [--at TIME]
  holding  REF --reason TEXT [--new-date TIME]   what the holding reply will say (sent by duly tick)
  escalate REF --officer ID [--at TIME]    open stage 2 of a stage 1 complaint
  refuse-escalation REF --reason TEXT [--at TIME]
                                           decline stage 2 of a stage 1 complaint: sends the refusal
                                           letter (the reasons and the ombudsman's details), closes the case
  reclassify REF --kind KIND [--reason TEXT] [--at TIME]
                                           change the kind (an enquiry that is a complaint): the clock
                                           is recomputed from receipt and the new kind acknowledged
  wait     REF --for TEXT [--at TIME]      pause the clock while waiting on the customer (where the charter allows)
  resume   REF [--at TIME]                 the customer came back: the clock runs again
  close    REF [--at TIME]
  call     REF --outcome answered|no-answer|left-message [--note TEXT] [--keep-open] [--at TIME]
                                           record a call made on the case: an answered call acknowledges
                                           it, and answers and closes a phone message (unless --keep-open)
  urgent   REF [--reason TEXT] [--off] [--at TIME]
                                           mark the case urgent (first in every queue and digest), or --off
  representative REF --name TEXT --kind advocate|relative|mp|solicitor|other
           [--salutation TEXT] [--email ADDRESS] [--address "LINE, LINE, POSTCODE"]
           --consent-at TIME --consent-how TEXT [--send-to copy|representative-only]
                                           someone acting for the customer, with their consent: letters go
                                           to the customer with a copy to them, or to them only
  representative REF --remove [--reason TEXT]
  remedy   REF --kind apology|action|goodwill|compensation [--detail TEXT] [--by DATE] [--amount POUNDS]
                                           an apology; an action promised (--detail what, --by date); a
                                           goodwill payment or compensation (--amount 50.00, --detail reason)
  referral REF [--referred-at TIME] [--outcome OUTCOME --outcome-at TIME]
                                           the case taken to the ombudsman, and later its outcome

Options for every action:
  --as ID       who is acting (default: $DULY_ACTOR or "cli"), written in the case history
  --now TIME    the current time (default: $DULY_NOW or the clock), RFC 3339
Times are RFC 3339 (2026-11-23T10:00:00Z). Exit status: 0 success, 2 bad input.
)";

// A time (RFC 3339) or a date (taken as the start of that London day).
Instant timeOrDate(const std::string& text, const std::string& option) {
    if (text.size() == 10) return ZoneRules::london().toInstant(parseDate(text, option), Minutes{0});
    return parseRfc3339(text, option);
}

std::string when(const std::optional<Instant>& t) {
    return t ? ZoneRules::london().formatRfc3339(*t) : std::string();
}

std::string caseJson(const Case& c, bool full) {
    duly::app::JsonObject o;
    auto opt = [](const std::optional<Instant>& t) {
        return jsonOptional(t ? std::optional(ZoneRules::london().formatRfc3339(*t)) : std::nullopt);
    };
    o.add("reference", jsonString(c.reference))
        .add("charter", jsonString(c.charter))
        .add("brand", jsonString(c.brand))
        .add("channel", jsonString(channelName(c.channel)))
        .add("kind", jsonString(kindName(c.kind)))
        .add("state", jsonString(caseStateName(c.state)))
        .add("customer", c.customerRef.empty() ? "null" : jsonString(c.customerRef))
        .add("officer", c.officerId.empty() ? "null" : jsonString(c.officerId))
        .add("subject", jsonString(c.subject))
        .add("received", jsonString(ZoneRules::london().formatRfc3339(c.received)))
        .add("counted_from", jsonString(formatDate(c.countedFrom)))
        .add("acknowledge_by", opt(c.acknowledgeBy))
        .add("respond_by", opt(c.respondBy))
        .add("holding_reply_by", opt(c.holdingReplyBy))
        .add("acknowledged_at", opt(c.acknowledgedAt))
        .add("holding_reply_sent_at", opt(c.holdingReplySentAt))
        .add("replied_at", opt(c.repliedAt))
        .add("closed_at", opt(c.closedAt))
        .add("extension_days", std::to_string(c.extensionDays))
        .add("paused_since", opt(c.pausedSince))
        .add("paused_days", std::to_string(c.pausedDays))
        .add("urgent", c.urgent ? "true" : "false")
        .add("call_number", jsonString(c.callNumber));
    if (c.stage1) {
        // Stage 1 of a complaint now at stage 2: its dates as they stood.
        o.add("stage1_received", opt(c.stage1->received))
            .add("stage1_acknowledged_at", opt(c.stage1->acknowledgedAt))
            .add("stage1_respond_by", opt(c.stage1->respondBy))
            .add("stage1_replied_at", opt(c.stage1->repliedAt))
            .add("stage1_extension_days", std::to_string(c.stage1->extensionDays));
    }
    if (full) {
        std::string events = "[";
        for (const auto& e : c.events) {
            duly::app::JsonObject eo;
            eo.add("type", jsonString(eventTypeName(e.type)))
                .add("at", jsonString(ZoneRules::london().formatRfc3339(e.at)))
                .add("actor", jsonString(e.actor))
                .add("detail", jsonString(e.detail));
            events += (events.size() > 1 ? "," : "") + eo.str();
        }
        o.add("events", events + "]");
        std::string items = "[";
        for (const auto& i : c.items) {
            duly::app::JsonObject io;
            io.add("channel", jsonString(channelName(i.channel)))
                .add("received", jsonString(ZoneRules::london().formatRfc3339(i.received)))
                .add("from", jsonString(i.from))
                .add("subject", jsonString(i.subject))
                .add("source", jsonString(i.source));
            items += (items.size() > 1 ? "," : "") + io.str();
        }
        o.add("items", items + "]");
        std::string calls = "[";
        for (const auto& call : c.calls) {
            duly::app::JsonObject co;
            co.add("number", std::to_string(call.number))
                .add("at", jsonString(ZoneRules::london().formatRfc3339(call.at)))
                .add("actor", jsonString(call.actor))
                .add("phone", jsonString(call.phone))
                .add("outcome", jsonString(callOutcomeName(call.outcome)))
                .add("purpose", jsonString(call.purpose))
                .add("note", jsonString(call.note));
            calls += (calls.size() > 1 ? "," : "") + co.str();
        }
        o.add("calls", calls + "]");
        if (c.representative) {
            const auto& r = *c.representative;
            std::string address = "[";
            for (const auto& l : r.address) address += (address.size() > 1 ? "," : "") + jsonString(l);
            duly::app::JsonObject ro;
            ro.add("kind", jsonString(representativeKindName(r.kind)))
                .add("name", jsonString(r.name))
                .add("email", jsonString(r.email))
                .add("address", address + "]")
                .add("consent_at", jsonString(ZoneRules::london().formatRfc3339(r.consentAt)))
                .add("consent_how", jsonString(r.consentHow))
                .add("send_to", jsonString(sendToName(r.sendTo)));
            o.add("representative", ro.str());
        } else {
            o.add("representative", "null");
        }
        std::string remedies = "[";
        for (const auto& m : c.remedies) {
            duly::app::JsonObject mo;
            mo.add("kind", jsonString(remedyKindName(m.kind)))
                .add("detail", jsonString(m.detail))
                .add("due_by", jsonOptional(m.dueBy ? std::optional(formatDate(*m.dueBy)) : std::nullopt))
                .add("amount_pence", std::to_string(m.amountPence))
                .add("actor", jsonString(m.actor))
                .add("at", jsonString(ZoneRules::london().formatRfc3339(m.at)));
            remedies += (remedies.size() > 1 ? "," : "") + mo.str();
        }
        o.add("remedies", remedies + "]");
        if (c.referral) {
            duly::app::JsonObject fo;
            fo.add("referred_at", jsonString(ZoneRules::london().formatRfc3339(c.referral->referredAt)))
                .add("outcome", c.referral->outcome.empty() ? "null" : jsonString(c.referral->outcome))
                .add("outcome_at", jsonOptional(c.referral->outcomeAt
                                                    ? std::optional(ZoneRules::london().formatRfc3339(*c.referral->outcomeAt))
                                                    : std::nullopt));
            o.add("referral", fo.str());
        } else {
            o.add("referral", "null");
        }
    }
    return o.str();
}

void printCase(std::ostream& out, const Case& c) {
    auto line = [&](const std::string& label, const std::string& value) {
        if (value.empty()) return;
        out << "  " << label << std::string(label.size() < 18 ? 18 - label.size() : 1, ' ') << value << "\n";
    };
    out << c.reference << "  " << c.subject << "\n";
    line("state", std::string(caseStateName(c.state)) + (c.urgent ? ", URGENT" : ""));
    line("charter", c.charter);
    line("brand", c.brand);  // the mailbox's; empty: none
    line("item", std::string(channelName(c.channel)) + ", " + std::string(kindName(c.kind)));
    line("customer", c.customerRef.empty() ? "unknown (awaiting triage)" : c.customerRef);
    line("officer", c.officerId.empty() ? "unassigned" : c.officerId);
    line("received", when(c.received));
    line("counted from", formatDate(c.countedFrom));
    line("acknowledge by", c.acknowledgeBy ? when(c.acknowledgeBy) : "no promise");
    line("respond by", c.respondBy ? when(c.respondBy) : "no promise");
    line("holding reply by", when(c.holdingReplyBy));
    line("acknowledged", when(c.acknowledgedAt));
    line("holding reply", when(c.holdingReplySentAt));
    line("replied", when(c.repliedAt));
    line("closed", when(c.closedAt));
    if (c.extensionDays) line("extension", std::to_string(c.extensionDays) + " working days");
    if (c.pausedSince) line("waiting since", when(c.pausedSince) + " (clock paused)");
    if (c.pausedDays) line("paused", std::to_string(c.pausedDays) + " working days");
    line("call back on", c.callNumber);
    for (const auto& call : c.calls)
        line("call " + std::to_string(call.number),
             when(call.at) + "  " + call.phone + "  " + std::string(callOutcomeName(call.outcome)) + "  " + call.actor +
                 (call.note.empty() ? "" : "  " + call.note));
    if (const auto& r = c.representative) {
        line("representative", r->name + " (" + std::string(representativeKindName(r->kind)) + ")" +
                                   (r->email.empty() ? "" : ", " + r->email));
        line("consent", formatDate(ZoneRules::london().toLocal(r->consentAt).date) + ", " + r->consentHow);
        line("letters", r->sendTo == SendTo::Copy ? "to the customer, a copy to the representative"
                                                  : "to the representative only");
    }
    for (const auto& m : c.remedies) {
        std::string words(remedyKindName(m.kind));
        if (m.amountPence) words += " " + poundsText(m.amountPence);
        if (m.dueBy) words += " by " + formatDate(*m.dueBy);
        if (!m.detail.empty()) words += ": " + m.detail;
        line("remedy", words);
    }
    if (c.referral)
        line("ombudsman", "referred " + formatDate(ZoneRules::london().toLocal(c.referral->referredAt).date) +
                              (c.referral->outcomeAt ? "; " + c.referral->outcome + " " +
                                                           formatDate(ZoneRules::london().toLocal(*c.referral->outcomeAt).date)
                                                     : std::string("; no outcome yet")));
    if (!c.events.empty()) {
        out << "  history\n";
        for (const auto& e : c.events)
            out << "    " << when(e.at) << "  " << eventTypeName(e.type) << "  " << e.actor
                << (e.detail.empty() ? "" : "  " + e.detail) << "\n";
    }
}

int runCase(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const std::string action = a.positional(0, "an action (open, show, list, assign, ack, reply, extend, holding, escalate, refuse-escalation, reclassify, wait, resume, close, urgent, representative, remedy, referral)");
    const Instant nowAt = duly::app::now(a);
    const std::string who = duly::app::actor(a);
    auto store = duly::app::openStore(ctx);
    CharterBook charters(ctx.home);
    CaseService service(*store, charters);

    if (action == "open") {
        OpenCaseRequest req;
        req.charter = a.required("charter");
        charters.get(req.charter);  // an unknown charter is reported first
        req.channel = parseChannel(a.required("channel"));
        req.kind = parseKind(a.required("kind"));
        req.received = nowAt;
        if (auto r = a.option("received")) req.received = parseRfc3339(*r, "--received");
        req.customerRef = a.option("customer").value_or("");
        req.officerId = a.option("officer").value_or("");
        req.subject = a.option("subject").value_or("");
        req.body = a.option("body").value_or("");
        req.callNumber = a.option("phone").value_or("");
        req.urgent = a.flag("urgent");
        req.actor = who;
        const bool json = a.flag("json");
        a.finish();
        Case c = service.open(req);
        if (json) ctx.out << caseJson(c, false) << "\n";
        else ctx.out << c.reference << "\n";
        return 0;
    }
    if (action == "list") {
        CaseFilter filter;
        filter.officerId = a.option("officer");
        std::string state = a.option("state").value_or("open");
        if (state != "all") {
            auto s = caseStateFromName(state);
            if (!s) throw InputError("--state: expected open, closed or all, found \"" + state + "\"");
            filter.state = *s;
        }
        if (auto l = a.option("limit")) filter.limit = static_cast<std::size_t>(duly::app::wholeNumber(*l, "--limit"));
        const bool json = a.flag("json");
        a.finish();
        auto cases = store->listCases(filter);
        if (json) {
            std::string out = "[";
            for (const auto& c : cases) out += (out.size() > 1 ? "," : "") + caseJson(c, false);
            ctx.out << out << "]\n";
        } else {
            for (const auto& c : cases)
                ctx.out << c.reference << "  " << caseStateName(c.state) << "  " << kindName(c.kind) << "  "
                        << (c.officerId.empty() ? "unassigned" : c.officerId) << "  " << c.subject << "\n";
            if (cases.empty()) ctx.out << "no cases\n";
        }
        return 0;
    }

    // Read after the action's options, so an option's value is never taken for it.
    auto ref = [&] { return a.positional(1, "a case reference"); };
    Case c;
    if (action == "show") {
        const bool json = a.flag("json");
        a.finish();
        auto found = store->findCase(ref());
        if (!found) throw InputError("no case with reference \"" + ref() + "\"");
        if (json) ctx.out << caseJson(*found, true) << "\n";
        else printCase(ctx.out, *found);
        return 0;
    } else if (action == "assign") {
        std::string officer = a.required("officer");
        a.finish();
        c = service.assign(ref(), officer, nowAt, who);
    } else if (action == "ack") {
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.acknowledge(ref(), at, who);
    } else if (action == "reply") {
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.reply(ref(), at, who);
    } else if (action == "extend") {
        int days = duly::app::wholeNumber(a.required("days"), "--days");
        std::string reason = a.required("reason");
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.extend(ref(), days, reason, at, who);
    } else if (action == "holding") {
        std::string reason = a.required("reason");
        std::optional<Instant> newDate;
        if (auto d = a.option("new-date")) newDate = parseRfc3339(*d, "--new-date");
        a.finish();
        c = service.setHoldingReply(ref(), reason, newDate, nowAt, who);
    } else if (action == "call") {
        CallRecord call;
        const std::string outcome = a.required("outcome");
        const auto parsed = callOutcomeFromName(outcome);
        if (!parsed)
            throw InputError("--outcome: expected answered, no-answer or left-message, found \"" + outcome + "\"");
        call.outcome = *parsed;
        call.note = a.option("note").value_or("");
        call.keepOpen = a.flag("keep-open");
        call.at = duly::app::atOption(a, nowAt);
        call.actor = who;
        a.finish();
        c = service.recordCall(ref(), call);
    } else if (action == "escalate") {
        std::string officer = a.required("officer");
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.escalate(ref(), officer, at, who);
    } else if (action == "refuse-escalation") {
        const std::string reason = a.required("reason");
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        auto* ledger = dynamic_cast<MailLedger*>(store.get());
        if (!ledger) throw std::logic_error("the store keeps no outbox");
        const auto config = duly::app::loadConfig(ctx.home, std::nullopt);
        const Renderer renderer(ctx.home);
        duly::flow::Dispatch dispatch(renderer, *store, charters, duly::flow::senderIdentity(config.mail));
        c = duly::app::refuseEscalation(*store, *ledger, service, dispatch, ref(), reason, at, who).kase;
    } else if (action == "reclassify") {
        const std::string kindText = a.required("kind");
        const auto kind = kindFromName(kindText);
        if (!kind) throw InputError("--kind: unknown kind \"" + kindText + "\" (accepted: " + acceptedKinds() + ")");
        const std::string reason = a.option("reason").value_or("");
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.reclassify(ref(), *kind, reason, at, who);
    } else if (action == "wait") {
        std::string waitingFor = a.required("for");
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.waitOnCustomer(ref(), waitingFor, at, who);
    } else if (action == "resume") {
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.resume(ref(), at, who);
    } else if (action == "close") {
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.close(ref(), at, who);
    } else if (action == "urgent") {
        const bool off = a.flag("off");
        const std::string reason = a.option("reason").value_or("");
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.setUrgent(ref(), !off, reason, at, who);
    } else if (action == "representative") {
        if (a.flag("remove")) {
            const std::string reason = a.option("reason").value_or("");
            a.finish();
            c = service.removeRepresentative(ref(), reason, nowAt, who);
        } else {
            Representative r;
            r.name = a.required("name");
            const std::string kindText = a.required("kind");
            const auto kind = representativeKindFromName(kindText);
            if (!kind)
                throw InputError("--kind: unknown kind of representative \"" + kindText +
                                 "\" (accepted: advocate, relative, mp, solicitor, other)");
            r.kind = *kind;
            r.salutation = a.option("salutation").value_or("");
            r.email = a.option("email").value_or("");
            if (auto address = a.option("address")) {
                std::size_t start = 0;
                while (start <= address->size()) {
                    auto end = address->find_first_of(",\n", start);
                    if (end == std::string::npos) end = address->size();
                    r.address.push_back(address->substr(start, end - start));
                    start = end + 1;
                }
            }
            const auto consentAt = a.option("consent-at");
            const auto consentHow = a.option("consent-how");
            if (!consentAt || !consentHow)
                throw InputError("a representative needs the customer's consent: give --consent-at (when it was given) "
                                 "and --consent-how (a signed form, a phone call, an email)");
            r.consentAt = timeOrDate(*consentAt, "--consent-at");
            r.consentHow = *consentHow;
            const std::string sendTo = a.option("send-to").value_or("copy");
            const auto to = sendToFromName(sendTo);
            if (!to) throw InputError("--send-to: expected copy or representative-only, found \"" + sendTo + "\"");
            r.sendTo = *to;
            a.finish();
            c = service.setRepresentative(ref(), r, nowAt, who);
        }
    } else if (action == "remedy") {
        Remedy m;
        const std::string kindText = a.required("kind");
        const auto kind = remedyKindFromName(kindText);
        if (!kind)
            throw InputError("--kind: unknown remedy \"" + kindText + "\" (accepted: apology, action, goodwill, compensation)");
        m.kind = *kind;
        m.detail = a.option("detail").value_or("");
        if (auto by = a.option("by")) m.dueBy = parseDate(*by, "--by");
        if (auto amount = a.option("amount")) {
            const auto pence = penceFromText(*amount);
            if (!pence) throw InputError("--amount: expected pounds and pence such as 50 or 125.50, found \"" + *amount + "\"");
            m.amountPence = *pence;
        }
        Instant at = duly::app::atOption(a, nowAt);
        a.finish();
        c = service.addRemedy(ref(), m, at, who);
    } else if (action == "referral") {
        std::optional<Instant> referredAt, outcomeAt;
        if (auto r = a.option("referred-at")) referredAt = timeOrDate(*r, "--referred-at");
        const std::string outcome = a.option("outcome").value_or("");
        if (auto o = a.option("outcome-at")) outcomeAt = timeOrDate(*o, "--outcome-at");
        a.finish();
        c = service.recordReferral(ref(), referredAt, outcome, outcomeAt, nowAt, who);
    } else {
        throw InputError("unknown action \"" + action +
                         "\" (accepted: open, show, list, assign, ack, reply, extend, holding, escalate, refuse-escalation, reclassify, wait, resume, close, urgent, call, representative, remedy, referral)");
    }
    ctx.out << c.reference << ": " << action << " recorded";
    if (c.respondBy && c.state == CaseState::Open)
        ctx.out << "; respond by " << duly::app::shortWhen(*c.respondBy);
    ctx.out << "\n";
    return 0;
}

duly::app::CommandRegistration reg{"case", "open, show, list and change cases", kUsage, runCase};

}  // namespace
