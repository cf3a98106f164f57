// MailService: ingest, acknowledge and deliver.
#include "MailService.h"
#include "SenderIdentity.h"

#include "ImapPush.h"
#include "MailAuth.h"
#include "InboundReading.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/mail/FileOutbox.h"
#include "duly/mail/ImapWatcher.h"
#include "duly/mail/MaildirReader.h"
#include "duly/mail/SmtpTransport.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <fstream>
#include <thread>
#include <ostream>
#include <streambuf>

using namespace duly::engine;

namespace duly::app {
namespace {

std::unique_ptr<mail::MessageSender> makeSender(const Config& config) {
    if (!config.smtp) return std::make_unique<mail::FileOutbox>(config.outboxFolder);
    return std::make_unique<mail::SmtpTransport>(smtpSettings(config));
}

// How long messages taken for delivery are held from other runs.
constexpr std::chrono::minutes kDeliveryHold{10};

// How many accepted messages are recorded in one write.
constexpr std::size_t kRecordedTogether = 8;

// How much of a message too large to read is kept as evidence.
constexpr std::size_t kKeptOfTooLarge = 1024 * 1024;

// The first `limit` bytes of a file, or nullopt when it cannot be read.
std::optional<std::string> headOf(const std::filesystem::path& file, std::size_t limit) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes(limit, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(limit));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

}  // namespace

MailService::MailService(const Config& config, const std::filesystem::path&, store::SqliteCaseStore& store,
                         CharterBook& charters, const Renderer& renderer)
    : _config(config),
      _store(store),
      _charters(charters),
      _dispatch(renderer, store, charters, senderIdentity(config.mail)),
      _intake(store, store, charters),
      _service(store, charters),
      _retry(mail::RetryPolicy::standard()),
      _senders() {
    const unsigned senders = config.smtp ? config.smtp->connections : 1;
    for (unsigned i = 0; i < senders; ++i) _senders.push_back(makeSender(config));
    _intake.setAutoReplyLimit(config.mail.autoReplyLimit);
    for (const auto& m : config.mailboxes) {
        try {
            const Charter& charter = charters.get(m.charter);
            if (!m.brand.empty()) flow::CaseDocuments::brandContact(charter, m.brand);
        } catch (const InputError& e) {
            throw InputError(config.file.string() + ":" + std::to_string(m.line) + ": mailbox " + m.name + ": " + e.what());
        }
    }
}

MailService::~MailService() = default;

IngestResult MailService::ingest(const MailboxConfig& mailbox, const std::string& raw, Instant receivedAt) {
    return ingestSafely(mailbox, raw, receivedAt, [&] { return readInbound(mailbox, _config.mail, raw, receivedAt); });
}

IngestResult MailService::ingestTooLarge(const MailboxConfig& mailbox, const std::string& head, Instant receivedAt,
                                         const std::string& reason) {
    return ingestSafely(mailbox, head, receivedAt, [&] {
        InboundReading reading = readInbound(mailbox, _config.mail, head, receivedAt);
        reading.message.parseProblem = reason + "; the first " + std::to_string(head.size()) + " bytes are kept";
        reading.message.attachments.clear();  // cut short: not to be trusted
        reading.message.text.clear();
        return reading;
    });
}

IngestResult MailService::ingestSafely(const MailboxConfig& mailbox, const std::string& raw, Instant receivedAt,
                                       const std::function<InboundReading()>& read) {
    // Each message is written in its own savepoint (a batch nested in the
    // caller's), so what a failing message wrote, its reserved reference
    // included, is undone alone and the references stay gapless.
    std::string failure;
    try {
        auto step = _store.beginBatch();
        IngestResult result = ingestReading(mailbox, read(), raw, receivedAt);
        step->commit();
        return result;
    } catch (const std::exception& e) {
        failure = e.what();
    }
    // Whatever went wrong, the message must neither be lost nor block the
    // ones behind it: it is kept in quarantine with a case for triage, made
    // from as little of it as can be (no attachments, no threading).
    try {
        auto step = _store.beginBatch();
        InboundReading reading;
        try {
            reading = readInbound(mailbox, _config.mail, raw, receivedAt);
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
        IngestResult result = ingestReading(mailbox, std::move(reading), raw, receivedAt);
        step->commit();
        return result;
    } catch (const std::exception& e) {
        // The store itself is failing (a full disk, a lost file): the message
        // stays in its mailbox for the next run.
        throw std::runtime_error(failure + "; keeping it in quarantine failed too: " + e.what());
    }
}

IngestResult MailService::ingestReading(const MailboxConfig& mailbox, InboundReading reading, const std::string& raw,
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

    std::vector<OutboundMessage> out;
    if (plan.action == IntakePlan::Action::OpenCase && plan.acknowledge) {
        flow::CustomerDocument ack{flow::CustomerDocument::What::Acknowledgement, "acknowledgement", {}};
        ack.details.date = receivedAt;
        flow::Dispatched sent = _dispatch.toCustomer(plan.kase, plan.customer, ack, receivedAt);
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
        if (source.empty() || !_store.knownSource(source)) throw;
        result.action = IntakePlan::Action::Duplicate;
        result.caseReference = _store.caseForSource(source).value_or("");
        return result;
    }
    result.caseReference = stored.reference;
    result.acknowledgementQueued = !out.empty();
    result.noAcknowledgementReason = plan.noAcknowledgementReason;
    if (!m.parseProblem.empty()) {
        _store.quarantine({0, mailbox.name, m.messageId, receivedAt, m.parseProblem, stored.reference, raw});
        result.quarantined = true;
    }
    return result;
}

void MailService::watchImap(const MailboxConfig& mailbox, Instant now, WatchReport& report, std::ostream& log) {
    try {
        mail::ImapWatcher watcher(imapMailboxSettings(mailbox));
        auto taken = watcher.watchOnce(
            _store,
            [&](const std::string& raw, std::optional<Instant> internalDate, const std::string& tooLarge) {
                // The server's arrival time counts, unless it is later than now (a wrong clock).
                const Instant received = internalDate && *internalDate < now ? *internalDate : now;
                auto r = tooLarge.empty() ? ingest(mailbox, raw, received) : ingestTooLarge(mailbox, raw, received, tooLarge);
                if (r.action == IntakePlan::Action::Duplicate) ++report.duplicates;
                else ++report.taken;
                if (r.quarantined) ++report.quarantined;
            },
            log);
        report.failed += taken.failed;
    } catch (const std::exception& e) {
        ++report.failed;
        log << "duly: mailbox " << mailbox.name << ": " << e.what() << "\n";
    }
}

WatchReport MailService::watchOnce(Instant now, std::ostream& log, bool includeImap) {
    WatchReport report;
    for (const auto& mailbox : _config.mailboxes) {
        if (mailbox.url.rfind("maildir:", 0) != 0) {
            if (includeImap) watchImap(mailbox, now, report, log);
            continue;
        }
        mail::MaildirReader reader(mailbox.url.substr(8));
        const auto pending = reader.pending();
        // Batches of messages are written with one commit (one flush to
        // disk); a message is moved out of new/ only once its batch is
        // durable, so a crash repeats at most a batch, which Message-ID
        // de-duplication absorbs.
        constexpr std::size_t kBatch = 50;
        for (std::size_t start = 0; start < pending.size(); start += kBatch) {
            const std::size_t end = std::min(pending.size(), start + kBatch);
            std::vector<const mail::MaildirEntry*> taken;
            std::size_t batchTaken = 0, batchDuplicates = 0, batchQuarantined = 0;
            try {
                auto writes = _store.beginBatch();
                for (std::size_t i = start; i < end; ++i) {
                    const auto& entry = pending[i];
                    std::optional<std::string> bytes;
                    std::string tooLarge;
                    try {
                        bytes = reader.read(entry);
                    } catch (const InputError& e) {
                        // Over the size limit: its first bytes are taken in and
                        // quarantined, so it is neither lost nor read again for ever.
                        tooLarge = e.what();
                        bytes = headOf(entry.path, kKeptOfTooLarge);
                    }
                    if (!bytes) continue;
                    try {
                        auto r = tooLarge.empty() ? ingest(mailbox, *bytes, now)
                                                  : ingestTooLarge(mailbox, *bytes, now, tooLarge);
                        if (r.action == IntakePlan::Action::Duplicate) ++batchDuplicates;
                        else ++batchTaken;
                        if (r.quarantined) ++batchQuarantined;
                        taken.push_back(&entry);
                    } catch (const std::exception& e) {
                        ++report.failed;
                        log << "duly: mailbox " << mailbox.name << ": " << entry.uniqueName
                            << " left for the next run: " << e.what() << "\n";
                    }
                }
                writes->commit();
            } catch (const std::exception& e) {
                report.failed += taken.size();
                log << "duly: mailbox " << mailbox.name << ": " << taken.size()
                    << " messages left for the next run: " << e.what() << "\n";
                break;
            }
            report.taken += batchTaken;
            report.duplicates += batchDuplicates;
            report.quarantined += batchQuarantined;
            for (const auto* entry : taken) {
                try {
                    reader.markProcessed(*entry);
                } catch (const std::exception& e) {
                    // Taken in and durable; next run finds it known.
                    log << "duly: mailbox " << mailbox.name << ": " << entry->uniqueName
                        << " stays in new/ (it is on its case; the next run recognises it): " << e.what() << "\n";
                }
            }
            if (pending.size() >= 100 && (end % 100 == 0 || end == pending.size()))
                log << "duly: mailbox " << mailbox.name << ": " << end << " of " << pending.size() << "\n";
        }
    }
    return report;
}

void MailService::closeSenders() {
    for (auto& sender : _senders) sender->close();
}

DeliveryReport MailService::deliverDue(Instant now, std::ostream& log) {
    DeliveryReport report;
    try {
        deliverRound(now, log, report);
    } catch (...) {
        closeSenders();
        throw;
    }
    closeSenders();
    return report;
}

std::size_t MailService::deliverRound(Instant now, std::ostream& log, DeliveryReport& report) {
    std::mutex shared;
    std::size_t handled = 0;
    for (;;) {
        // Held for ten minutes: another run at the same time passes them by,
        // and if this one dies they are due again then.
        const auto due = _store.claimForDelivery(OutboundMessage::Route::Email, now, now + kDeliveryHold, 100);
        if (due.empty()) break;
        // The senders take the next message in turn, so while one waits for
        // its server's reply another is talking to it or writing to the store.
        // What the server accepted is recorded a few messages at a time, in
        // one short write each: while a batch of incoming mail holds the
        // store, the senders keep sending instead of queuing for it one by
        // one. A crash before a group is recorded sends that group again
        // (with the same Message-IDs) when its hold ends.
        std::atomic<std::size_t> next{0};
        std::exception_ptr failure;
        std::vector<Accepted> accepted;  // guarded by `shared`
        auto work = [&](mail::MessageSender& sender) {
            try {
                for (std::size_t i; (i = next++) < due.size();) {
                    auto said = deliverOne(sender, due[i], now, report, shared, log);
                    if (!said) continue;
                    std::vector<Accepted> group;
                    {
                        std::lock_guard lock(shared);
                        accepted.push_back({&due[i], std::move(*said)});
                        if (accepted.size() >= kRecordedTogether) group.swap(accepted);
                    }
                    recordDelivered(group, now, report, shared);
                }
            } catch (...) {
                std::lock_guard lock(shared);
                if (!failure) failure = std::current_exception();
                next = due.size();  // the others stop after their message
            }
        };
        std::vector<std::thread> helpers;
        for (std::size_t k = 1; k < _senders.size() && k < due.size(); ++k) helpers.emplace_back(work, std::ref(*_senders[k]));
        work(*_senders.front());
        for (auto& t : helpers) t.join();
        recordDelivered(accepted, now, report, shared);
        if (failure) std::rethrow_exception(failure);
        handled += due.size();
        const std::size_t total = report.delivered + report.retrying + report.failed;
        if (total / 100 != (total - due.size()) / 100)  // a line for each hundred
            log << "duly: delivered " << report.delivered << (report.retrying ? ", " + std::to_string(report.retrying) + " to retry" : "")
                << (report.failed ? ", " + std::to_string(report.failed) + " failed" : "") << "\n";
        if (due.size() < 100) break;
    }
    return handled;
}

namespace {

// A stream buffer that hands whole lines to a shared stream under a mutex,
// so two threads' progress lines never interleave mid-line.
class LineSink : public std::streambuf {
public:
    LineSink(std::ostream& target, std::mutex& mutex) : _target(target), _mutex(mutex) {}
    ~LineSink() override { sync(); }

protected:
    int overflow(int c) override {
        if (c == traits_type::eof()) return 0;
        _line += static_cast<char>(c);
        if (c == '\n') sync();
        return c;
    }
    int sync() override {
        if (_line.empty()) return 0;
        std::lock_guard lock(_mutex);
        _target << _line;
        _target.flush();
        _line.clear();
        return 0;
    }

private:
    std::ostream& _target;
    std::mutex& _mutex;
    std::string _line;
};

}  // namespace

std::pair<WatchReport, DeliveryReport> MailService::watchAndDeliver(Instant now, std::ostream& log, bool includeImap) {
    std::mutex logMutex;
    DeliveryReport delivered;
    std::atomic<bool> takingIn{true};
    std::exception_ptr deliveryFailure;
    std::thread deliverer([&] {
        LineSink sink(log, logMutex);
        std::ostream out(&sink);
        try {
            while (takingIn) {
                if (deliverRound(now, out, delivered) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        } catch (...) {
            deliveryFailure = std::current_exception();
        }
    });
    WatchReport watched;
    {
        LineSink sink(log, logMutex);
        std::ostream out(&sink);
        try {
            watched = watchOnce(now, out, includeImap);
        } catch (...) {
            takingIn = false;
            deliverer.join();
            closeSenders();
            throw;
        }
    }
    takingIn = false;
    deliverer.join();
    if (deliveryFailure) {
        closeSenders();
        std::rethrow_exception(deliveryFailure);
    }
    // What the last batches queued.
    const DeliveryReport rest = deliverDue(now, log);
    delivered.delivered += rest.delivered;
    delivered.retrying += rest.retrying;
    delivered.failed += rest.failed;
    return {watched, delivered};
}

void MailService::recordDelivered(const std::vector<Accepted>& group, Instant now, DeliveryReport& report,
                                  std::mutex& shared) {
    if (group.empty()) return;
    // Flushed to the operating system, not the disk: a power cut can only
    // make a message go twice, never lose it.
    auto writes = _store.beginBatch(WriteBatch::Flush::System);
    for (const auto& [m, said] : group) {
        _store.markDelivered(m->id, now, said);
        if (!isAcknowledgementKey(m->documentKey)) continue;
        try {
            _service.acknowledge(m->caseReference, now, "duly");
        } catch (const InputError&) {
            // Acknowledged meanwhile (an officer, or another run), or
            // closed already: nothing to add.
        }
    }
    writes->commit();
    std::lock_guard lock(shared);
    report.delivered += group.size();
}

std::optional<std::string> MailService::deliverOne(mail::MessageSender& sender, const OutboundMessage& m, Instant now,
                                                   DeliveryReport& report, std::mutex& shared, std::ostream& log) {
    mail::ComposedMessage composed{m.messageKey, _config.mail.fromAddress, {m.recipient}, m.bytes};
    const mail::DeliveryResult result = sender.send(composed);
    const std::string said = std::string(mail::toString(result.outcome)) +
                             (result.replyCode ? " " + std::to_string(result.replyCode) : "") + ": " + result.text;
    if (result.delivered()) return said;
    auto decision = _retry.decide(static_cast<unsigned>(m.attempts + 1), m.queuedAt, now, result);
    if (decision.kind == mail::RetryDecision::Kind::RetryAt) {
        _store.markRetry(m.id, decision.at, said);
        std::lock_guard lock(shared);
        ++report.retrying;
        return std::nullopt;
    }
    {
        // One batch: the case read and written back while no other sender
        // can change it in between.
        auto writes = _store.beginBatch();
        _store.markFailed(m.id, now, said + (decision.reason.empty() ? "" : " (" + decision.reason + ")"));
        if (auto c = _store.findCase(m.caseReference))
            _store.updateCase(*c, {{0, EventType::Note, now, "duly", m.documentKey + " to " + m.recipient + " failed: " + said}});
        writes->commit();
    }
    std::lock_guard lock(shared);
    ++report.failed;
    log << "duly: " << m.caseReference << ": " << m.documentKey << " to " << m.recipient << " could not be delivered: " << said
        << "\n";
    return std::nullopt;
}

}  // namespace duly::app
