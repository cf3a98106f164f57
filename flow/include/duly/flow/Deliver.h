// Deliver: sends the queued email. Each round claims up to 100 due messages
// in the store (held from other runs for ten minutes, so two runs at once
// never send the same message, and a run that dies leaves them due again
// then), hands them to the senders side by side (one per [smtp] connection,
// each keeping its connection open between messages), and records what the
// server accepted a few messages at a time, in one short write each, with
// the acknowledgement marked on its case. A transient refusal is retried
// later (mail::RetryPolicy); a permanent one is marked failed with the
// server's words and a note on the case, for an officer. A crash before a
// group is recorded sends that group again, with the same Message-IDs, when
// its hold ends.
//
// How it fails: a failure of the far side or the disk is a sender's result,
// never a throw; only a failing store throws (the rest stay claimed and come
// round again when their hold ends).
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/MailLedger.h"
#include "duly/mail/MessageSender.h"
#include "duly/mail/RetryPolicy.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace duly::flow {

struct DeliveryReport {
    std::size_t delivered = 0;
    std::size_t retrying = 0;
    std::size_t failed = 0;
};

class Deliver {
public:
    // Makes one sender (an SMTP connection, the outbox folder, a test's fake).
    using SenderFactory = std::function<std::unique_ptr<mail::MessageSender>()>;

    // `cases` and `ledger` are usually one SqliteCaseStore; `fromAddress` is
    // the envelope sender ([mail] from_address); `connections` senders are
    // made with `makeSender` and used side by side.
    Deliver(engine::CaseStore& cases, engine::MailLedger& ledger, engine::CharterBook& charters,
            std::string fromAddress, const SenderFactory& makeSender, unsigned connections = 1);
    ~Deliver();

    // Hands every due queued email to the senders, then closes their
    // connections. Throws only when the store fails.
    DeliveryReport deliverDue(engine::Instant now, std::ostream& log);

    // One pass over what is due (in rounds of 100), added to `total`;
    // returns how many messages it handled. Connections stay open (for a
    // caller delivering beside an ingest; close() ends them).
    std::size_t deliverRound(engine::Instant now, std::ostream& log, DeliveryReport& total);

    // Ends the connections the senders kept open.
    void close();

    // How long a round's claim holds its messages from other runs (ten
    // minutes unless set): a run that dies leaves them due again then. It
    // must be longer than a round of 100 messages takes to send.
    void setHold(std::chrono::seconds hold) { _hold = hold; }
    // How many accepted messages are recorded in one write (8 unless set).
    // 1 records each as soon as the server accepts it: a process killed
    // then sends again at most the messages in flight, one per connection.
    void setRecordedTogether(std::size_t n) { _recordedTogether = n < 1 ? 1 : n; }

private:
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

    engine::CaseStore& _cases;
    engine::MailLedger& _ledger;
    engine::CaseService _service;
    std::string _fromAddress;
    mail::RetryPolicy _retry;
    std::chrono::seconds _hold{600};
    std::size_t _recordedTogether = 8;
    // The pass the rounds belong to (its `now`) and when it began on the
    // steady clock: a claim's hold counts from then.
    engine::Instant _passNow{};
    std::chrono::steady_clock::time_point _passBegan{};
    // One per connection used side by side.
    std::vector<std::unique_ptr<mail::MessageSender>> _senders;
};

}  // namespace duly::flow
