// ServeInstance: the instance's name, locks and heartbeat; PrefixedLines.
// See ServeInstance.h.
#include "ServeInstance.h"

#include "duly/engine/InputError.h"

#include <unistd.h>

#include <algorithm>

namespace duly::app {

std::string defaultInstanceName() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || !host[0]) std::snprintf(host, sizeof host, "%s", "localhost");
    return checkedInstanceName(std::string(host).substr(0, 40) + "-" + std::to_string(getpid()));
}

std::string checkedInstanceName(const std::string& name) {
    if (name.empty() || name.size() > 64)
        throw engine::InputError("--instance: expected a name of 1 to 64 characters, found " +
                                 std::to_string(name.size()));
    for (unsigned char c : name)
        if (c <= ' ' || c >= 0x7f)
            throw engine::InputError("--instance: expected letters, digits and punctuation without spaces, found \"" +
                                     name + "\"");
    return name;
}

ServeInstance::ServeInstance(std::string name, std::unique_ptr<engine::WorkLocks> locks, engine::InstanceStore& store,
                             engine::Instant started)
    : _name(std::move(name)), _locks(std::move(locks)), _store(store), _started(started) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0) _host = host;
}

void ServeInstance::note(const std::string& lock, bool held, std::ostream& log) {
    auto known = _known.find(lock);
    const std::string problem = held ? "" : _locks->lastProblem();
    if (known != _known.end() && known->second == held && problem.empty()) return;
    if (held)
        log << "duly: instance " << _name << " now holds " << lock << "\n";
    else if (known != _known.end() && known->second)
        log << "duly: instance " << _name << " lost " << lock << (problem.empty() ? "" : ": " + problem)
            << "; standing by\n";
    else if (known == _known.end() || !problem.empty())
        log << "duly: instance " << _name << " stands by for " << lock
            << (problem.empty() ? " (another instance holds it)" : ": " + problem) << "\n";
    _known[lock] = held;
}

bool ServeInstance::hold(const std::string& lock, std::ostream& log) {
    const bool held = _locks->tryHold(lock);
    note(lock, held, log);
    return held;
}

bool ServeInstance::stillHeld(const std::string& lock, std::ostream& log) {
    const bool held = _locks->stillHeld(lock);
    if (!held) note(lock, false, log);
    return held;
}

void ServeInstance::heartbeat(engine::Instant now, std::ostream& log) {
    engine::InstanceRecord r;
    r.name = _name;
    r.host = _host;
    r.pid = getpid();
    r.started = _started;
    r.lastSeen = now;
    r.holds = _locks->held();
    try {
        _store.heartbeat(r);
        if (_heartbeatFailing) log << "duly: instance " << _name << ": heartbeat written again\n";
        _heartbeatFailing = false;
    } catch (const std::exception& e) {
        if (!_heartbeatFailing) log << "duly: instance " << _name << ": cannot write its heartbeat: " << e.what() << "\n";
        _heartbeatFailing = true;
    }
}

int PrefixedLines::overflow(int c) {
    if (c == traits_type::eof()) return 0;
    std::lock_guard lock(_mutex);
    _line += static_cast<char>(c);
    if (c == '\n') flushLine();
    return c;
}

std::streamsize PrefixedLines::xsputn(const char* s, std::streamsize n) {
    std::lock_guard lock(_mutex);
    for (std::streamsize i = 0; i < n; ++i) {
        _line += s[i];
        if (s[i] == '\n') flushLine();
    }
    return n;
}

int PrefixedLines::sync() {
    // A part of a line waits for its end, so that it is prefixed once.
    return _target->pubsync();
}

void PrefixedLines::flushLine() {
    // Blank lines stay blank: they separate the due lists.
    if (_line != "\n") _target->sputn(_prefix.data(), static_cast<std::streamsize>(_prefix.size()));
    _target->sputn(_line.data(), static_cast<std::streamsize>(_line.size()));
    _line.clear();
}

}  // namespace duly::app
