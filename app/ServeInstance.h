// ServeInstance: one `duly serve` among several sharing a store. It owns
// the instance's name (--instance, by default HOST-PID), its work locks
// (store::openWorkLocks: advisory locks on PostgreSQL, lock files next to a
// SQLite store) and its heartbeat row (engine::InstanceStore), and writes
// to the log when it takes a lock, stands by for one, or loses one — once
// per change, not at every poll. Lock names: "mailbox:NAME" for each
// configured mailbox, "tick" for the scheduler's tick and the daily
// retention run. PrefixedLines puts "[NAME] " before every line serve
// writes, so the logs of several instances can be read side by side.
// How it fails: a lock that cannot be taken is reported by hold() as not
// held (the work stands by); a heartbeat the store refuses is one log line.
#pragma once

#include "duly/engine/InstanceStore.h"
#include "duly/engine/Time.h"
#include "duly/engine/WorkLocks.h"

#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace duly::app {

// The default instance name: the host name and the process id, "HOST-PID".
std::string defaultInstanceName();

// Checks a name given with --instance: 1 to 64 printable ASCII characters,
// no spaces; throws InputError naming --instance otherwise.
std::string checkedInstanceName(const std::string& name);

class ServeInstance {
public:
    ServeInstance(std::string name, std::unique_ptr<engine::WorkLocks> locks, engine::InstanceStore& store,
                  engine::Instant started);

    const std::string& name() const { return _name; }
    engine::WorkLocks& locks() { return *_locks; }

    // Takes or keeps the lock `lock`; true when held. A change (taken,
    // standing by, lost) is one line to `log`.
    bool hold(const std::string& lock, std::ostream& log);
    // True while `lock` is still held; a loss is one line to `log`.
    bool stillHeld(const std::string& lock, std::ostream& log);

    // Writes this instance's row: seen at `now`, holding what it holds.
    void heartbeat(engine::Instant now, std::ostream& log);

private:
    void note(const std::string& lock, bool held, std::ostream& log);

    std::string _name;
    std::string _host;
    std::unique_ptr<engine::WorkLocks> _locks;
    engine::InstanceStore& _store;
    engine::Instant _started;
    std::map<std::string, bool> _known;  // what the log last said of each lock
    bool _heartbeatFailing = false;
};

// A stream buffer that writes `prefix` before every line it passes to
// `target` (whole lines, under a mutex, so threads do not interleave).
class PrefixedLines : public std::streambuf {
public:
    PrefixedLines(std::streambuf* target, std::string prefix) : _target(target), _prefix(std::move(prefix)) {}
    ~PrefixedLines() override {
        if (!_line.empty()) flushLine();
    }

protected:
    int overflow(int c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    void flushLine();

    std::streambuf* _target;
    std::string _prefix;
    std::string _line;
    std::mutex _mutex;
};

}  // namespace duly::app
