// Correspondence: routes, addresses, templates, and the letter order's
// serial form. See Correspondence.h.
#include "duly/engine/Correspondence.h"

#include "duly/engine/Deadlines.h"
#include "duly/engine/Template.h"
#include "duly/engine/ZoneRules.h"

#include <algorithm>
#include <charconv>

namespace duly::engine {

bool goesByPost(const Case& c, const Customer& customer) {
    return c.channel == Channel::Letter || customer.preferredChannel == PreferredChannel::Post ||
           customer.email.empty() ||
           (customer.preferredChannel == PreferredChannel::Phone && hasPostalAddress(customer));
}

bool isCallCase(Channel channel, Kind kind) {
    return (channel == Channel::PhoneMessage && !isComplaint(kind)) || kind == Kind::CallBack;
}

bool isCallCase(const Case& c) { return isCallCase(c.channel, c.kind); }

bool callsToAcknowledge(const Case& c, const Customer& customer) {
    // A complaint is acknowledged in writing whatever the customer prefers:
    // the acknowledgement sets out the complaint and the scheme's dates.
    if (isComplaint(c.kind)) return false;
    if (isCallCase(c)) return !numberToCall(c, customer).empty();
    // Where the charter promises no acknowledgement, the one Duly sends as a
    // courtesy goes at once by post.
    return c.acknowledgeBy && customer.preferredChannel == PreferredChannel::Phone && !customer.phone.empty();
}

std::string numberToCall(const Case& c, const Customer& customer) {
    return c.callNumber.empty() ? customer.phone : c.callNumber;
}

int unansweredCalls(const Case& c) {
    return static_cast<int>(std::count_if(c.calls.begin(), c.calls.end(),
                                          [](const Call& call) { return call.outcome != CallOutcome::Answered; }));
}

std::string callTaskWords(const DueAction& a, const CaseStore& store) {
    const bool callCase = isCallCase(a.channel, a.kind);
    if (a.what == DueAction::What::HoldingReply || (!callCase && a.what != DueAction::What::Acknowledge)) return {};
    // The case as far as the rules above need it: the due action's facts.
    Case c;
    c.channel = a.channel;
    c.kind = a.kind;
    c.callNumber = a.callNumber;
    if (a.what == DueAction::What::Acknowledge) c.acknowledgeBy = a.dueAt;
    const Customer customer =
        a.customerRef.empty() ? Customer{} : store.customer(a.customerRef).value_or(Customer{});
    if (callCase) {
        const std::string number = numberToCall(c, customer);
        return number.empty() ? std::string("call back") : "call back " + number;
    }
    return callsToAcknowledge(c, customer) ? "phone " + customer.phone + " to acknowledge" : std::string();
}

bool callAnswered(const Case& c) {
    return std::any_of(c.calls.begin(), c.calls.end(),
                       [](const Call& call) { return call.outcome == CallOutcome::Answered; });
}

bool hasPostalAddress(const Customer& customer) {
    return !customer.addressLine1.empty() && !customer.postcode.empty();
}

std::string acknowledgementTemplate(Kind kind) {
    if (kind == Kind::ComplaintStage1) return "complaint-stage-1-acknowledgement";
    if (kind == Kind::ComplaintStage2) return "complaint-stage-2-acknowledgement";
    return "acknowledgement";
}

Officer signatory(const Officer& officer, const Organisation& organisation) {
    if (!officer.id.empty()) return officer;
    Officer team;
    team.name = organisation.team;
    team.phone = organisation.teamPhone.empty() ? organisation.phone : organisation.teamPhone;
    team.email = organisation.teamEmail.empty() ? organisation.email : organisation.teamEmail;
    return team;
}

std::string waitingFor(const Case& c) {
    for (auto e = c.events.rbegin(); e != c.events.rend(); ++e)
        if (e->type == EventType::WaitingOnCustomer) return e->detail;
    return {};
}

Organisation organisationOf(const Charter& charter, const std::string& id, const OrganisationContact& contact) {
    return Organisation{id,           contact.name,      contact.address,   contact.phone,
                        contact.email, contact.website,  contact.openingHours, contact.team,
                        contact.teamPhone, contact.teamEmail, charter.scheme.ombudsman};
}

Instant defaultHoldingDate(const Case& c, const Charter& charter, const ZoneRules& zone) {
    const CharterRule* rule = charter.ruleFor(c.channel, c.kind);
    const Instant old = c.respondBy.value_or(c.received);
    const int days = rule ? rule->holdingReplyExtends.value_or(rule->respondWithin.value_or(5)) : 5;
    // Counted from the old date's own day: it is a closing time, which
    // dayZero would read as "after hours" and move a day on.
    const DeadlineCalculator calc(charter, zone);
    const Instant date = calc.dueAfter(zone.toLocal(old).date, days);
    // On a complaint never past the scheme's cap.
    const auto cap = calc.responseCap({c.channel, c.kind, c.received, c.acknowledgedAt, c.extensionDays, c.pausedDays});
    return cap && *cap < date ? *cap : date;
}

std::string localeFor(const Customer& customer) { return customer.language.empty() ? "en-GB" : customer.language; }

std::string formatFor(const Customer& customer) {
    return std::find(customer.formats.begin(), customer.formats.end(), "large-print") != customer.formats.end()
               ? "large-print"
               : "standard";
}

std::string acknowledgementKey(const Case& c) {
    const bool reclassified = std::any_of(c.events.begin(), c.events.end(),
                                          [](const CaseEvent& e) { return e.type == EventType::Reclassified; });
    return reclassified ? "acknowledgement-" + std::string(kindName(c.kind)) : "acknowledgement";
}

bool isAcknowledgementKey(std::string_view documentKey) {
    return documentKey == "acknowledgement" || documentKey.starts_with("acknowledgement-");
}

OmbudsmanContact ombudsmanFor(const Charter& charter) { return charter.scheme.ombudsman; }

namespace {

constexpr std::string_view kHeader = "duly-letter 1";

std::string escaped(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else out += c;
    }
    return out;
}

std::string unescaped(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\' || i + 1 == value.size()) {
            out += value[i];
            continue;
        }
        const char next = value[++i];
        out += next == 'n' ? '\n' : next == 'r' ? '\r' : next;
    }
    return out;
}

std::string instantText(Instant t) { return std::to_string(t.time_since_epoch().count()); }

std::optional<Instant> instantFrom(const std::string& text) {
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return Instant{std::chrono::seconds{seconds}};
}

bool isTemplateName(const std::string& name) {
    const auto& kinds = documentKinds();
    return std::find(kinds.begin(), kinds.end(), name) != kinds.end();
}

}  // namespace

std::string LetterOrder::serialize() const {
    std::string out(kHeader);
    out += "\n";
    auto line = [&](std::string_view key, const std::string& value) {
        out += key;
        out += ": ";
        out += escaped(value);
        out += "\n";
    };
    line("template", templateName);
    line("date", instantText(details.date));
    if (details.toRepresentative) line("to", "representative");
    if (!details.replyBody.empty()) line("reply", details.replyBody);
    if (details.followUpBy) line("follow-up-by", instantText(*details.followUpBy));
    if (details.holding) {
        line("holding-reason", details.holding->reason);
        line("holding-new-date", instantText(details.holding->newDate));
        if (details.holding->previousDate) line("holding-previous-date", instantText(*details.holding->previousDate));
    }
    if (details.pause) {
        line("pause-waiting-for", details.pause->waitingFor);
        line("pause-old-date", instantText(details.pause->oldDate));
    }
    if (details.resumedReplyBy) line("resumed-reply-by", instantText(*details.resumedReplyBy));
    if (details.missedCalls) {
        line("missed-calls-phone", details.missedCalls->phone);
        line("missed-calls-attempts", std::to_string(details.missedCalls->attempts));
        line("missed-calls-last", instantText(details.missedCalls->lastAt));
    }
    if (details.extension) {
        line("extension-reason", details.extension->reason);
        line("extension-new-date", instantText(details.extension->newDate));
        line("extension-days", std::to_string(details.extension->workingDays));
        if (details.extension->previousDate)
            line("extension-previous-date", instantText(*details.extension->previousDate));
        if (!details.extension->ombudsmanName.empty()) line("extension-ombudsman-name", details.extension->ombudsmanName);
        line("extension-ombudsman-phone", details.extension->ombudsmanPhone);
        line("extension-ombudsman-website", details.extension->ombudsmanWebsite);
    }
    return out;
}

std::optional<LetterOrder> LetterOrder::parse(const std::string& bytes) {
    LetterOrder order;
    if (bytes.rfind(std::string(kHeader) + "\n", 0) != 0) {
        // Queued before letter orders: a template name, then perhaps the
        // officer's reply after a line break.
        const auto newline = bytes.find('\n');
        order.templateName = bytes.substr(0, newline);
        if (!isTemplateName(order.templateName)) return std::nullopt;
        if (newline != std::string::npos) order.details.replyBody = bytes.substr(newline + 1);
        return order;
    }
    std::size_t pos = kHeader.size() + 1;
    while (pos < bytes.size()) {
        std::size_t end = bytes.find('\n', pos);
        if (end == std::string::npos) end = bytes.size();
        const std::string_view line(bytes.data() + pos, end - pos);
        pos = end + 1;
        // "key: value"; keys never hold a colon.
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon + 1 >= line.size() || line[colon + 1] != ' ') return std::nullopt;
        const std::string key(line.substr(0, colon));
        const std::string value = unescaped(line.substr(colon + 2));
        auto when = [&]() -> std::optional<Instant> { return instantFrom(value); };
        auto& d = order.details;
        if (key == "template") {
            order.templateName = value;
        } else if (key == "date") {
            if (!when()) return std::nullopt;
            d.date = *when();
        } else if (key == "to") {
            if (value != "representative") return std::nullopt;
            d.toRepresentative = true;
        } else if (key == "reply") {
            d.replyBody = value;
        } else if (key == "follow-up-by") {
            if (!when()) return std::nullopt;
            d.followUpBy = *when();
        } else if (key == "holding-reason") {
            if (!d.holding) d.holding.emplace();
            d.holding->reason = value;
        } else if (key == "holding-new-date") {
            if (!when()) return std::nullopt;
            if (!d.holding) d.holding.emplace();
            d.holding->newDate = *when();
        } else if (key == "holding-previous-date") {
            if (!when()) return std::nullopt;
            if (!d.holding) d.holding.emplace();
            d.holding->previousDate = *when();
        } else if (key == "pause-waiting-for") {
            if (!d.pause) d.pause.emplace();
            d.pause->waitingFor = value;
        } else if (key == "pause-old-date") {
            if (!when()) return std::nullopt;
            if (!d.pause) d.pause.emplace();
            d.pause->oldDate = *when();
        } else if (key == "missed-calls-phone") {
            if (!d.missedCalls) d.missedCalls.emplace();
            d.missedCalls->phone = value;
        } else if (key == "missed-calls-attempts") {
            if (!d.missedCalls) d.missedCalls.emplace();
            const auto [last, ec] = std::from_chars(value.data(), value.data() + value.size(), d.missedCalls->attempts);
            if (ec != std::errc() || last != value.data() + value.size() || d.missedCalls->attempts < 0)
                return std::nullopt;
        } else if (key == "missed-calls-last") {
            if (!when()) return std::nullopt;
            if (!d.missedCalls) d.missedCalls.emplace();
            d.missedCalls->lastAt = *when();
        } else if (key == "resumed-reply-by") {
            if (!when()) return std::nullopt;
            d.resumedReplyBy = *when();
        } else if (key.rfind("extension-", 0) == 0) {
            if (!d.extension) d.extension.emplace();
            if (key == "extension-reason") d.extension->reason = value;
            else if (key == "extension-ombudsman-name") d.extension->ombudsmanName = value;
            else if (key == "extension-ombudsman-phone") d.extension->ombudsmanPhone = value;
            else if (key == "extension-ombudsman-website") d.extension->ombudsmanWebsite = value;
            else if (key == "extension-new-date" && when()) d.extension->newDate = *when();
            else if (key == "extension-previous-date" && when()) d.extension->previousDate = *when();
            else if (key == "extension-days") {
                const auto [last, ec] = std::from_chars(value.data(), value.data() + value.size(), d.extension->workingDays);
                if (ec != std::errc() || last != value.data() + value.size()) return std::nullopt;
            }
            else return std::nullopt;
        }
        // Keys a newer Duly wrote are passed over.
    }
    if (!isTemplateName(order.templateName)) return std::nullopt;
    return order;
}

}  // namespace duly::engine
