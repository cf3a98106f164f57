// What the mail steps' tests share: a Maildir mailbox in the test's folder,
// messages written into it, a ledger whose commits can be made to fail (a
// full disk at the worst moment), and a MessageSender whose answers the
// test decides.
#pragma once

#include "duly/engine/MailLedger.h"
#include "duly/flow/MailSettings.h"
#include "duly/mail/MessageSender.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace duly::testsupport {

// A Maildir mailbox at `dir` for the Progress charter.
inline flow::MailboxConfig maildirMailbox(const std::filesystem::path& dir) {
    flow::MailboxConfig m;
    m.name = "inbox";
    m.url = "maildir:" + dir.string();
    m.charter = "progress";
    return m;
}

inline flow::MailIdentity progressIdentity() {
    flow::MailIdentity id;
    id.domain = "duly.progress.example.org";
    id.fromName = "Progress Housing Group";
    id.fromAddress = "customer.services@progress.example.org";
    return id;
}

// A plain message from `from` with this Message-ID.
inline std::string plainMessage(const std::string& from, const std::string& subject, const std::string& messageId,
                                const std::string& extraHeaders = "") {
    return "From: " + from + "\r\nTo: customer.services@progress.example.org\r\nSubject: " + subject +
           "\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: " + messageId + "\r\n" + extraHeaders +
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe back door sticks. " + subject +
           "\r\n";
}

// Writes `bytes` as DIR/new/NAME (the Maildir is made if missing).
inline void deliverTo(const std::filesystem::path& maildir, const std::string& name, const std::string& bytes) {
    for (const char* sub : {"tmp", "new", "cur"}) std::filesystem::create_directories(maildir / sub);
    std::ofstream(maildir / "new" / name, std::ios::binary) << bytes;
}

inline std::size_t filesIn(const std::filesystem::path& dir) {
    if (!std::filesystem::exists(dir)) return 0;
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

// A MailLedger that passes everything to `real`, except that while
// `failCommits` is set the outermost write batch's commit throws (and its
// writes are undone): the store failing when a batch is made durable; and
// while `failSavepoints` is set, so do the batches nested in it (each
// message's savepoint): the store refusing every message.
class FailingCommitLedger : public engine::MailLedger {
public:
    explicit FailingCommitLedger(engine::MailLedger& real) : _real(real) {}
    bool failCommits = true;
    bool failSavepoints = false;

    std::unique_ptr<engine::WriteBatch> beginBatch(engine::WriteBatch::Flush flush) override {
        return std::make_unique<Batch>(*this, _real.beginBatch(flush), _depth++ == 0);
    }
    bool knownSource(const std::string& s) const override { return _real.knownSource(s); }
    std::optional<std::string> caseForSource(const std::string& s) const override { return _real.caseForSource(s); }
    std::optional<SourceItem> itemForSource(const std::string& s) const override { return _real.itemForSource(s); }
    std::optional<std::string> caseForSentMessage(const std::string& id) const override {
        return _real.caseForSentMessage(id);
    }
    std::optional<engine::MailboxProgress> progress(const std::string& m) const override { return _real.progress(m); }
    void saveProgress(const std::string& m, const engine::MailboxProgress& p) override { _real.saveProgress(m, p); }
    std::int64_t quarantine(const engine::QuarantinedMessage& m) override { return _real.quarantine(m); }
    std::vector<engine::QuarantinedMessage> quarantined(std::size_t limit) const override {
        return _real.quarantined(limit);
    }
    std::string reserveReference(const std::string& prefix, int year) override {
        return _real.reserveReference(prefix, year);
    }
    engine::Case createCaseWithMessages(engine::Case c, const std::string& raw,
                                        const std::vector<engine::OutboundMessage>& m) override {
        return _real.createCaseWithMessages(std::move(c), raw, m);
    }
    void addItem(const std::string& ref, const engine::Item& item, const std::string& raw,
                 const std::vector<engine::CaseEvent>& events) override {
        _real.addItem(ref, item, raw, events);
    }
    void updateCaseWithMessages(const engine::Case& c, const std::vector<engine::CaseEvent>& events,
                                const std::vector<engine::OutboundMessage>& m) override {
        _real.updateCaseWithMessages(c, events, m);
    }
    void queueMessages(const std::vector<engine::OutboundMessage>& m) override { _real.queueMessages(m); }
    std::vector<engine::OutboundMessage> dueForDelivery(engine::OutboundMessage::Route r, engine::Instant now,
                                                        std::size_t limit) const override {
        return _real.dueForDelivery(r, now, limit);
    }
    std::vector<engine::OutboundMessage> claimForDelivery(engine::OutboundMessage::Route r, engine::Instant now,
                                                          engine::Instant until, std::size_t limit) override {
        return _real.claimForDelivery(r, now, until, limit);
    }
    std::vector<engine::OutboundMessage> outbound(const std::string& ref) const override { return _real.outbound(ref); }
    bool queued(const std::string& ref, const std::string& key) const override { return _real.queued(ref, key); }
    void markDelivered(std::int64_t id, engine::Instant at, const std::string& r) override { _real.markDelivered(id, at, r); }
    void markRetry(std::int64_t id, engine::Instant at, const std::string& r) override { _real.markRetry(id, at, r); }
    void markFailed(std::int64_t id, engine::Instant at, const std::string& r) override { _real.markFailed(id, at, r); }
    void markPrinted(std::int64_t id, engine::Instant at, const std::string& pdf, const std::string& r) override {
        _real.markPrinted(id, at, pdf, r);
    }
    std::size_t autoRepliesSince(const std::string& to, engine::Instant since) const override {
        return _real.autoRepliesSince(to, since);
    }
    std::size_t autoLettersSince(const std::string& ref, engine::Instant since) const override {
        return _real.autoLettersSince(ref, since);
    }
    std::optional<std::string> rawItem(std::int64_t id) const override { return _real.rawItem(id); }
    std::vector<engine::Attachment> attachments(std::int64_t id) const override { return _real.attachments(id); }

private:
    class Batch : public engine::WriteBatch {
    public:
        Batch(FailingCommitLedger& owner, std::unique_ptr<engine::WriteBatch> inner, bool outermost)
            : _owner(owner), _inner(std::move(inner)), _outermost(outermost) {}
        ~Batch() override { --_owner._depth; }
        void commit() override {
            if (_outermost && _owner.failCommits) throw std::runtime_error("disk full (the test)");
            if (!_outermost && _owner.failSavepoints) throw std::runtime_error("refused (the test)");
            _inner->commit();
        }

    private:
        FailingCommitLedger& _owner;
        std::unique_ptr<engine::WriteBatch> _inner;
        bool _outermost;
    };

    engine::MailLedger& _real;
    int _depth = 0;
};

// What the fake senders were given, shared by all of them (they run side by side).
struct SentLog {
    std::mutex mutex;
    std::map<std::string, int> times;  // Message-ID → how many times it was sent
    std::size_t total() {
        std::lock_guard lock(mutex);
        std::size_t n = 0;
        for (const auto& [id, t] : times) n += static_cast<std::size_t>(t);
        return n;
    }
};

// A MessageSender answering what `answer` says, recording each message in `log`.
class FakeSender : public mail::MessageSender {
public:
    using Answer = std::function<mail::DeliveryResult(const mail::ComposedMessage&)>;
    FakeSender(Answer answer, std::shared_ptr<SentLog> log) : _answer(std::move(answer)), _log(std::move(log)) {}
    mail::DeliveryResult send(const mail::ComposedMessage& message) override {
        {
            std::lock_guard lock(_log->mutex);
            ++_log->times[message.messageId];
        }
        return _answer(message);
    }

private:
    Answer _answer;
    std::shared_ptr<SentLog> _log;
};

inline mail::DeliveryResult accepted() { return {mail::DeliveryOutcome::Delivered, 250, "data", "2.0.0 Ok: queued"}; }

}  // namespace duly::testsupport
