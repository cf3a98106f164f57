// MailboxSource: where messages come from — a Maildir or an IMAP folder —
// behind one interface, and takeIn(), the one place that drives a source.
// takeIn() owns the order for every kind of mailbox: for each batch of
// messages, hand each to Ingest (which writes its case in a savepoint),
// let the source note in the ledger how far it has read (IMAP: UIDVALIDITY
// and the last UID), commit all that as one write batch (one flush to disk
// per batch), and only then mark the batch's messages processed in the
// mailbox (Maildir: renamed into cur/ with the S flag; IMAP: flagged or
// moved). So a crash at any point either repeats a batch, which Message-ID
// de-duplication absorbs, or leaves a message unmarked; nothing is lost and
// nothing is deleted.
//
// How it fails: a mailbox that cannot be reached (or a connection dropped
// mid-pass) is one failure, logged, and the other mailboxes go on. A message
// Ingest refuses (the store failing) stays in its mailbox for the next run;
// an IMAP source then stops, because its progress is one UID that must not
// pass the message. A batch whose commit fails is left, all of it, for the
// next run. A message that vanishes before it is read (another reader) is
// passed by.
#pragma once

#include "duly/engine/MailLedger.h"
#include "duly/engine/Time.h"
#include "duly/flow/Ingest.h"
#include "duly/flow/MailSettings.h"

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace duly::flow {

// One message as a source hands it over.
struct MailboxMessage {
    std::string bytes;                       // whole, or the first bytes of one too large
    std::optional<engine::Instant> arrived;  // when the server says it arrived (IMAP INTERNALDATE)
    std::string tooLarge;                    // non-empty: why only the first bytes are here
};

// One pass over one mailbox, batch by batch. takeIn() calls start() once,
// then for each batch: nextBatch(), read() for each of its messages, keep()
// and markProcessed() with the indexes of those taken in; then finish().
class MailboxSource {
public:
    virtual ~MailboxSource() = default;

    const MailboxConfig& mailbox() const { return _mailbox; }

    // Connects (IMAP), lists what is waiting and returns how many messages.
    // Throws when the mailbox cannot be read.
    virtual std::size_t start(engine::MailLedger& ledger, std::ostream& log) = 0;

    // Makes the next batch ready (IMAP: fetches it) and returns how many
    // messages it has; 0 when none is left. Throws when the mailbox fails.
    virtual std::size_t nextBatch() = 0;

    // Message `i` of the batch (its bytes are moved out, not copied), or
    // nullopt when it has gone since it was listed.
    virtual std::optional<MailboxMessage> read(std::size_t i) = 0;

    // "UID 17", "1764.M1P2.host": message `i` of the batch in log lines.
    virtual std::string label(std::size_t i) const = 0;

    // True when a message refused must stop the pass (its progress is a
    // high-water mark that must not pass the message).
    virtual bool stopsAtRefusal() const = 0;

    // Inside the batch's write batch, before its commit: what the source
    // keeps in the ledger for the messages `taken` (indexes, in order).
    virtual void keep(engine::MailLedger& ledger, const std::vector<std::size_t>& taken) = 0;

    // Just before the batch's commit: whether it may be committed. A source
    // read under a work lock (HeldSource) says no when the lock is gone, so
    // an instance that lost the mailbox while reading the batch rolls it
    // back and leaves it for the instance holding the mailbox now.
    virtual bool mayCommit() { return true; }

    // After the commit: marks the messages `taken` processed in the mailbox.
    // A message that cannot be marked is on its case all the same (the next
    // run recognises it): a line to `log`, or a throw when the mailbox fails.
    virtual void markProcessed(const std::vector<std::size_t>& taken, std::ostream& log) = 0;

    // Ends the pass (IMAP: logs out).
    virtual void finish() {}

protected:
    explicit MailboxSource(MailboxConfig mailbox) : _mailbox(std::move(mailbox)) {}

private:
    MailboxConfig _mailbox;
};

// The source for a configured mailbox: maildir:PATH, or otherwise an IMAP
// folder (imap://, imaps://) through mail::ImapWatcher, 50 messages or 16
// MB to a batch. Never throws: a mailbox that cannot be used (a bad URL, a
// token endpoint refused) fails in start().
std::unique_ptr<MailboxSource> mailboxSource(const MailboxConfig& mailbox);

struct WatchReport {
    std::size_t taken = 0;       // messages taken in (new cases + joined)
    std::size_t duplicates = 0;
    std::size_t quarantined = 0;
    std::size_t failed = 0;      // left in the mailbox for the next run
};

// One pass over `source`: every waiting message taken in through `ingest`
// (into ingest.ledger()), received at the server's arrival time unless that
// is later than `now` (a wrong clock), else at `now`. Adds to `report`;
// progress and failures are lines to `log`. Never throws for a mailbox's
// failure (it is counted and logged).
void takeIn(MailboxSource& source, Ingest& ingest, engine::Instant now, WatchReport& report, std::ostream& log);

}  // namespace duly::flow
