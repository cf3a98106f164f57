// EscalationRefusal: declining stage 2 of a stage 1 complaint, for `duly case
// refuse-escalation` and the dashboard's button. The refusal letter (the
// officer's reasons and the ombudsman's details) goes to the customer (and
// their representative, as Dispatch decides) in the same transaction that
// closes the case. Throws InputError when the rules refuse it or the letter
// cannot be sent, writing nothing.
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/MailLedger.h"
#include "duly/flow/Dispatch.h"

#include <string>

namespace duly::app {

// Returns the case as written and how the letter went ("by email to …").
struct EscalationRefused {
    engine::Case kase;
    std::string how;
};

EscalationRefused refuseEscalation(engine::CaseStore& store, engine::MailLedger& ledger, engine::CaseService& service,
                                   flow::Dispatch& dispatch, const std::string& reference, const std::string& reason,
                                   engine::Instant at, const std::string& actor);

}  // namespace duly::app
