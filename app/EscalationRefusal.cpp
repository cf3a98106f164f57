// EscalationRefusal: see EscalationRefusal.h.
#include "EscalationRefusal.h"

#include "duly/engine/InputError.h"

namespace duly::app {

using namespace duly::engine;

EscalationRefused refuseEscalation(CaseStore& store, MailLedger& ledger, CaseService& service, flow::Dispatch& dispatch,
                                   const std::string& reference, const std::string& reason, Instant at,
                                   const std::string& actor) {
    auto found = store.findCase(reference);
    if (!found) throw InputError("no case with reference \"" + reference + "\"");
    CaseChange change = service.escalationRefused(*found, reason, at, actor);
    flow::CustomerDocument letter{flow::CustomerDocument::What::RefusalToEscalate, "refusal-to-escalate", {}};
    letter.details.date = at;
    letter.details.replyBody = reason;
    flow::Dispatched sent = dispatch.toCustomer(*found, letter, at);
    if (sent.refused) throw InputError("the refusal cannot be sent: " + sent.refusal);
    std::vector<CaseEvent> events = std::move(sent.events);
    events.push_back({0, EventType::Note, at, actor, "refusal to escalate " + sent.how});
    events.insert(events.end(), change.events.begin(), change.events.end());
    ledger.updateCaseWithMessages(change.kase, events, sent.messages);
    return {change.kase, sent.how};
}

}  // namespace duly::app
