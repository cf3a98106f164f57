// MailService: the mail side of `duly serve` and `duly watch`. Takes each
// message from the configured mailboxes into a case (Intake), renders and
// composes the acknowledgement in the customer's language and queues it in
// the same transaction as the case, then delivers the outbox by SMTP or into
// the outbox folder, retrying transient failures and recording permanent
// ones on the case. A message is marked processed in its mailbox only after
// its case is on disk, so a crash at any point loses nothing, and
// Message-ID de-duplication plus deterministic outgoing Message-IDs mean
// nothing is taken in or sent twice.
#pragma once

#include "Config.h"
#include "InboundReading.h"

#include "duly/engine/CaseService.h"
#include "duly/engine/Intake.h"
#include "duly/flow/Dispatch.h"
#include "duly/mail/MessageSender.h"
#include "duly/mail/RetryPolicy.h"
#include "duly/store/SqliteCaseStore.h"

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <utility>
#include <mutex>
#include <vector>

namespace duly::app {

struct IngestResult {
    engine::IntakePlan::Action action = engine::IntakePlan::Action::OpenCase;
    std::string caseReference;
    bool acknowledgementQueued = false;
    std::string noAcknowledgementReason;
    bool quarantined = false;
};

struct WatchReport {
    std::size_t taken = 0;       // messages taken in (new cases + joined)
    std::size_t duplicates = 0;
    std::size_t quarantined = 0;
    std::size_t failed = 0;      // left in the mailbox for the next run
};

struct DeliveryReport {
    std::size_t delivered = 0;
    std::size_t retrying = 0;
    std::size_t failed = 0;
};

class MailService {
public:
    MailService(const Config& config, const std::filesystem::path& home, store::SqliteCaseStore& store,
                engine::CharterBook& charters, const engine::Renderer& renderer);
    ~MailService();

    // Takes one message from `mailbox` into the store.
    IngestResult ingest(const MailboxConfig& mailbox, const std::string& raw, engine::Instant receivedAt);

    // Takes in a message too large to read whole, from its first bytes:
    // quarantined with `reason`, with a case for triage (it still counts).
    IngestResult ingestTooLarge(const MailboxConfig& mailbox, const std::string& head, engine::Instant receivedAt,
                                const std::string& reason);

    // Reads every mailbox (Maildir and, when `includeImap`, IMAP) once;
    // progress lines go to `log`.
    WatchReport watchOnce(engine::Instant now, std::ostream& log, bool includeImap = true);

    // Hands every due queued email to the SMTP server or the outbox folder.
    DeliveryReport deliverDue(engine::Instant now, std::ostream& log);

    // watchOnce and deliverDue at once: acknowledgements go out while later
    // messages are still being taken in (each as soon as its batch is on
    // disk), and a last deliverDue sends the rest. Lines from both go to
    // `log` whole.
    std::pair<WatchReport, DeliveryReport> watchAndDeliver(engine::Instant now, std::ostream& log, bool includeImap = true);

    const Config& config() const { return _config; }

private:
    // Reads a message with `read` and takes it in; when anything fails, the
    // raw bytes go to quarantine with a case for triage instead. Throws only
    // when the store cannot keep even that.
    IngestResult ingestSafely(const MailboxConfig& mailbox, const std::string& raw, engine::Instant receivedAt,
                              const std::function<InboundReading()>& read);
    IngestResult ingestReading(const MailboxConfig& mailbox, InboundReading reading, const std::string& raw,
                               engine::Instant receivedAt);

    // One pass over an IMAP mailbox (mail::ImapWatcher); a server that cannot
    // be reached counts as one failure and is logged.
    void watchImap(const MailboxConfig& mailbox, engine::Instant now, WatchReport& report, std::ostream& log);

    const Config& _config;
    store::SqliteCaseStore& _store;
    engine::CharterBook& _charters;
    flow::Dispatch _dispatch;
    engine::Intake _intake;
    engine::CaseService _service;
    mail::RetryPolicy _retry;
    // One pass over what is due (in rounds of 100), added to `total`;
    // returns how many messages it handled. Connections stay open.
    std::size_t deliverRound(engine::Instant now, std::ostream& log, DeliveryReport& total);

    // A message the server accepted, and its words, to be recorded.
    struct Accepted {
        const engine::OutboundMessage* message;
        std::string said;
    };
    // Delivers one message with `sender`; when the server accepts it, returns
    // its words for recordDelivered, else records the retry or failure
    // itself. `shared` guards the report and the log (senders work side by side).
    std::optional<std::string> deliverOne(mail::MessageSender& sender, const engine::OutboundMessage& m,
                                          engine::Instant now, DeliveryReport& report, std::mutex& shared,
                                          std::ostream& log);
    // Marks accepted messages delivered and their cases acknowledged, in one write.
    void recordDelivered(const std::vector<Accepted>& group, engine::Instant now, DeliveryReport& report,
                         std::mutex& shared);

    // Ends the connections the senders kept open.
    void closeSenders();

    // One per SMTP connection used side by side ([smtp] connections); one
    // for the outbox folder.
    std::vector<std::unique_ptr<mail::MessageSender>> _senders;
};

}  // namespace duly::app
