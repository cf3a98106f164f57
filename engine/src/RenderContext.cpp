// RenderContext: domain types → the Value tree templates see. Field names
// are listed in RenderContext.h and docs/templates.md.
#include "duly/engine/RenderContext.h"

#include <algorithm>
#include <cctype>

namespace duly::engine {
namespace {

Value lines(const std::vector<std::string>& in) {
    Value::List out;
    for (const auto& l : in)
        if (!l.empty()) out.emplace_back(l);
    return Value(std::move(out));
}

void organisationFields(Value& ctx, const Organisation& org) {
    ctx.set("organisation.name", org.name);
    ctx.set("organisation.address", lines(org.addressLines));
    ctx.set("organisation.phone", org.phone);
    ctx.set("organisation.email", org.email);
    ctx.set("organisation.website", org.website);
    ctx.set("organisation.opening_hours", org.openingHours);
    if (!org.ombudsman.name.empty()) {
        ctx.set("ombudsman.name", org.ombudsman.name);
        ctx.set("ombudsman.phone", org.ombudsman.phone);
        ctx.set("ombudsman.website", org.ombudsman.website);
        ctx.set("ombudsman.address", lines(org.ombudsman.address));
    }
}

void officerFields(Value& ctx, const Officer& officer) {
    // Unassigned: the team stands in (no id); templates word it as a team.
    ctx.set("officer.assigned", Value::boolean(!officer.id.empty()));
    ctx.set("officer.name", officer.name);
    ctx.set("officer.position", officer.position);
    ctx.set("officer.phone", officer.phone);
    ctx.set("officer.email", officer.email);
}

Value digestList(const std::vector<DigestEntry>& entries) {
    Value::List out;
    for (const auto& e : entries) {
        Value v = Value::map();
        v.set("reference", e.reference);
        // Officers' digests are English only; an empty value says so.
        v.set("subject", std::string(e.urgent ? "URGENT: " : "") + (e.subject.empty() ? std::string("(no subject)") : e.subject));
        v.set("customer", e.customerName.empty() ? std::string("customer not yet known") : e.customerName);
        v.set("due", e.due);
        v.set("action", e.call.empty() ? e.action : std::string("call"));
        if (!e.call.empty()) {
            std::string task = e.call;
            task[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(task[0])));
            v.set("task", task);
        } else {
            v.set("task", std::string("-"));
        }
        out.push_back(std::move(v));
    }
    return Value(std::move(out));
}

}  // namespace

Value buildCaseContext(const Case& kase, const Customer& customer, const Officer& officer,
                       const Organisation& organisation, const LetterDetails& details) {
    Value ctx = Value::map();
    ctx.set("document.date", details.date);
    ctx.set("customer.name", customer.name);
    ctx.set("customer.salutation", customer.salutation.empty() ? "Dear " + customer.name : customer.salutation);
    ctx.set("customer.reference", customer.reference);
    ctx.set("customer.email", customer.email);
    ctx.set("customer.phone", customer.phone);
    ctx.set("customer.address", lines({customer.addressLine1, customer.addressLine2, customer.addressLine3,
                                       customer.town, customer.postcode}));
    ctx.set("customer.postcode", customer.postcode);
    ctx.set("customer.language", customer.language);
    if (!details.onBehalfOf.empty()) ctx.set("representative.on_behalf_of", details.onBehalfOf);

    std::string channel(channelName(kase.channel));
    std::string key = channel;
    std::replace(key.begin(), key.end(), '-', '_');
    ctx.set("case.reference", kase.reference);
    ctx.set("case.subject", kase.subject);
    ctx.set("case.channel", channel);
    ctx.set("case.channel_key", key);
    ctx.set("case.kind", std::string(kindName(kase.kind)));
    ctx.set("case.received", kase.received);
    if (kase.acknowledgeBy) ctx.set("case.acknowledge_by", *kase.acknowledgeBy);
    if (kase.respondBy) ctx.set("case.respond_by", *kase.respondBy);
    officerFields(ctx, officer);
    organisationFields(ctx, organisation);
    // How the customer reaches whoever has the case: their own phone and
    // email, else the team's, else the organisation's.
    auto either = [](const std::string& a, const std::string& b, const std::string& c) { return !a.empty() ? a : !b.empty() ? b : c; };
    ctx.set("officer.contact_phone", either(officer.phone, organisation.teamPhone, organisation.phone));
    ctx.set("officer.contact_email", either(officer.email, organisation.teamEmail, organisation.email));
    // A reply to a complaint tells the customer what next and names the
    // ombudsman (Complaint Handling Code 6.6 and 6.17; the other schemes'
    // stage responses likewise): "first" at stage 1, "final" at stage 2.
    if (isComplaint(kase.kind) && !organisation.ombudsman.name.empty())
        ctx.set("complaint.stage", std::string(kase.kind == Kind::ComplaintStage2 ? "final" : "first"));
    if (details.holding) {
        ctx.set("holding.reason", details.holding->reason);
        if (auto old = details.holding->previousDate ? details.holding->previousDate : kase.respondBy)
            ctx.set("holding.old_date", *old);
        ctx.set("holding.new_date", details.holding->newDate);
        ctx.set("case.respond_by", details.holding->newDate);
    }
    if (details.extension) {
        ctx.set("extension.reason", details.extension->reason);
        if (auto old = details.extension->previousDate ? details.extension->previousDate : kase.respondBy)
            ctx.set("extension.old_date", *old);
        ctx.set("extension.new_date", details.extension->newDate);
        ctx.set("extension.days", static_cast<std::int64_t>(details.extension->workingDays));
        ctx.set("extension.ombudsman_name", !details.extension->ombudsmanName.empty() ? details.extension->ombudsmanName
                                                                                       : organisation.ombudsman.name);
        ctx.set("extension.ombudsman_phone", details.extension->ombudsmanPhone);
        ctx.set("extension.ombudsman_website", details.extension->ombudsmanWebsite);
        ctx.set("case.respond_by", details.extension->newDate);
    }
    if (details.pause) {
        ctx.set("pause.waiting_for", details.pause->waitingFor);
        ctx.set("pause.old_date", details.pause->oldDate);
    }
    if (details.missedCalls) {
        ctx.set("calls.phone", details.missedCalls->phone);
        ctx.set("calls.attempts", static_cast<std::int64_t>(details.missedCalls->attempts));
        ctx.set("calls.last", details.missedCalls->lastAt);
    }
    if (details.resumedReplyBy) {
        ctx.set("resume.new_date", *details.resumedReplyBy);
        ctx.set("case.respond_by", *details.resumedReplyBy);
    }
    if (!details.replyBody.empty()) ctx.set("reply.body", details.replyBody);
    if (details.followUpBy) ctx.set("reply.follow_up_by", *details.followUpBy);
    return ctx;
}

Value buildDigestContext(const Officer& officer, const Organisation& organisation, Instant now, const Digest& digest) {
    Value ctx = Value::map();
    ctx.set("document.date", now);
    officerFields(ctx, officer);
    organisationFields(ctx, organisation);
    ctx.set("digest.overdue", digestList(digest.overdue));
    ctx.set("digest.due_today", digestList(digest.dueToday));
    ctx.set("digest.due_soon", digestList(digest.dueSoon));
    ctx.set("digest.overdue_count", static_cast<std::int64_t>(digest.overdue.size()));
    ctx.set("digest.due_today_count", static_cast<std::int64_t>(digest.dueToday.size()));
    ctx.set("digest.due_soon_count", static_cast<std::int64_t>(digest.dueSoon.size()));
    ctx.set("digest.triage", digestList(digest.awaitingTriage));
    ctx.set("digest.triage_count", static_cast<std::int64_t>(digest.awaitingTriage.size()));
    return ctx;
}

}  // namespace duly::engine
