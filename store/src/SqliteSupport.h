// SqliteSupport: what the store's source files share — UTC seconds in and
// out of SQLite, reading RecordSet cells, IMMEDIATE transactions and event
// rows. Internal to store/.
#pragma once

#include "duly/engine/Case.h"
#include "duly/store/StoreError.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

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

inline std::string text(const RecordSet& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return {};
    return rs.value(col, row).convert<std::string>();
}

inline Int integer(const RecordSet& rs, std::size_t col, std::size_t row) {
    return rs.value(col, row).convert<Int>();
}

inline std::optional<Instant> optionalInstant(const RecordSet& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return std::nullopt;
    return instant(integer(rs, col, row));
}

// A BLOB (or text) cell as bytes.
inline std::string bytes(const RecordSet& rs, std::size_t col, std::size_t row) {
    if (rs.isNull(col, row)) return {};
    const auto& v = rs.value(col, row);
    if (v.type() == typeid(Poco::Data::BLOB)) {
        const auto& blob = v.extract<Poco::Data::BLOB>();
        return std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
    }
    return v.convert<std::string>();
}

inline Poco::Data::BLOB blob(const std::string& s) {
    return Poco::Data::BLOB(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

// True while the connection is inside a transaction (a write batch).
inline bool inOpenTransaction(Poco::Data::Session& session) {
    return sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(session)) == 0;
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

// The database file a session is connected to, for error messages.
inline std::string storeFile(Poco::Data::Session& session) {
    try {
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
template <typename Body>
auto inTransaction(Poco::Data::Session& session, Body body, const std::string& begin = "BEGIN IMMEDIATE") {
    const bool nested = inOpenTransaction(session);
    session << (nested ? std::string("SAVEPOINT duly_step") : begin), now;
    const std::string done = nested ? "RELEASE duly_step" : "COMMIT";
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            session << done, now;
        } else {
            auto result = body();
            session << done, now;
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
inline std::vector<Int> insertEvents(Poco::Data::Session& s, Int caseId, const std::vector<CaseEvent>& events) {
    std::vector<Int> ids;
    ids.reserve(events.size());
    for (const auto& e : events) {
        std::string type(engine::eventTypeName(e.type));
        Int at = seconds(e.at);
        std::string actor = e.actor, detail = e.detail;
        s << "INSERT INTO events (case_id, type, at, actor, detail) VALUES (?, ?, ?, ?, ?)", use(caseId), use(type),
            use(at), use(actor), use(detail), now;
        Int id = 0;
        s << "SELECT last_insert_rowid()", into(id), now;
        ids.push_back(id);
    }
    return ids;
}

}  // namespace duly::store::detail
