// SchedulerService: carries out what engine::Scheduler plans. Renders each
// document in the customer's language and format (or the officer's English
// for warnings, escalations and digests), composes the email or queues the
// letter for the print run, and writes it to the outbox in one transaction
// with the case's events and changes, so a crash leaves either the whole
// task or none of it. A task that cannot be carried out (no email address,
// no postal address, a template error) is written as a failed outbound
// message with the reason and a note on the case: shown to officers, never
// retried in a loop, never silent. Used by `duly tick` and `duly serve`.
#pragma once

#include "CaseDocuments.h"
#include "Config.h"

#include "duly/engine/Scheduler.h"
#include "duly/mail/MessageComposer.h"
#include "duly/store/SqliteCaseStore.h"

#include <iosfwd>

namespace duly::app {

struct TickReport {
    std::size_t planned = 0;
    std::size_t queued = 0;   // emails and letters now in the outbox
    std::size_t refused = 0;  // written as failed, with the reason
    std::size_t skipped = 0;  // nothing to send (an empty digest)
};

class SchedulerService {
public:
    SchedulerService(const Config& config, store::SqliteCaseStore& store, engine::CharterBook& charters,
                     const engine::Renderer& renderer);

    // Plans at `now` and queues every task; a line to `log` for each task
    // refused or failed.
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
    engine::OutboundMessage email(const engine::ScheduledTask& task, const std::string& caseReference,
                                  const engine::Document& doc, const std::string& name, const std::string& address,
                                  mail::AutoSubmitted how, engine::Instant now, bool tagSubject = true);

    const Config& _config;
    store::SqliteCaseStore& _store;
    engine::CharterBook& _charters;
    const engine::Renderer& _renderer;
    CaseDocuments _documents;
    engine::Scheduler _scheduler;
    mail::MessageComposer _composer;
};

}  // namespace duly::app
