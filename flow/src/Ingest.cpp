// Ingest: message → case → store, acknowledged through Dispatch. See Ingest.h.
#include "duly/flow/Ingest.h"

#include <exception>
#include <stdexcept>

using namespace duly::engine;

namespace duly::flow {

Ingest::Ingest(CaseStore& cases, MailLedger& ledger, CharterBook& charters, const Renderer& renderer,
               MailIdentity identity)
    : _ledger(ledger),
      _identity(std::move(identity)),
      _dispatch(renderer, cases, charters, senderIdentity(_identity)),
      _intake(cases, ledger, charters) {
    _intake.setAutoReplyLimit(_identity.autoReplyLimit);
}

IngestResult Ingest::take(const MailboxConfig& mailbox, const std::string& raw, Instant receivedAt) {
    return takeSafely(mailbox, raw, receivedAt, [&] { return readInbound(mailbox, _identity, raw, receivedAt); });
}

IngestResult Ingest::takeTooLarge(const MailboxConfig& mailbox, const std::string& head, Instant receivedAt,
                                  const std::string& reason) {
    return takeSafely(mailbox, head, receivedAt, [&] {
        InboundReading reading = readInbound(mailbox, _identity, head, receivedAt);
        reading.message.parseProblem = reason + "; the first " + std::to_string(head.size()) + " bytes are kept";
        reading.message.attachments.clear();  // cut short: not to be trusted
        reading.message.text.clear();
        return reading;
    });
}

IngestResult Ingest::takeSafely(const MailboxConfig& mailbox, const std::string& raw, Instant receivedAt,
                                const std::function<InboundReading()>& read) {
    // Each message is written in its own savepoint (a batch nested in the
    // caller's), so what a failing message wrote, its reserved reference
    // included, is undone alone and the references stay gapless.
    std::string failure;
    try {
        auto step = _ledger.beginBatch();
        IngestResult result = takeReading(mailbox, read(), raw, receivedAt);
        step->commit();
        return result;
    } catch (const std::exception& e) {
        failure = e.what();
    }
    // Whatever went wrong, the message must neither be lost nor block the
    // ones behind it: it is kept in quarantine with a case for triage, made
    // from as little of it as can be (no attachments, no threading).
    try {
        auto step = _ledger.beginBatch();
        InboundReading reading;
        try {
            reading = readInbound(mailbox, _identity, raw, receivedAt);
        } catch (const std::exception&) {
            reading.message = InboundMessage{};
            reading.message.mailbox = mailbox.name;
            reading.message.charter = mailbox.charter;
            reading.message.received = receivedAt;
        }
        InboundMessage& m = reading.message;
        m.parseProblem = "the message could not be taken in: " + failure;
        m.attachments.clear();
        m.references.clear();
        reading.notes.clear();
        if (m.messageId.empty()) m.messageId = "<" + std::to_string(raw.size()) + ".unreadable@duly.invalid>";
        IngestResult result = takeReading(mailbox, std::move(reading), raw, receivedAt);
        step->commit();
        return result;
    } catch (const std::exception& e) {
        // The store itself is failing (a full disk, a lost file): the message
        // stays in its mailbox for the next run.
        throw std::runtime_error(failure + "; keeping it in quarantine failed too: " + e.what());
    }
}

IngestResult Ingest::takeReading(const MailboxConfig& mailbox, InboundReading reading, const std::string& raw,
                                 Instant receivedAt) {
    const InboundMessage& m = reading.message;
    IntakePlan plan = _intake.plan(m);
    IngestResult result;
    result.action = plan.action;
    result.caseReference = plan.kase.reference;
    if (plan.action == IntakePlan::Action::Duplicate) return result;
    // What the reading noticed goes on the case with the item.
    for (const auto& note : reading.notes) {
        CaseEvent e{0, EventType::Note, m.received, "duly", note};
        if (plan.action == IntakePlan::Action::OpenCase) plan.kase.events.push_back(e);
        else plan.events.push_back(e);
    }
    if (!m.parseProblem.empty() && plan.action == IntakePlan::Action::OpenCase)
        plan.kase.events.push_back({0, EventType::Note, m.received, "duly",
                                    "the message could not be read and is in quarantine (duly quarantine list): " +
                                        m.parseProblem});

    // The acknowledgement is Dispatch's to decide and make; it is queued
    // with the case, in the same transaction.
    std::vector<OutboundMessage> out;
    if (plan.action == IntakePlan::Action::OpenCase && plan.acknowledge) {
        CustomerDocument ack{CustomerDocument::What::Acknowledgement, "acknowledgement", {}};
        ack.details.date = receivedAt;
        Dispatched sent = _dispatch.toCustomer(plan.kase, plan.customer, ack, receivedAt);
        if (sent.refused) {
            // A reply that cannot be made (an address the composer cannot
            // write) must not stop the case from opening: why is on the case.
            plan.acknowledge = false;
            plan.noAcknowledgementReason = sent.refusal;
            plan.kase.acknowledgementWithheld = sent.refusal;
            plan.kase.events.push_back({0, EventType::Note, receivedAt, "duly", "no automatic acknowledgement: " + sent.refusal});
        } else {
            plan.kase.events.insert(plan.kase.events.end(), sent.events.begin(), sent.events.end());
            if (sent.given) plan.kase.datesGiven.push_back(*sent.given);
            out = std::move(sent.messages);
        }
    }
    Case stored;
    try {
        stored = _intake.commit(plan, raw, out);
    } catch (const std::exception&) {
        // Two runs at once (cron overlapping serve) can both read a message;
        // the store takes it once and the loser finds it known: a duplicate,
        // not a failure.
        const std::string& source = plan.item.source;
        if (source.empty() || !_ledger.knownSource(source)) throw;
        result.action = IntakePlan::Action::Duplicate;
        result.caseReference = _ledger.caseForSource(source).value_or("");
        return result;
    }
    result.caseReference = stored.reference;
    result.acknowledgementQueued = !out.empty();
    result.noAcknowledgementReason = plan.noAcknowledgementReason;
    if (!m.parseProblem.empty()) {
        _ledger.quarantine({0, mailbox.name, m.messageId, receivedAt, m.parseProblem, stored.reference, raw});
        result.quarantined = true;
    }
    return result;
}

}  // namespace duly::flow
