// SqliteCaseStore::reachable: whether the store answers, and on PostgreSQL
// a connection the server dropped (a restart, a failover, a network cut)
// opened again. `duly serve` asks before each poll, so a database that goes
// away stops the work (each write was one transaction, rolled back by the
// server when the connection broke) and the next poll after it comes back
// carries on. Never throws: what libpq said is given back in plain words.
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"

namespace duly::store {

using namespace detail;

namespace {

// libpq's message on one line ("connection to server at … failed:
// Connection refused Is the server running …").
std::string oneLine(const char* message) {
    std::string out;
    for (const char* p = message ? message : ""; *p; ++p) {
        const char c = *p;
        if (c == '\n' || c == '\t' || c == '\r') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? "no answer" : out;
}

// One statement straight through libpq: true when the server answered it.
bool exec(PGconn* c, const char* statement) {
    PGresult* r = PQexec(c, statement);
    const auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

bool SqliteCaseStore::reachable(std::string& problem) {
    std::lock_guard lock(_mutex);
    if (!postgres(*_session)) return true;
    PGconn* c = pgConnection(*_session);
    // A transaction a failure left open (aborted, or cut off mid-way) is
    // rolled back: what it held was never committed, so nothing is lost.
    auto answers = [&] {
        if (PQstatus(c) != CONNECTION_OK) return false;
        if (PQtransactionStatus(c) != PQTRANS_IDLE) exec(c, "ROLLBACK");
        return exec(c, "SELECT 1") && PQstatus(c) == CONNECTION_OK;
    };
    if (answers()) return true;
    PQreset(c);  // the same parameters as the first connection
    // The statements prepared on the old connection went with it: prepare
    // them again on first use.
    if (_statements) _statements->clear();
    if (PQstatus(c) != CONNECTION_OK) {
        problem = oneLine(PQerrorMessage(c));
        return false;
    }
    // The session's settings, as openPostgreSql made them.
    for (const char* setting : {"SET TIME ZONE 'UTC'", "SET client_encoding = 'UTF8'", "SET client_min_messages = WARNING"})
        if (!exec(c, setting)) {
            problem = oneLine(PQerrorMessage(c));
            return false;
        }
    if (answers()) return true;
    problem = oneLine(PQerrorMessage(c));
    return false;
}

}  // namespace duly::store
