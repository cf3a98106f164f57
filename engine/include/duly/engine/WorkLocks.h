// WorkLocks: named locks that let several instances of `duly serve` share
// one store without doing the same work twice: each mailbox is read, and
// the scheduler's tick and the retention run are carried out, by whichever
// instance holds its lock, while the others stand by and try again at each
// poll. A lock is held for as long as the process (and, on PostgreSQL, its
// lock connection) lives, so an instance that dies, even by kill -9, frees
// its locks at once. Implemented by duly::store (openWorkLocks): advisory
// locks on PostgreSQL, flock()-ed files next to a SQLite store.
// How it fails: a lock that cannot be taken or checked (the database gone)
// is simply not held: tryHold and stillHeld return false, never throw, and
// the caller stands by; lastProblem() says why, for the log.
#pragma once

#include <string>
#include <vector>

namespace duly::engine {

class WorkLocks {
public:
    virtual ~WorkLocks() = default;

    // Takes the lock `name` unless another holder has it; true when this
    // object holds it now (already held counts). Never blocks.
    virtual bool tryHold(const std::string& name) = 0;

    // True while `name` is still held by this object. False when it was
    // never taken or has been lost (the lock connection dropped): the work
    // it guards must stop, and tryHold may take it again later.
    virtual bool stillHeld(const std::string& name) = 0;

    // Gives the lock up (nothing when not held).
    virtual void release(const std::string& name) = 0;

    // The names held, sorted, as last known.
    virtual std::vector<std::string> held() const = 0;

    // Why the last tryHold or stillHeld failed for a reason other than
    // another holder (empty when none), e.g. "the lock connection was lost: …".
    virtual std::string lastProblem() const = 0;
};

}  // namespace duly::engine
