// HeldSource: a MailboxSource read only while a work lock is held. It
// passes every call to the source it wraps, but before each batch it asks
// whether the lock (engine::WorkLocks, "mailbox:NAME") is still held; when
// it is not (its connection to the database was lost, so another instance
// may have taken the mailbox over) it ends the pass as if the mailbox were
// empty: what was committed stays, the batch not yet fetched is left for
// whoever holds the lock now. It asks again just before each batch's
// commit (mayCommit), and a batch read while the lock was lost is rolled
// back unmarked: two instances never commit one mailbox's batch side by
// side, bar the moment between that check and the commit.
#pragma once

#include "duly/engine/WorkLocks.h"
#include "duly/flow/MailboxSource.h"

#include <functional>
#include <memory>
#include <string>

namespace duly::flow {

class HeldSource : public MailboxSource {
public:
    // `stillHeld` is asked before each batch (ServeInstance::stillHeld, or
    // WorkLocks::stillHeld with the lock's name).
    HeldSource(std::unique_ptr<MailboxSource> source, std::function<bool()> stillHeld);

    std::size_t start(engine::MailLedger& ledger, std::ostream& log) override;
    std::size_t nextBatch() override;
    std::optional<MailboxMessage> read(std::size_t i) override { return _source->read(i); }
    std::string label(std::size_t i) const override { return _source->label(i); }
    bool stopsAtRefusal() const override { return _source->stopsAtRefusal(); }
    void keep(engine::MailLedger& ledger, const std::vector<std::size_t>& taken) override {
        _source->keep(ledger, taken);
    }
    bool mayCommit() override;
    void markProcessed(const std::vector<std::size_t>& taken, std::ostream& log) override {
        _source->markProcessed(taken, log);
    }
    void finish() override;

    // True when the pass ended because the lock was lost.
    bool lost() const { return _lost; }

private:
    std::unique_ptr<MailboxSource> _source;
    std::function<bool()> _stillHeld;
    bool _lost = false;
    bool _started = false;
};

}  // namespace duly::flow
