// SqliteStatements: prepared statements kept for re-use on one connection
// (SQLite's sqlite3_stmt, or PostgreSQL's named statements through libpq),
// and Query, which runs one SQL text through them, or through Poco::Data
// when a store has no cache.
//
// Why: Poco 1.11 prepares every statement again on every execution, and on
// a backlog of mail sqlite3_prepare_v2 was about a third of the CPU. A
// StatementCache owns one sqlite3_stmt per SQL text, prepared on first use
// and finalized when the cache is destroyed — the store destroys it before
// its session closes. A CachedStatement borrows one for a single execution
// and resets it (and clears its bindings) when it goes out of scope, even
// when an exception is thrown: an un-reset SELECT would keep a read
// transaction open and make the next COMMIT fail with SQLITE_BUSY.
// A schema change (a migration) needs nothing here: sqlite3_prepare_v2
// statements re-prepare themselves.
// On PostgreSQL the cache holds the names of statements prepared on the
// connection Poco opened (PQprepare once, PQexecPrepared for each
// execution), for the same reason: Poco 1.11 prepares, executes and
// deallocates every statement, three round trips and a parse and plan on
// the server each time. Values go as text (bytes as binary bytea); rows come
// back as text and are converted by column type. The statements live as
// long as the connection.
//
// Fails with StoreError naming the database file and SQLite's own message
// (sqlite3_errmsg). Not thread-safe: used under the store's mutex. Internal
// to store/.
#pragma once

#include "duly/store/StoreError.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <functional>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace duly::store::detail {

class StatementCache {
public:
    // `db` is the connection (not owned); `file` names it in errors.
    StatementCache(sqlite3* db, std::string file);
    // PostgreSQL: `connection` is Poco's (not owned); `where` names it in
    // errors.
    StatementCache(PGconn* connection, std::string where);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // The statement for `sql`, prepared on first use. Throws StoreError
    // when SQLite cannot prepare it.
    sqlite3_stmt* get(const std::string& sql);
    // PostgreSQL: the name of the statement for `sql` (? placeholders),
    // prepared on first use from `numbered()` ($1, $2, …). Throws StoreError
    // with the server's message when it cannot be prepared.
    const std::string& prepared(const std::string& sql, const std::function<std::string()>& numbered);
    bool postgres() const { return _pg != nullptr; }
    PGconn* pg() const { return _pg; }
    // Finalizes every kept statement (before the connection closes).
    void clear();

    sqlite3* db() const { return _db; }
    const std::string& file() const { return _file; }
    std::size_t size() const { return _statements.size(); }
    // StoreError "<file>: <what>: <SQLite's message>".
    [[noreturn]] void fail(const std::string& what) const;

private:
    sqlite3* _db = nullptr;
    PGconn* _pg = nullptr;
    std::string _file;
    std::unordered_map<std::string, sqlite3_stmt*> _statements;
    std::unordered_map<std::string, std::string> _names;  // PostgreSQL: SQL text → statement name
};

// One execution of a cached statement. Bind parameters in order (1-based,
// as they appear), then step(); reset and bindings cleared on destruction.
class CachedStatement {
public:
    CachedStatement(StatementCache& cache, const std::string& sql);
    ~CachedStatement();
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;

    CachedStatement& bind(Poco::Int64 value);
    CachedStatement& bindText(std::string_view value);
    // A BLOB of exactly these bytes (NUL bytes included; empty is X'').
    CachedStatement& bindBytes(std::string_view value);
    CachedStatement& bindNull();

    // Runs to the next row: true when there is one. Throws StoreError.
    bool step();
    // Runs to the end, ignoring any rows. Throws StoreError.
    void run();

    int columns() const { return sqlite3_column_count(_stmt); }
    bool isNull(int col) const { return sqlite3_column_type(_stmt, col) == SQLITE_NULL; }
    Poco::Int64 integer(int col) const { return sqlite3_column_int64(_stmt, col); }
    std::string text(int col) const;
    std::string bytes(int col) const;
    double real(int col) const { return sqlite3_column_double(_stmt, col); }
    int type(int col) const { return sqlite3_column_type(_stmt, col); }

private:
    StatementCache& _cache;
    sqlite3_stmt* _stmt;
    int _next = 1;
};

// The rows a Query returned, read like a Poco RecordSet (rowCount, isNull
// and the text/integer/bytes helpers of SqliteSupport.h).
class Rows {
public:
    // Poco's RecordSet is not safely movable (its row iterators point back
    // at it), so it is made once and shared.
    explicit Rows(std::shared_ptr<Poco::Data::RecordSet> rs) : _poco(std::move(rs)) {}
    Rows() = default;

    std::size_t rowCount() const;
    bool isNull(std::size_t col, std::size_t row) const;
    Poco::Int64 integer(std::size_t col, std::size_t row) const;
    std::string text(std::size_t col, std::size_t row) const;
    std::string bytes(std::size_t col, std::size_t row) const;

private:
    friend class Query;
    friend Rows pgRows(PGresult* result);
    using Cell = std::variant<std::monostate, Poco::Int64, double, std::string>;
    std::shared_ptr<Poco::Data::RecordSet> _poco;
    std::vector<std::vector<Cell>> _cells;
};

// One SQL text (? placeholders), run through the statement cache when
// there is one (SQLite, or PostgreSQL's named statements, which get $1,
// $2, …) or through Poco::Data otherwise. Bind in order, then rows(), run()
// or single(). Throws StoreError (through a cache) or Poco::Data exceptions
// (through Poco).
class Query {
public:
    Query(Poco::Data::Session& session, StatementCache* cache, std::string sql);

    Query& bind(Poco::Int64 value);
    Query& bind(const std::string& text);
    Query& bind(const Poco::Nullable<Poco::Int64>& value);
    // Bytes as a BLOB (bytea); empty bytes are bound as NULL on Poco, as
    // Poco does, so write COALESCE(?, <empty>) where empty must be kept.
    Query& bindBytes(const std::string& bytes);

    // Runs the statement and returns all its rows.
    Rows rows();
    // Runs the statement (an INSERT, UPDATE or DELETE); returns the number
    // of rows it changed.
    std::size_t run();
    // The first column of the first row (RETURNING id, COUNT(*)); nullopt
    // when there is no row.
    std::optional<Poco::Int64> single();

private:
    using Value = std::variant<Poco::Int64, std::string, Poco::Nullable<Poco::Int64>, Poco::Data::BLOB>;
    // PostgreSQL through the cache: the executed statement's result
    // (owned by the caller), checked.
    PGresult* executePrepared();
    Poco::Data::Session& _session;
    StatementCache* _cache;
    std::string _sql;
    std::deque<Value> _values;
};

inline std::string text(const Rows& rs, std::size_t col, std::size_t row) { return rs.text(col, row); }
inline Poco::Int64 integer(const Rows& rs, std::size_t col, std::size_t row) { return rs.integer(col, row); }
inline std::string bytes(const Rows& rs, std::size_t col, std::size_t row) { return rs.bytes(col, row); }

}  // namespace duly::store::detail
