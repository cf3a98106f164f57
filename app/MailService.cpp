// MailService: the mail steps wired to the config, and run side by side.
#include "MailService.h"

#include "duly/engine/InputError.h"
#include "duly/flow/CaseDocuments.h"
#include "duly/flow/HeldSource.h"
#include "duly/flow/MailSettings.h"
#include "duly/mail/FileOutbox.h"
#include "duly/mail/SmtpTransport.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <thread>

using namespace duly::engine;

namespace duly::app {
namespace {

// [smtp] when configured, else the outbox folder.
flow::Deliver::SenderFactory senderFactory(const Config& config) {
    return [&config]() -> std::unique_ptr<mail::MessageSender> {
        if (!config.smtp) return std::make_unique<mail::FileOutbox>(config.outboxFolder);
        return std::make_unique<mail::SmtpTransport>(flow::smtpSettings(*config.smtp, config.mail.domain));
    };
}

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

MailService::MailService(const Config& config, store::SqliteCaseStore& store, CharterBook& charters,
                         const Renderer& renderer)
    : _config(config),
      _ingest(store, store, charters, renderer, config.mail),
      _deliver(store, store, charters, config.mail.fromAddress, senderFactory(config),
               config.smtp ? config.smtp->connections : 1) {
    for (const auto& m : config.mailboxes) {
        try {
            const Charter& charter = charters.get(m.charter);
            if (!m.brand.empty()) flow::CaseDocuments::brandContact(charter, m.brand);
        } catch (const InputError& e) {
            throw InputError(config.file.string() + ":" + std::to_string(m.line) + ": mailbox " + m.name + ": " + e.what());
        }
    }
}

flow::WatchReport MailService::watchOnce(Instant now, std::ostream& log, bool includeImap) {
    flow::WatchReport report;
    for (const auto& mailbox : _config.mailboxes) {
        // Anything but a Maildir is read as IMAP (an unusable URL fails there, counted).
        const bool imap = mailbox.url.rfind("maildir:", 0) != 0;
        if (!_instance) {
            if (imap && !includeImap) continue;
            flow::takeIn(*flow::mailboxSource(mailbox), _ingest, now, report, log);
            continue;
        }
        // Several instances: only the one holding the mailbox's lock reads
        // it, and it asks again before each batch. A standby instance tries
        // at every call, and reads a mailbox at once when it takes it over
        // (its holder has gone; mail may be waiting).
        const std::string lock = "mailbox:" + mailbox.name;
        const bool heldBefore = _heldMailboxes.count(lock) > 0;
        if (!_instance->hold(lock, log)) {
            _heldMailboxes.erase(lock);
            continue;
        }
        _heldMailboxes.insert(lock);
        if (imap && !includeImap && heldBefore) continue;
        flow::HeldSource held(flow::mailboxSource(mailbox), [&] { return _instance->stillHeld(lock, log); });
        flow::takeIn(held, _ingest, now, report, log);
    }
    return report;
}

flow::DeliveryReport MailService::deliverDue(Instant now, std::ostream& log) {
    return _deliver.deliverDue(now, log);
}

std::pair<flow::WatchReport, flow::DeliveryReport> MailService::watchAndDeliver(Instant now, std::ostream& log,
                                                                                bool includeImap) {
    std::mutex logMutex;
    flow::DeliveryReport delivered;
    std::atomic<bool> takingIn{true};
    std::exception_ptr deliveryFailure;
    std::thread deliverer([&] {
        LineSink sink(log, logMutex);
        std::ostream out(&sink);
        try {
            while (takingIn) {
                if (_deliver.deliverRound(now, out, delivered) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        } catch (...) {
            deliveryFailure = std::current_exception();
        }
    });
    flow::WatchReport watched;
    {
        LineSink sink(log, logMutex);
        std::ostream out(&sink);
        try {
            watched = watchOnce(now, out, includeImap);
        } catch (...) {
            takingIn = false;
            deliverer.join();
            _deliver.close();
            throw;
        }
    }
    takingIn = false;
    deliverer.join();
    if (deliveryFailure) {
        _deliver.close();
        std::rethrow_exception(deliveryFailure);
    }
    // What the last batches queued.
    const flow::DeliveryReport rest = _deliver.deliverDue(now, log);
    delivered.delivered += rest.delivered;
    delivered.retrying += rest.retrying;
    delivered.failed += rest.failed;
    return {watched, delivered};
}

}  // namespace duly::app
