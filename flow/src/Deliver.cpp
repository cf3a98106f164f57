// Deliver: claims, senders side by side, grouped delivery marks. See Deliver.h.
#include "duly/flow/Deliver.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <ostream>
#include <thread>

using namespace duly::engine;

namespace duly::flow {
namespace {

}  // namespace

Deliver::Deliver(CaseStore& cases, MailLedger& ledger, CharterBook& charters, std::string fromAddress,
                 const SenderFactory& makeSender, unsigned connections)
    : _cases(cases),
      _ledger(ledger),
      _service(cases, charters),
      _fromAddress(std::move(fromAddress)),
      _retry(mail::RetryPolicy::standard()) {
    for (unsigned i = 0; i < std::max(1u, connections); ++i) _senders.push_back(makeSender());
}

Deliver::~Deliver() = default;

void Deliver::close() {
    for (auto& sender : _senders) sender->close();
}

DeliveryReport Deliver::deliverDue(Instant now, std::ostream& log) {
    DeliveryReport report;
    try {
        deliverRound(now, log, report);
    } catch (...) {
        close();
        throw;
    }
    close();
    return report;
}

std::size_t Deliver::deliverRound(Instant now, std::ostream& log, DeliveryReport& report) {
    std::mutex shared;
    std::size_t handled = 0;
    for (;;) {
        // Held for ten minutes: another run at the same time passes them by,
        // and if this one dies they are due again then.
        // The hold counts from `now` plus the time this pass has taken so
        // far: `now` is when the caller's pass began, and a long pass must
        // not claim messages with a hold that is already over (another
        // instance would take them too). Measured on the steady clock, so
        // that a caller's own clock (--now) keeps its meaning.
        if (now != _passNow) {
            _passNow = now;
            _passBegan = std::chrono::steady_clock::now();
        }
        const auto taken = std::chrono::ceil<std::chrono::seconds>(std::chrono::steady_clock::now() - _passBegan);
        const auto due = _ledger.claimForDelivery(OutboundMessage::Route::Email, now, now + taken + _hold, 100);
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
                        if (accepted.size() >= _recordedTogether) group.swap(accepted);
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

void Deliver::recordDelivered(const std::vector<Accepted>& group, Instant now, DeliveryReport& report,
                              std::mutex& shared) {
    if (group.empty()) return;
    // Flushed to the operating system, not the disk: a power cut can only
    // make a message go twice, never lose it.
    auto writes = _ledger.beginBatch(WriteBatch::Flush::System);
    for (const auto& [m, said] : group) {
        _ledger.markDelivered(m->id, now, said);
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

std::optional<std::string> Deliver::deliverOne(mail::MessageSender& sender, const OutboundMessage& m, Instant now,
                                               DeliveryReport& report, std::mutex& shared, std::ostream& log) {
    mail::ComposedMessage composed{m.messageKey, _fromAddress, {m.recipient}, m.bytes};
    const mail::DeliveryResult result = sender.send(composed);
    const std::string said = std::string(mail::toString(result.outcome)) +
                             (result.replyCode ? " " + std::to_string(result.replyCode) : "") + ": " + result.text;
    if (result.delivered()) return said;
    auto decision = _retry.decide(static_cast<unsigned>(m.attempts + 1), m.queuedAt, now, result);
    if (decision.kind == mail::RetryDecision::Kind::RetryAt) {
        _ledger.markRetry(m.id, decision.at, said);
        std::lock_guard lock(shared);
        ++report.retrying;
        return std::nullopt;
    }
    {
        // One batch: the case read and written back while no other sender
        // can change it in between.
        auto writes = _ledger.beginBatch();
        _ledger.markFailed(m.id, now, said + (decision.reason.empty() ? "" : " (" + decision.reason + ")"));
        if (auto c = _cases.findCase(m.caseReference))
            _cases.updateCase(*c, {{0, EventType::Note, now, "duly", m.documentKey + " to " + m.recipient + " failed: " + said}});
        writes->commit();
    }
    std::lock_guard lock(shared);
    ++report.failed;
    log << "duly: " << m.caseReference << ": " << m.documentKey << " to " << m.recipient << " could not be delivered: " << said
        << "\n";
    return std::nullopt;
}

}  // namespace duly::flow
