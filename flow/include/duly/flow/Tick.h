// Tick: carries out what engine::Scheduler plans, through Dispatch (the customer's documents in their language and format,
// the officer's English for warnings, escalations and digests), and writes it to the outbox in one transaction
// with the case's events and changes, so a crash leaves either the whole
// task or none of it. A task that cannot be carried out (no email address,
// no postal address, a template error) is written as a failed outbound
// message with the reason and a note on the case: shown to officers, never
// retried in a loop, never silent. A task whose store read or write throws
// is left for the next tick, the store unchanged. Used by `duly tick` and
// `duly serve`.
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/Scheduler.h"
#include "duly/flow/Dispatch.h"

#include <iosfwd>

namespace duly::flow {

struct TickReport {
    std::size_t planned = 0;
    std::size_t queued = 0;   // emails and letters now in the outbox
    std::size_t refused = 0;  // written as failed, with the reason
    std::size_t skipped = 0;  // nothing to send (an empty digest)
};

class Tick {
public:
    // `store` and `ledger` are usually one SqliteCaseStore; `sender` is the
    // config's [mail] identity, `settings` its [scheduler] section.
    Tick(engine::CaseStore& store, engine::MailLedger& ledger, engine::CharterBook& charters,
         const engine::Renderer& renderer, SenderIdentity sender, engine::SchedulerSettings settings);

    // Plans at `now` and queues every task, each in its own transaction; a
    // line to `log` for each task refused or failed. Throws only when the
    // plan itself cannot be read.
    TickReport run(engine::Instant now, std::ostream& log);

    const engine::Scheduler& scheduler() const { return _scheduler; }

private:
    struct Outcome {
        std::vector<engine::CaseEvent> events;
        std::vector<engine::OutboundMessage> messages;
        bool refused = false;
        bool skipped = false;
    };
    Outcome customerDocument(const engine::ScheduledTask& task, engine::Case& c, engine::Instant now);
    Outcome officerAlert(const engine::ScheduledTask& task, const engine::Case& c, engine::Instant now);
    Outcome digest(const engine::ScheduledTask& task, engine::Instant now);

    engine::CaseStore& _store;
    engine::MailLedger& _ledger;
    engine::CharterBook& _charters;
    const engine::Renderer& _renderer;
    engine::SchedulerSettings _settings;
    Dispatch _dispatch;
    engine::CaseService _service;
    engine::Scheduler _scheduler;
};

}  // namespace duly::flow
