// MailService: ingest, acknowledge and deliver.
#include "MailService.h"

#include "ImapPush.h"
#include "InboundReading.h"

#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/mail/FileOutbox.h"
#include "duly/mail/ImapWatcher.h"
#include "duly/mail/MaildirReader.h"
#include "duly/mail/SmtpTransport.h"

#include <fstream>
#include <ostream>

using namespace duly::engine;

namespace duly::app {
namespace {

std::unique_ptr<mail::MessageSender> makeSender(const Config& config) {
    if (!config.smtp) return std::make_unique<mail::FileOutbox>(config.outboxFolder);
    mail::SmtpSettings s;
    s.host = config.smtp->host;
    s.port = config.smtp->port;
    s.security = config.smtp->security == "tls"     ? mail::SmtpSecurity::ImplicitTls
                 : config.smtp->security == "plain" ? mail::SmtpSecurity::Plain
                                                    : mail::SmtpSecurity::StartTls;
    s.username = config.smtp->username;
    s.auth = s.username.empty() ? mail::SmtpAuth::None : mail::SmtpAuth::Plain;
    s.passwordFile = config.smtp->passwordFile;
    s.passwordEnv = config.smtp->passwordEnv;
    s.caFile = config.smtp->caFile;
    s.heloName = config.mail.domain;
    return std::make_unique<mail::SmtpTransport>(s);
}

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
      _documents(renderer, store, charters),
      _intake(store, store, charters),
      _service(store, charters),
      _composer(config.mail.domain),
      _retry(mail::RetryPolicy::standard()),
      _sender(makeSender(config)) {
    _intake.setAutoReplyLimit(config.mail.autoReplyLimit);
    for (const auto& m : config.mailboxes) {
        try {
            const Charter& charter = charters.get(m.charter);
            if (!m.brand.empty()) CaseDocuments::brandContact(charter, m.brand);
        } catch (const InputError& e) {
            throw InputError(config.file.string() + ":" + std::to_string(m.line) + ": mailbox " + m.name + ": " + e.what());
        }
    }
}

MailService::~MailService() = default;

OutboundMessage MailService::composeAcknowledgement(IntakePlan& plan, const InboundMessage& m, Instant now) {
    LetterDetails details;
    details.date = now;
    const Document doc =
        _documents.render(plan.kase, plan.customer, CaseDocuments::acknowledgementTemplate(plan.kase.kind), details);
    for (const auto& f : doc.fallbacks)
        plan.kase.events.push_back({0, EventType::Note, now, "duly",
                                    "acknowledgement: " + f.what + " was not available in " + f.requested + "; " +
                                        f.used + " was used (" + f.reason + ")"});
    mail::OutgoingMessage out;
    out.from = {_config.mail.fromName, _config.mail.fromAddress};
    out.to = {{plan.customer.name, plan.customer.email.empty() ? m.fromAddress : plan.customer.email}};
    out.subject = doc.subject;
    out.caseReference = plan.kase.reference;
    out.documentId = "acknowledgement";
    out.inReplyTo = m.messageId;
    out.references = m.references;
    out.references.push_back(m.messageId);
    out.autoSubmitted = mail::AutoSubmitted::AutoReplied;
    out.loopMarker = _config.mail.domain;
    out.textBody = writeText(doc);
    out.htmlBody = writeHtml(doc);
    const mail::ComposedMessage composed = _composer.compose(out, now);

    OutboundMessage queued;
    queued.caseReference = plan.kase.reference;
    queued.documentKey = "acknowledgement";
    queued.route = OutboundMessage::Route::Email;
    queued.messageKey = composed.messageId;
    queued.recipient = out.to.front().address;
    queued.bytes = composed.bytes;
    queued.queuedAt = queued.nextAttemptAt = now;
    return queued;
}

IngestResult MailService::ingest(const MailboxConfig& mailbox, const std::string& raw, Instant receivedAt) {
    return ingestReading(mailbox, readInbound(mailbox, _config.mail, raw, receivedAt), raw, receivedAt);
}

IngestResult MailService::ingestTooLarge(const MailboxConfig& mailbox, const std::string& head, Instant receivedAt,
                                         const std::string& reason) {
    InboundReading reading = readInbound(mailbox, _config.mail, head, receivedAt);
    reading.message.parseProblem =
        reason + "; the first " + std::to_string(head.size()) + " bytes are kept";
    reading.message.attachments.clear();  // cut short: not to be trusted
    reading.message.text.clear();
    return ingestReading(mailbox, std::move(reading), head, receivedAt);
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
        if (plan.byPost) {
            // A letter: queued for the print run, which lays it out and signs it.
            OutboundMessage letter;
            letter.caseReference = plan.kase.reference;
            letter.documentKey = "acknowledgement";
            letter.route = OutboundMessage::Route::Post;
            letter.messageKey = plan.kase.reference + "/acknowledgement";
            letter.recipient = plan.customer.name;
            letter.bytes = CaseDocuments::acknowledgementTemplate(plan.kase.kind);
            letter.queuedAt = letter.nextAttemptAt = receivedAt;
            out.push_back(std::move(letter));
        } else {
            try {
                out.push_back(composeAcknowledgement(plan, m, receivedAt));
            } catch (const InputError& e) {
                // A reply that cannot be composed (a bad address) must not stop
                // the case from opening: record why on the case.
                plan.acknowledge = false;
                plan.noAcknowledgementReason = e.what();
                plan.kase.events.push_back({0, EventType::Note, receivedAt, "duly",
                                            std::string("no automatic acknowledgement: ") + e.what()});
            }
        }
    }
    Case stored;
    try {
        stored = _intake.commit(plan, raw, out);
    } catch (const std::exception&) {
        // Two runs at once (cron overlapping serve) can both read a message;
        // the store takes it once and the loser finds it known: a duplicate,
        // not a failure.
        if (m.messageId.empty() || !_store.knownSource(m.messageId)) throw;
        result.action = IntakePlan::Action::Duplicate;
        result.caseReference = _store.caseForSource(m.messageId).value_or("");
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
        std::size_t done = 0;
        for (const auto& entry : pending) {
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
                auto r = tooLarge.empty() ? ingest(mailbox, *bytes, now) : ingestTooLarge(mailbox, *bytes, now, tooLarge);
                if (r.action == IntakePlan::Action::Duplicate) ++report.duplicates;
                else ++report.taken;
                if (r.quarantined) ++report.quarantined;
                reader.markProcessed(entry);
            } catch (const std::exception& e) {
                ++report.failed;
                log << "duly: mailbox " << mailbox.name << ": " << entry.uniqueName << " left for the next run: " << e.what()
                    << "\n";
            }
            if (++done % 100 == 0) log << "duly: mailbox " << mailbox.name << ": " << done << " of " << pending.size() << "\n";
        }
    }
    return report;
}

DeliveryReport MailService::deliverDue(Instant now, std::ostream& log) {
    DeliveryReport report;
    for (;;) {
        auto due = _store.dueForDelivery(OutboundMessage::Route::Email, now, 100);
        if (due.empty()) break;
        for (const auto& m : due) {
            mail::ComposedMessage composed{m.messageKey, _config.mail.fromAddress, {m.recipient}, m.bytes};
            const mail::DeliveryResult result = _sender->send(composed);
            const std::string said = std::string(mail::toString(result.outcome)) +
                                     (result.replyCode ? " " + std::to_string(result.replyCode) : "") + ": " + result.text;
            if (result.delivered()) {
                _store.markDelivered(m.id, now, said);
                ++report.delivered;
                if (m.documentKey == "acknowledgement") {
                    auto c = _store.findCase(m.caseReference);
                    try {
                        if (c && !c->acknowledgedAt && c->state == CaseState::Open)
                            _service.acknowledge(m.caseReference, now, "duly");
                    } catch (const InputError&) {
                        // Acknowledged meanwhile (an officer, or another run): nothing to add.
                    }
                }
                continue;
            }
            auto decision = _retry.decide(static_cast<unsigned>(m.attempts + 1), m.queuedAt, now, result);
            if (decision.kind == mail::RetryDecision::Kind::RetryAt) {
                _store.markRetry(m.id, decision.at, said);
                ++report.retrying;
            } else {
                _store.markFailed(m.id, now, said + (decision.reason.empty() ? "" : " (" + decision.reason + ")"));
                ++report.failed;
                log << "duly: " << m.caseReference << ": " << m.documentKey << " to " << m.recipient
                    << " could not be delivered: " << said << "\n";
                if (auto c = _store.findCase(m.caseReference))
                    _store.updateCase(*c, {{0, EventType::Note, now, "duly",
                                            m.documentKey + " to " + m.recipient + " failed: " + said}});
            }
        }
        if (due.size() < 100) break;
    }
    return report;
}

}  // namespace duly::app
