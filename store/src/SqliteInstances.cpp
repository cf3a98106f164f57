// SqliteCaseStore's InstanceStore half: one row per instance of `duly
// serve` in table instances (migration 19), written whole at every poll
// (INSERT … ON CONFLICT, which both SQLite and PostgreSQL understand), and
// read by the dashboard's status page. The locks listed in a row are what
// the instance said it held at its last heartbeat; the locks themselves are
// StoreLocks'. Database errors pass through as StoreError or Poco
// exceptions.
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <sstream>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::store {

using namespace detail;

namespace {

std::string joinLines(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += '\n';
        // A name is one line: a newline in one (a mailbox's name) would split it.
        for (char c : n) out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return out;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

void SqliteCaseStore::heartbeat(const InstanceRecord& r) {
    std::lock_guard lock(_mutex);
    std::string name = r.name, host = r.host, holds = joinLines(r.holds);
    Int pid = r.pid, started = seconds(r.started), lastSeen = seconds(r.lastSeen);
    *_session << sql(*_session,
                     "INSERT INTO instances (name, host, pid, started, last_seen, holds) VALUES (?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid,"
                     " started = excluded.started, last_seen = excluded.last_seen, holds = excluded.holds"),
        use(name), use(host), use(pid), use(started), use(lastSeen), use(holds), now;
}

std::vector<InstanceRecord> SqliteCaseStore::instances() const {
    std::lock_guard lock(_mutex);
    Statement st(*_session);
    st << "SELECT name, host, pid, started, last_seen, holds FROM instances ORDER BY last_seen DESC, name", now;
    RecordSet rs(st);
    std::vector<InstanceRecord> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
        InstanceRecord r;
        r.name = text(rs, 0, i);
        r.host = text(rs, 1, i);
        r.pid = integer(rs, 2, i);
        r.started = instant(integer(rs, 3, i));
        r.lastSeen = instant(integer(rs, 4, i));
        r.holds = splitLines(text(rs, 5, i));
        out.push_back(std::move(r));
    }
    return out;
}

std::size_t SqliteCaseStore::forgetInstancesSeenBefore(Instant before) {
    std::lock_guard lock(_mutex);
    Int at = seconds(before);
    Statement st(*_session);
    st << sql(*_session, "DELETE FROM instances WHERE last_seen < ?"), use(at);
    return st.execute();
}

}  // namespace duly::store
