// Ingest: one message from a mailbox → a case (new, or the case it joins)
// → the store, with the acknowledgement a new case gets through Dispatch
// queued in the same transaction (Ingest never composes or renders). Each
// message is written in its own savepoint, nested in the caller's write
// batch (MailboxSource commits the batch, then marks the messages
// processed), so what a failing message wrote is undone alone.
//
// How it fails: a message that cannot be read, or whose case cannot be
// written, is not lost and does not block the ones behind it: its bytes go
// to quarantine with a case for triage, made from as little of it as can be.
// A message too large to read whole is taken in from its first bytes and
// quarantined the same way. A message already taken in (its Message-ID
// known, also when another run took it meanwhile) is a duplicate. Only when
// the store cannot keep even the quarantine does take() throw; then the
// message stays in its mailbox for the next run.
#pragma once

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/Intake.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/Dispatch.h"
#include "duly/flow/InboundReading.h"
#include "duly/flow/MailSettings.h"

#include <functional>
#include <string>

namespace duly::flow {

struct IngestResult {
    engine::IntakePlan::Action action = engine::IntakePlan::Action::OpenCase;
    std::string caseReference;
    bool acknowledgementQueued = false;
    std::string noAcknowledgementReason;
    bool quarantined = false;
};

class Ingest {
public:
    // `cases` and `ledger` are usually one SqliteCaseStore; `identity` is
    // the config's [mail] section.
    Ingest(engine::CaseStore& cases, engine::MailLedger& ledger, engine::CharterBook& charters,
           const engine::Renderer& renderer, MailIdentity identity);

    // Takes one message from `mailbox` into the store. Throws only when the
    // store cannot keep it even in quarantine.
    IngestResult take(const MailboxConfig& mailbox, const std::string& raw, engine::Instant receivedAt);

    // Takes in a message too large to read whole, from its first bytes
    // `head`: quarantined with `reason`, with a case for triage (it still
    // counts). Throws as take().
    IngestResult takeTooLarge(const MailboxConfig& mailbox, const std::string& head, engine::Instant receivedAt,
                              const std::string& reason);

    engine::MailLedger& ledger() { return _ledger; }

private:
    // Reads a message with `read` and takes it in; when anything fails, the
    // raw bytes go to quarantine with a case for triage instead.
    IngestResult takeSafely(const MailboxConfig& mailbox, const std::string& raw, engine::Instant receivedAt,
                            const std::function<InboundReading()>& read);
    IngestResult takeReading(const MailboxConfig& mailbox, InboundReading reading, const std::string& raw,
                             engine::Instant receivedAt);

    engine::MailLedger& _ledger;
    MailIdentity _identity;
    Dispatch _dispatch;
    engine::Intake _intake;
};

}  // namespace duly::flow
