// SqliteSupport: what the store's source files share — UTC seconds in and
// out of the database, reading RecordSet cells, transactions and event rows
// — and the few places where SQLite and PostgreSQL differ (Dialect): the
// placeholders Poco passes through (? for SQLite, $1, $2, … for
// PostgreSQL: Poco 1.11's PostgreSQL connector does not number them), how a
// write transaction starts, an empty BLOB/bytea literal, and whether a
// transaction is open. Everything else is one SQL text for both. Internal
// to store/.
#pragma once

#include "duly/engine/Case.h"
#include "duly/store/StoreError.h"

#include "SqliteStatements.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace duly::store::detail {

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using engine::CaseEvent;
using engine::Instant;

using Int = Poco::Int64;
using NullableInt = Poco::Nullable<Int>;

inline NullableInt nullable(const std::optional<Instant>& t) {
    return t ? NullableInt(static_cast<Int>(t->time_since_epoch().count())) : NullableInt();
}

inline Int seconds(Instant t) { return static_cast<Int>(t.time_since_epoch().count()); }

inline Instant instant(Int s) { return Instant{std::chrono::seconds{s}}; }

// Poco's PostgreSQL binder passes strings as C strings: a NUL byte would
// cut the value there, so the store refuses text holding one on both
// dialects (TextGuard.h); text that is not UTF-8 is refused by the server
// (docs/decisions.md).
enum class Dialect { Sqlite, PostgreSql };

inline Dialect dialect(const Poco::Data::Session& session) {
    return session.connector() == "postgresql" ? Dialect::PostgreSql : Dialect::Sqlite;
}

inline bool postgres(const Poco::Data::Session& session) { return dialect(session) == Dialect::PostgreSql; }

// `text` for the session's dialect: each ? outside quotes becomes $1, $2, …
// on PostgreSQL; unchanged on SQLite.
inline std::string sql(const Poco::Data::Session& session, std::string_view text) {
    if (!postgres(session)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    int n = 0;
    char quote = 0;
    for (char c : text) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
            continue;
        }
        out += c;
    }
    return out;
}

// An empty BLOB (SQLite) or bytea (PostgreSQL) literal.
inline const char* emptyBytes(const Poco::Data::Session& session) { return postgres(session) ? "'\\x'::bytea" : "X''"; }

inline PGconn* pgConnection(Poco::Data::Session& session) {
    return static_cast<PGconn*>(static_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl())->handle());
}

// A cell as text. PostgreSQL's text columns come as CLOB, SQLite's as
// std::string; numbers convert either way.
inline std::string text(const RecordSet& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return {};
    const auto& v = rs.value(col, row);
    if (v.type() == typeid(Poco::Data::CLOB)) {
        const auto& clob = v.extract<Poco::Data::CLOB>();
        return std::string(clob.rawContent(), clob.size());
    }
    return v.convert<std::string>();
}

// A cell as a 64-bit integer: SQLite gives Int64, PostgreSQL Int32 or Int64
// by column type, and a boolean for a comparison (read as 0 or 1).
inline Int integer(const RecordSet& rs, std::size_t col, std::size_t row) {
    const auto& v = rs.value(col, row);
    if (v.type() == typeid(bool)) return v.extract<bool>() ? 1 : 0;
    if (v.type() == typeid(Poco::Data::CLOB)) return std::stoll(text(rs, col, row));
    return v.convert<Int>();
}

inline std::optional<Instant> optionalInstant(const RecordSet& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return std::nullopt;
    return instant(integer(rs, col, row));
}

inline std::optional<Instant> optionalInstant(const Rows& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return std::nullopt;
    return instant(rs.integer(col, row));
}

// A BLOB (or text) cell as bytes.
inline std::string bytes(const RecordSet& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return {};
    const auto& v = rs.value(col, row);
    if (v.type() == typeid(Poco::Data::BLOB)) {
        const auto& blob = v.extract<Poco::Data::BLOB>();
        return std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
    }
    return text(rs, col, row);
}

inline Poco::Data::BLOB blob(const std::string& s) {
    return Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

// True while the connection is inside a transaction (a write batch),
// including one PostgreSQL has aborted after an error.
inline bool inOpenTransaction(Poco::Data::Session& session) {
    if (postgres(session)) return PQtransactionStatus(pgConnection(session)) != PQTRANS_IDLE;
    return sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(session)) == 0;
}

// True when the open transaction can no longer commit: SQLite rolled it
// back by itself (after a full disk, say), or PostgreSQL aborted it after a
// failed statement (its COMMIT would quietly roll back).
inline bool transactionLost(Poco::Data::Session& session) {
    if (postgres(session)) return PQtransactionStatus(pgConnection(session)) != PQTRANS_INTRANS;
    return !inOpenTransaction(session);
}

// Runs one statement that returns no rows (BEGIN, SAVEPOINT, COMMIT; never
// a PRAGMA, which SQLite applies when it prepares it) through the store's
// prepared statements when there are some (SQLite), else through Poco:
// these run several times per message, and preparing them again each time
// was a visible share of the CPU.
inline void execute(Poco::Data::Session& session, StatementCache* cache, const std::string& text) {
    if (cache && cache->postgres()) {
        // No parameters and nothing to plan: one PQexec, without Poco's
        // prepare and deallocate around it.
        PGresult* r = PQexec(cache->pg(), text.c_str());
        const bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok) cache->fail("\"" + text + "\" failed");
        return;
    }
    if (cache) {
        CachedStatement(*cache, text).run();
        return;
    }
    session << text, now;
}

// The statement that starts a write transaction: BEGIN IMMEDIATE takes
// SQLite's write lock at once; PostgreSQL locks rows as it writes them.
inline const char* beginWrite(const Poco::Data::Session& session) {
    return postgres(session) ? "BEGIN" : "BEGIN IMMEDIATE";
}

// Undoes the open transaction, or with `savepoint` only what was done since
// that savepoint (which is then released). Never throws: it runs on paths
// that are already failing.
inline void rollbackQuietly(Poco::Data::Session& session, const std::string& savepoint) {
    try {
        if (!savepoint.empty()) {
            session << "ROLLBACK TO " + savepoint, now;
            session << "RELEASE " + savepoint, now;
        } else {
            session << "ROLLBACK", now;
        }
    } catch (...) {
    }
}

// The database file a session is connected to, for error messages; for
// PostgreSQL its host, port and database (never the password).
inline std::string storeFile(Poco::Data::Session& session) {
    try {
        if (postgres(session)) {
            PGconn* c = pgConnection(session);
            return std::string("postgresql://") + PQuser(c) + "@" + PQhost(c) + ":" + PQport(c) + "/" + PQdb(c);
        }
        return session.impl()->connectionString();
    } catch (...) {
        return "the store";
    }
}

// Runs `body` in a transaction: committed when it returns, rolled back when
// it throws. BEGIN IMMEDIATE takes the write lock at the start (waiting up to
// the busy timeout), so two processes allocating references never both read
// the same sequence value and neither fails half-way with SQLITE_BUSY.
// Poco 1.11's Session::begin() issues a plain (deferred) BEGIN, hence the
// explicit statements. Readers that make several queries pass "BEGIN" to
// see one snapshot (WAL readers never wait for the writer).
// Inside a write batch (SqliteCaseStore::beginBatch) the body runs in a
// savepoint instead: undone alone when it throws, made durable with the
// batch.
// On PostgreSQL a write transaction is a plain BEGIN (see beginWrite).
// `cache`: the store's prepared statements (SQLite), or null.
template <typename Body>
auto inTransaction(Poco::Data::Session& session, Body body, const std::string& begin = "",
                   StatementCache* cache = nullptr) {
    const bool nested = inOpenTransaction(session);
    static const std::string savepoint = "SAVEPOINT duly_step", release = "RELEASE duly_step", commit = "COMMIT";
    execute(session, cache,
            nested          ? savepoint
            : begin.empty() ? std::string(beginWrite(session))
                            : begin);
    const std::string& done = nested ? release : commit;
    try {
        // A statement that failed inside the body and was caught there
        // leaves PostgreSQL's transaction aborted: COMMIT would quietly roll
        // it back, so say so instead.
        auto finish = [&] {
            if (!nested && transactionLost(session))
                throw StoreError(storeFile(session) + ": the transaction was rolled back after an error");
            execute(session, cache, done);
        };
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            finish();
        } else {
            auto result = body();
            finish();
            return result;
        }
    } catch (const Poco::Exception& e) {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); the
        // first error is the one worth reporting, with the file and SQLite's
        // words (what() is only the exception's class name).
        rollbackQuietly(session, nested ? "duly_step" : "");
        throw StoreError(storeFile(session) + ": " + e.displayText());
    } catch (...) {
        rollbackQuietly(session, nested ? "duly_step" : "");
        throw;
    }
}

// Appends `events` to the case's history; returns the ids they were given.
// `cache`: the store's prepared statements (SQLite), or null.
inline std::vector<Int> insertEvents(Poco::Data::Session& s, Int caseId, const std::vector<CaseEvent>& events,
                                     StatementCache* cache = nullptr) {
    std::vector<Int> ids;
    ids.reserve(events.size());
    for (const auto& e : events) {
        ids.push_back(Query(s, cache, "INSERT INTO events (case_id, type, at, actor, detail) VALUES (?, ?, ?, ?, ?) RETURNING id")
                          .bind(caseId)
                          .bind(std::string(engine::eventTypeName(e.type)))
                          .bind(seconds(e.at))
                          .bind(e.actor)
                          .bind(e.detail)
                          .single()
                          .value_or(0));
    }
    return ids;
}

}  // namespace duly::store::detail
