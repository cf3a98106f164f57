// HeldSource: the lock asked before each batch. See HeldSource.h.
#include "duly/flow/HeldSource.h"

namespace duly::flow {

HeldSource::HeldSource(std::unique_ptr<MailboxSource> source, std::function<bool()> stillHeld)
    : MailboxSource(source->mailbox()), _source(std::move(source)), _stillHeld(std::move(stillHeld)) {}

std::size_t HeldSource::start(engine::MailLedger& ledger, std::ostream& log) {
    if (!_stillHeld()) {
        _lost = true;
        return 0;
    }
    _started = true;
    return _source->start(ledger, log);
}

void HeldSource::finish() {
    if (_started) _source->finish();
}

std::size_t HeldSource::nextBatch() {
    if (_lost || !_stillHeld()) {
        _lost = true;
        return 0;
    }
    return _source->nextBatch();
}

bool HeldSource::mayCommit() {
    if (_lost || !_stillHeld()) {
        _lost = true;
        return false;
    }
    return _source->mayCommit();
}

}  // namespace duly::flow
