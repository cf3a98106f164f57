// MailLedger: what the mail side needs the store to remember so that every
// message is ingested exactly once and every reply sent exactly once, across
// crashes: which messages were taken in, how far each mailbox was read,
// what was quarantined, and the outbox of messages and letters waiting to go.
// Implemented by duly::store next to the cases, so that a case and the
// acknowledgement it decides to send are written in one transaction.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/Time.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

// How far a mailbox has been read: IMAP's UIDVALIDITY and the last UID taken
// in, or for a Maildir only `lastUid` unused.
struct MailboxProgress {
    std::uint32_t uidValidity = 0;
    std::uint32_t lastUid = 0;
};

// A message that could not be parsed (or a case could not be made of it),
// kept with the reason for a person to look at.
struct QuarantinedMessage {
    std::int64_t id = 0;
    std::string mailbox;
    std::string messageKey;  // Message-ID, or a digest of the bytes when it has none
    Instant received{};
    std::string reason;
    std::string caseReference;  // the case opened for it (it still counts), if any
    std::string raw;            // the message as received
};

// One email or letter waiting to go, or gone. Its messageKey is unique: the
// same document queued twice is queued once.
struct OutboundMessage {
    enum class Route { Email, Post };
    enum class State { Queued, Delivered, Failed };
    std::int64_t id = 0;
    std::string caseReference;
    std::string documentKey;  // "acknowledgement", "holding-reply", "extension-1", ...
    Route route = Route::Email;
    std::string messageKey;   // Message-ID for email; "REF/document" for post
    std::string recipient;    // email address, or the addressee's name for post
    std::string bytes;        // RFC 5322 message, or the signed PDF letter
    State state = State::Queued;
    int attempts = 0;
    Instant queuedAt{};
    Instant nextAttemptAt{};
    std::optional<Instant> doneAt;
    std::string lastResult;   // the server's words, for officers
};
std::string_view outboundStateName(OutboundMessage::State state);  // "queued", "delivered", "failed"

// Writes made durable together: one commit, so one flush to disk, for a
// whole batch of messages instead of one per message. What is written while
// the batch is open takes effect when commit() returns; a batch dropped
// without commit() undoes it all. A write that fails inside a batch is undone
// alone (the rest of the batch stands) and its error passed on.
class WriteBatch {
public:
    // How far commit() goes. Disk: the writes survive a power cut (the
    // default, for cases and anything whose loss would lose a customer's
    // message). System: they survive Duly being killed, but a power cut may
    // undo the last of them; for bookkeeping whose loss only repeats work
    // (marking a message delivered: at worst it is sent a second time).
    enum class Flush { Disk, System };

    virtual ~WriteBatch() = default;
    // Throws when the batch cannot be made durable; then none of it was.
    virtual void commit() = 0;
};

class MailLedger {
public:
    virtual ~MailLedger() = default;

    // Opens a write batch on the ledger (and the cases it shares a file
    // with). Other threads' calls wait until it is committed or dropped, so
    // keep batches short (a hundred messages, not ten thousand).
    virtual std::unique_ptr<WriteBatch> beginBatch(WriteBatch::Flush flush = WriteBatch::Flush::Disk) = 0;

    // True when an item with this source (Message-ID) is already on a case.
    virtual bool knownSource(const std::string& source) const = 0;

    // The case whose item has this source, if any.
    virtual std::optional<std::string> caseForSource(const std::string& source) const = 0;

    // The item with this source (the first, if several), for telling the
    // same message from another that reuses its Message-ID.
    struct SourceItem {
        std::string caseReference;
        std::int64_t itemId = 0;
        std::string fingerprint;  // empty for items stored before fingerprints
    };
    virtual std::optional<SourceItem> itemForSource(const std::string& source) const = 0;

    // The case of an email Duly queued with this Message-ID, if any: a reply
    // naming it in In-Reply-To answers that case.
    virtual std::optional<std::string> caseForSentMessage(const std::string& messageId) const = 0;

    virtual std::optional<MailboxProgress> progress(const std::string& mailbox) const = 0;
    virtual void saveProgress(const std::string& mailbox, const MailboxProgress& progress) = 0;

    // Keeps a message aside; returns its id.
    virtual std::int64_t quarantine(const QuarantinedMessage& message) = 0;
    virtual std::vector<QuarantinedMessage> quarantined(std::size_t limit) const = 0;

    // Reserves the next case reference for `prefix` in `year`, so a document
    // can be rendered with it before the case is written.
    virtual std::string reserveReference(const std::string& prefix, int year) = 0;

    // Writes a new case (with its reference already reserved), its items and
    // events, the raw message kept as evidence, and the messages it decided
    // to send, in one transaction. Returns the stored case. Throws when an
    // item's source is already known (the caller checked; a race lost).
    virtual Case createCaseWithMessages(Case newCase, const std::string& raw,
                                        const std::vector<OutboundMessage>& messages) = 0;

    // Adds an item to an existing case (a reply joining its case) with its
    // raw message, in one transaction.
    virtual void addItem(const std::string& caseReference, const Item& item, const std::string& raw,
                         const std::vector<CaseEvent>& events) = 0;

    // Updates a case and queues messages in one transaction (an
    // acknowledgement or holding reply decided later). Messages whose key is
    // already queued are left as they are.
    virtual void updateCaseWithMessages(const Case& changed, const std::vector<CaseEvent>& events,
                                        const std::vector<OutboundMessage>& messages) = 0;

    // Queues messages that belong to no case change (officers' digests), in
    // one transaction; keys already queued are left as they are.
    virtual void queueMessages(const std::vector<OutboundMessage>& messages) = 0;

    // Queued messages whose next attempt is due at `now`, oldest first.
    virtual std::vector<OutboundMessage> dueForDelivery(OutboundMessage::Route route, Instant now,
                                                       std::size_t limit) const = 0;
    // Takes up to `limit` due messages (as dueForDelivery) for this caller
    // to send, in one transaction: each is held — not due to anyone else —
    // until `holdUntil`, so two runs at once (cron beside `duly serve`) never
    // send the same message, and a run that dies holding some leaves them
    // due again then. Marking a message delivered, for retry or failed ends
    // the hold.
    virtual std::vector<OutboundMessage> claimForDelivery(OutboundMessage::Route route, Instant now, Instant holdUntil,
                                                          std::size_t limit) = 0;
    virtual std::vector<OutboundMessage> outbound(const std::string& caseReference) const = 0;
    // True when a message for this case and document (in any state) was ever
    // queued: the scheduler's guard against sending anything twice.
    // Officers' digests use an empty case reference.
    virtual bool queued(const std::string& caseReference, const std::string& documentKey) const = 0;
    virtual void markDelivered(std::int64_t id, Instant at, const std::string& result) = 0;
    virtual void markRetry(std::int64_t id, Instant nextAttempt, const std::string& result) = 0;
    virtual void markFailed(std::int64_t id, Instant at, const std::string& result) = 0;
    // A letter gone to print: its bytes become the signed PDF that was
    // printed (kept on the case as evidence) and it is marked delivered.
    virtual void markPrinted(std::int64_t id, Instant at, const std::string& pdf, const std::string& result) = 0;

    // Automatic replies queued to `recipient` since `since` (the per-sender
    // limit that stops ping-pong with machines the rules missed).
    virtual std::size_t autoRepliesSince(const std::string& recipient, Instant since) const = 0;
    // Automatic letters (not officers' replies) queued since `since` to the
    // customer with this reference: the same limit for the post.
    virtual std::size_t autoLettersSince(const std::string& customerRef, Instant since) const = 0;

    // The raw bytes of a case's item, as received.
    virtual std::optional<std::string> rawItem(std::int64_t itemId) const = 0;

    // The files that came with a case's item (a letter's scan, an email's
    // attachments), in the order they came; empty when there were none.
    virtual std::vector<Attachment> attachments(std::int64_t itemId) const = 0;

    // What attachments() would give, without the bytes: for listing them.
    // The default reads the bytes; a store overrides it to spare that.
    struct FileInfo {
        std::string name;
        std::string contentType;
        std::size_t size = 0;
    };
    virtual std::vector<FileInfo> attachmentList(std::int64_t itemId) const {
        std::vector<FileInfo> out;
        for (const auto& a : attachments(itemId)) out.push_back({a.name, a.contentType, a.bytes.size()});
        return out;
    }
    // The size of rawItem(itemId), or nothing when none was kept.
    virtual std::optional<std::size_t> rawItemSize(std::int64_t itemId) const {
        auto raw = rawItem(itemId);
        return raw ? std::optional<std::size_t>(raw->size()) : std::nullopt;
    }
};

}  // namespace duly::engine
