// Names: the words for the engine's enumerations, as written in the store,
// on the command line and in JSON output.
#include "duly/engine/Case.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/Directory.h"

namespace duly::engine {
namespace {

template <typename E, std::size_t N>
std::optional<E> fromName(std::string_view name, const E (&values)[N], std::string_view (*nameOf)(E)) {
    for (auto v : values)
        if (nameOf(v) == name) return v;
    return std::nullopt;
}

}  // namespace

std::string_view roleName(Role role) {
    switch (role) {
        case Role::Officer: return "officer";
        case Role::Manager: return "manager";
        case Role::Administrator: return "administrator";
    }
    return "?";
}

std::optional<Role> roleFromName(std::string_view name) {
    static constexpr Role all[] = {Role::Officer, Role::Manager, Role::Administrator};
    return fromName(name, all, roleName);
}

std::string_view preferredChannelName(PreferredChannel channel) {
    switch (channel) {
        case PreferredChannel::Email: return "email";
        case PreferredChannel::Post: return "post";
        case PreferredChannel::Phone: return "phone";
    }
    return "?";
}

std::optional<PreferredChannel> preferredChannelFromName(std::string_view name) {
    static constexpr PreferredChannel all[] = {PreferredChannel::Email, PreferredChannel::Post, PreferredChannel::Phone};
    return fromName(name, all, preferredChannelName);
}

std::string_view caseStateName(CaseState state) {
    return state == CaseState::Open ? "open" : "closed";
}

std::optional<CaseState> caseStateFromName(std::string_view name) {
    static constexpr CaseState all[] = {CaseState::Open, CaseState::Closed};
    return fromName(name, all, caseStateName);
}

std::string_view eventTypeName(EventType type) {
    switch (type) {
        case EventType::Received: return "received";
        case EventType::Acknowledged: return "acknowledged";
        case EventType::HoldingReplySent: return "holding-reply-sent";
        case EventType::Replied: return "replied";
        case EventType::Extended: return "extended";
        case EventType::EscalatedToStage2: return "escalated-to-stage-2";
        case EventType::Assigned: return "assigned";
        case EventType::Closed: return "closed";
        case EventType::Note: return "note";
        case EventType::WaitingOnCustomer: return "waiting-on-customer";
        case EventType::Resumed: return "resumed";
        case EventType::Reclassified: return "reclassified";
        case EventType::Representative: return "representative";
        case EventType::Remedy: return "remedy";
        case EventType::Referral: return "referral";
    }
    return "?";
}

std::optional<EventType> eventTypeFromName(std::string_view name) {
    static constexpr EventType all[] = {EventType::Received, EventType::Acknowledged, EventType::HoldingReplySent,
                                        EventType::Replied,  EventType::Extended,     EventType::EscalatedToStage2,
                                        EventType::Assigned, EventType::Closed,       EventType::Note,
                                        EventType::WaitingOnCustomer, EventType::Resumed, EventType::Reclassified,
                                        EventType::Representative, EventType::Remedy, EventType::Referral};
    return fromName(name, all, eventTypeName);
}

std::string_view callOutcomeName(CallOutcome outcome) {
    switch (outcome) {
        case CallOutcome::Answered: return "answered";
        case CallOutcome::NoAnswer: return "no-answer";
        case CallOutcome::LeftMessage: return "left-message";
    }
    return "?";
}

std::string_view representativeKindName(RepresentativeKind kind) {
    switch (kind) {
        case RepresentativeKind::Advocate: return "advocate";
        case RepresentativeKind::Relative: return "relative";
        case RepresentativeKind::Mp: return "mp";
        case RepresentativeKind::Solicitor: return "solicitor";
        case RepresentativeKind::Other: return "other";
    }
    return "?";
}

std::optional<CallOutcome> callOutcomeFromName(std::string_view name) {
    static constexpr CallOutcome all[] = {CallOutcome::Answered, CallOutcome::NoAnswer, CallOutcome::LeftMessage};
    return fromName(name, all, callOutcomeName);
}

std::optional<RepresentativeKind> representativeKindFromName(std::string_view name) {
    static constexpr RepresentativeKind all[] = {RepresentativeKind::Advocate, RepresentativeKind::Relative,
                                                 RepresentativeKind::Mp, RepresentativeKind::Solicitor,
                                                 RepresentativeKind::Other};
    return fromName(name, all, representativeKindName);
}

std::string_view sendToName(SendTo to) { return to == SendTo::Copy ? "copy" : "representative-only"; }

std::optional<SendTo> sendToFromName(std::string_view name) {
    static constexpr SendTo all[] = {SendTo::Copy, SendTo::RepresentativeOnly};
    return fromName(name, all, sendToName);
}

std::string_view remedyKindName(RemedyKind kind) {
    switch (kind) {
        case RemedyKind::Apology: return "apology";
        case RemedyKind::Action: return "action";
        case RemedyKind::Goodwill: return "goodwill";
        case RemedyKind::Compensation: return "compensation";
    }
    return "?";
}

std::optional<RemedyKind> remedyKindFromName(std::string_view name) {
    static constexpr RemedyKind all[] = {RemedyKind::Apology, RemedyKind::Action, RemedyKind::Goodwill,
                                         RemedyKind::Compensation};
    return fromName(name, all, remedyKindName);
}

std::optional<std::int64_t> penceFromText(std::string_view text) {
    if (text.rfind("£", 0) == 0) text.remove_prefix(std::string_view("£").size());
    std::int64_t pounds = 0, pence = 0;
    int decimals = -1;
    bool digits = false;
    for (char ch : text) {
        if (ch == ',' && decimals < 0 && digits) continue;
        if (ch == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (ch < '0' || ch > '9' || decimals >= 2 || pounds > 10'000'000'000LL) return std::nullopt;
        digits = true;
        if (decimals < 0) pounds = pounds * 10 + (ch - '0');
        else {
            pence = pence * 10 + (ch - '0');
            ++decimals;
        }
    }
    if (!digits) return std::nullopt;
    if (decimals == 1) pence *= 10;
    return pounds * 100 + pence;
}

std::string poundsText(std::int64_t pence) {
    const std::string p = std::to_string(pence % 100);
    return "£" + std::to_string(pence / 100) + "." + (p.size() == 1 ? "0" + p : p);
}

const std::vector<std::string>& referralOutcomes() {
    static const std::vector<std::string> all = {
        "no-maladministration", "service-failure",  "maladministration", "severe-maladministration",
        "reasonable-redress",   "outside-jurisdiction", "upheld",        "partly-upheld",
        "not-upheld",           "withdrawn"};
    return all;
}

std::string_view dueWhatName(DueAction::What what) {
    switch (what) {
        case DueAction::What::Acknowledge: return "acknowledge";
        case DueAction::What::HoldingReply: return "holding-reply";
        case DueAction::What::Respond: return "respond";
    }
    return "?";
}

std::vector<Case> CaseStore::casesReceived(Instant from, Instant before) const {
    std::vector<Case> out;
    for (auto& c : listCases(CaseFilter{}))
        if (c.received >= from && c.received < before) out.push_back(std::move(c));
    return out;
}

}  // namespace duly::engine
