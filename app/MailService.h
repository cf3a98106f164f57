// MailService: the wiring of the mail steps for `duly watch`, `duly serve`
// and `duly tick` — flow/MailboxSource and flow/Ingest take each configured
// mailbox's messages in, flow/Deliver sends the outbox by SMTP ([smtp],
// its connections side by side) or into the outbox folder — and running
// the two at once, so that acknowledgements go out while later messages
// are still being taken in. What each step does, and how it fails, is in
// its own header under flow/.
#pragma once

#include "Config.h"
#include "ServeInstance.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/Deliver.h"
#include "duly/flow/Ingest.h"
#include "duly/flow/MailboxSource.h"
#include "duly/store/SqliteCaseStore.h"

#include <chrono>
#include <iosfwd>
#include <set>
#include <string>
#include <utility>

namespace duly::app {

class MailService {
public:
    // Throws InputError naming the config file and line of a mailbox whose
    // brand its charter does not have.
    MailService(const Config& config, store::SqliteCaseStore& store, engine::CharterBook& charters,
                const engine::Renderer& renderer);

    // Reads every mailbox (Maildir and, when `includeImap`, IMAP) once;
    // progress lines go to `log`.
    flow::WatchReport watchOnce(engine::Instant now, std::ostream& log, bool includeImap = true);

    // Hands every due queued email to the SMTP server or the outbox folder.
    flow::DeliveryReport deliverDue(engine::Instant now, std::ostream& log);

    // watchOnce and deliverDue at once: acknowledgements go out while later
    // messages are still being taken in (each as soon as its batch is on
    // disk), and a last deliverDue sends the rest. Lines from both go to
    // `log` whole.
    std::pair<flow::WatchReport, flow::DeliveryReport> watchAndDeliver(engine::Instant now, std::ostream& log,
                                                                       bool includeImap = true);

    const Config& config() const { return _config; }

    // From now on each mailbox is read only by the instance holding its
    // lock, "mailbox:NAME" (see ServeInstance); the others pass it by.
    void holdMailboxesWith(ServeInstance* instance) { _instance = instance; }

    // How long email taken for delivery is held from other runs, and how
    // many accepted messages are recorded in one write (flow::Deliver).
    void deliveryClaims(std::chrono::seconds hold, std::size_t recordedTogether) {
        _deliver.setHold(hold);
        _deliver.setRecordedTogether(recordedTogether);
    }

private:
    const Config& _config;
    flow::Ingest _ingest;
    flow::Deliver _deliver;
    ServeInstance* _instance = nullptr;
    std::set<std::string> _heldMailboxes;  // mailbox locks held at the last pass
};

}  // namespace duly::app
