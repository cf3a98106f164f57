// SqliteStatements: the prepared-statement cache and Query (see the header).
#include "SqliteStatements.h"

#include "TextGuard.h"

#include "SqliteSupport.h"

#include <Poco/Data/Statement.h>

#include <cstdlib>

namespace duly::store::detail {

StatementCache::StatementCache(sqlite3* db, std::string file) : _db(db), _file(std::move(file)) {}

StatementCache::StatementCache(PGconn* connection, std::string where) : _pg(connection), _file(std::move(where)) {}

StatementCache::~StatementCache() { clear(); }

void StatementCache::clear() {
    for (auto& entry : _statements) sqlite3_finalize(entry.second);
    _statements.clear();
    _names.clear();  // PostgreSQL's go with the connection
}

void StatementCache::fail(const std::string& what) const {
    std::string said = _pg ? PQerrorMessage(_pg) : sqlite3_errmsg(_db);
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
    throw StoreError(_file + ": " + what + ": " + said);
}

namespace {

// The server's words for a failed result (libpq ends them with a newline).
std::string pgMessage(PGconn* connection, const PGresult* result) {
    std::string said = result ? PQresultErrorMessage(result) : "";
    if (said.empty()) said = PQerrorMessage(connection);
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
    return said;
}

}  // namespace

const std::string& StatementCache::prepared(const std::string& sql, const std::function<std::string()>& numbered) {
    if (auto found = _names.find(sql); found != _names.end()) return found->second;
    std::string name = "duly_q" + std::to_string(_names.size() + 1);
    const std::string text = numbered();
    PGresult* r = PQprepare(_pg, name.c_str(), text.c_str(), 0, nullptr);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        const std::string said = pgMessage(_pg, r);
        PQclear(r);
        throw StoreError(_file + ": cannot prepare \"" + text + "\": " + said);
    }
    PQclear(r);
    return _names.emplace(sql, std::move(name)).first->second;
}

sqlite3_stmt* StatementCache::get(const std::string& sql) {
    if (auto found = _statements.find(sql); found != _statements.end()) return found->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(_db, sql.c_str(), static_cast<int>(sql.size() + 1), &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        fail("cannot prepare \"" + sql + "\"");
    }
    _statements.emplace(sql, stmt);
    return stmt;
}

CachedStatement::CachedStatement(StatementCache& cache, const std::string& sql)
    : _cache(cache), _stmt(cache.get(sql)) {}

CachedStatement::~CachedStatement() {
    sqlite3_reset(_stmt);
    sqlite3_clear_bindings(_stmt);
}

namespace {
void check(const StatementCache& cache, sqlite3_stmt* stmt, int rc) {
    if (rc != SQLITE_OK) cache.fail(std::string("cannot bind a value to \"") + sqlite3_sql(stmt) + "\"");
}
}  // namespace

CachedStatement& CachedStatement::bind(Poco::Int64 value) {
    check(_cache, _stmt, sqlite3_bind_int64(_stmt, _next++, value));
    return *this;
}

CachedStatement& CachedStatement::bindText(std::string_view value) {
    check(_cache, _stmt,
          sqlite3_bind_text64(_stmt, _next++, value.data() ? value.data() : "", value.size(), SQLITE_TRANSIENT,
                              SQLITE_UTF8));
    return *this;
}

CachedStatement& CachedStatement::bindBytes(std::string_view value) {
    // A null pointer would bind NULL: "" keeps an empty BLOB.
    check(_cache, _stmt,
          sqlite3_bind_blob64(_stmt, _next++, value.data() ? value.data() : "", value.size(), SQLITE_TRANSIENT));
    return *this;
}

CachedStatement& CachedStatement::bindNull() {
    check(_cache, _stmt, sqlite3_bind_null(_stmt, _next++));
    return *this;
}

bool CachedStatement::step() {
    int rc = sqlite3_step(_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_errmsg is the step's message (extended codes since 3.7.15).
    _cache.fail(std::string("\"") + sqlite3_sql(_stmt) + "\" failed");
}

void CachedStatement::run() {
    while (step()) {
    }
}

std::string CachedStatement::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(_stmt, col));
    if (!p) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(_stmt, col)));
}

std::string CachedStatement::bytes(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(_stmt, col));
    if (!p) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(_stmt, col)));
}

std::size_t Rows::rowCount() const { return _poco ? _poco->rowCount() : _cells.size(); }

bool Rows::isNull(std::size_t col, std::size_t row) const {
    if (_poco) return _poco->isNull(col, row);
    return std::holds_alternative<std::monostate>(_cells.at(row).at(col));
}

Poco::Int64 Rows::integer(std::size_t col, std::size_t row) const {
    if (_poco) return detail::integer(*_poco, col, row);
    const Cell& c = _cells.at(row).at(col);
    if (auto* i = std::get_if<Poco::Int64>(&c)) return *i;
    if (auto* d = std::get_if<double>(&c)) return static_cast<Poco::Int64>(*d);
    if (auto* s = std::get_if<std::string>(&c)) return s->empty() ? 0 : std::stoll(*s);
    return 0;
}

std::string Rows::text(std::size_t col, std::size_t row) const {
    if (_poco) return detail::text(*_poco, col, row);
    const Cell& c = _cells.at(row).at(col);
    if (auto* s = std::get_if<std::string>(&c)) return *s;
    if (auto* i = std::get_if<Poco::Int64>(&c)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&c)) return std::to_string(*d);
    return {};
}

std::string Rows::bytes(std::size_t col, std::size_t row) const {
    if (_poco) return detail::bytes(*_poco, col, row);
    return text(col, row);
}

Query::Query(Poco::Data::Session& session, StatementCache* cache, std::string sql)
    : _session(session), _cache(cache), _sql(std::move(sql)) {}

Query& Query::bind(Poco::Int64 value) {
    _values.emplace_back(value);
    return *this;
}

Query& Query::bind(const std::string& text) {
    requireNoNul(_sql, _values.size(), text);  // refused alike on both databases
    _values.emplace_back(text);
    return *this;
}

Query& Query::bind(const Poco::Nullable<Poco::Int64>& value) {
    _values.emplace_back(value);
    return *this;
}

Query& Query::bindBytes(const std::string& bytes) {
    _values.emplace_back(blob(bytes));
    return *this;
}

namespace {

void bindAll(CachedStatement& st, std::deque<std::variant<Poco::Int64, std::string, Poco::Nullable<Poco::Int64>,
                                                          Poco::Data::BLOB>>& values) {
    for (auto& v : values) {
        if (auto* i = std::get_if<Poco::Int64>(&v)) {
            st.bind(*i);
        } else if (auto* s = std::get_if<std::string>(&v)) {
            st.bindText(*s);
        } else if (auto* n = std::get_if<Poco::Nullable<Poco::Int64>>(&v)) {
            if (n->isNull())
                st.bindNull();
            else
                st.bind(n->value());
        } else {
            const auto& b = std::get<Poco::Data::BLOB>(v);
            st.bindBytes(std::string_view(reinterpret_cast<const char*>(b.rawContent()), b.size()));
        }
    }
}

}  // namespace

namespace {

// PostgreSQL's type OIDs (pg_type.dat) of the columns read as numbers.
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

struct PgResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

}  // namespace

// A PostgreSQL result's rows (text format) as cells: numbers by column
// type, bytea unescaped, NULL as NULL.
Rows pgRows(PGresult* result) {
    Rows out;
    const int n = PQnfields(result), count = PQntuples(result);
    out._cells.reserve(static_cast<std::size_t>(count));
    for (int r = 0; r < count; ++r) {
        auto& row = out._cells.emplace_back();
        row.reserve(static_cast<std::size_t>(n));
        for (int c = 0; c < n; ++c) {
            if (PQgetisnull(result, r, c)) {
                row.emplace_back(std::monostate{});
                continue;
            }
            const char* v = PQgetvalue(result, r, c);
            const std::size_t length = static_cast<std::size_t>(PQgetlength(result, r, c));
            switch (PQftype(result, c)) {
            case kBool: row.emplace_back(Poco::Int64{v[0] == 't' ? 1 : 0}); break;
            case kInt2:
            case kInt4:
            case kInt8:
            case kOid: row.emplace_back(static_cast<Poco::Int64>(std::strtoll(v, nullptr, 10))); break;
            case kFloat4:
            case kFloat8:
            case kNumeric: row.emplace_back(std::strtod(v, nullptr)); break;
            case kBytea: {
                std::size_t size = 0;
                unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &size);
                if (!raw) throw StoreError("PostgreSQL: a bytea value could not be read");
                row.emplace_back(std::string(reinterpret_cast<const char*>(raw), size));
                PQfreemem(raw);
                break;
            }
            default: row.emplace_back(std::string(v, length)); break;
            }
        }
    }
    return out;
}

PGresult* Query::executePrepared() {
    const std::string& name = _cache->prepared(_sql, [&] { return sql(_session, _sql); });
    const std::size_t n = _values.size();
    std::vector<std::string> numbers;  // the integers' text, kept while the statement runs
    numbers.reserve(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0), formats(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        auto& v = _values[i];
        if (auto* x = std::get_if<Poco::Int64>(&v)) {
            values[i] = numbers.emplace_back(std::to_string(*x)).c_str();
        } else if (auto* t = std::get_if<std::string>(&v)) {
            values[i] = t->c_str();
            lengths[i] = static_cast<int>(t->size());
        } else if (auto* o = std::get_if<Poco::Nullable<Poco::Int64>>(&v)) {
            if (!o->isNull()) values[i] = numbers.emplace_back(std::to_string(o->value())).c_str();
        } else {
            // Bytes go in binary: NUL bytes and all, and empty stays empty.
            const auto& b = std::get<Poco::Data::BLOB>(v);
            values[i] = b.size() ? reinterpret_cast<const char*>(b.rawContent()) : "";
            lengths[i] = static_cast<int>(b.size());
            formats[i] = 1;
        }
    }
    PGresult* r = PQexecPrepared(_cache->pg(), name.c_str(), static_cast<int>(n), values.data(), lengths.data(),
                                 formats.data(), 0);
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const std::string said = pgMessage(_cache->pg(), r);
        PQclear(r);
        throw StoreError(_cache->file() + ": \"" + _sql + "\" failed: " + said);
    }
    return r;
}

Rows Query::rows() {
    if (_cache && _cache->postgres()) {
        PgResult r(executePrepared());
        return pgRows(r.get());
    }
    if (!_cache) {
        Poco::Data::Statement st(_session);
        st << sql(_session, _sql);
        for (auto& v : _values) std::visit([&](auto& x) { st, Poco::Data::Keywords::use(x); }, v);
        st.execute();
        return Rows(std::make_shared<Poco::Data::RecordSet>(st));
    }
    CachedStatement st(*_cache, _sql);
    bindAll(st, _values);
    Rows out;
    const int n = st.columns();
    while (st.step()) {
        auto& row = out._cells.emplace_back();
        row.reserve(static_cast<std::size_t>(n));
        for (int c = 0; c < n; ++c) {
            switch (st.type(c)) {
            case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
            case SQLITE_INTEGER: row.emplace_back(st.integer(c)); break;
            case SQLITE_FLOAT: row.emplace_back(st.real(c)); break;
            case SQLITE_BLOB: row.emplace_back(st.bytes(c)); break;
            default: row.emplace_back(st.text(c)); break;
            }
        }
    }
    return out;
}

std::size_t Query::run() {
    if (_cache && _cache->postgres()) {
        PgResult r(executePrepared());
        const char* changed = PQcmdTuples(r.get());
        return changed && *changed ? static_cast<std::size_t>(std::strtoull(changed, nullptr, 10)) : 0;
    }
    if (!_cache) {
        Poco::Data::Statement st(_session);
        st << sql(_session, _sql);
        for (auto& v : _values) std::visit([&](auto& x) { st, Poco::Data::Keywords::use(x); }, v);
        return st.execute();
    }
    CachedStatement st(*_cache, _sql);
    bindAll(st, _values);
    st.run();
    return static_cast<std::size_t>(sqlite3_changes64(_cache->db()));
}

std::optional<Poco::Int64> Query::single() {
    Rows rs = rows();
    if (rs.rowCount() == 0 || rs.isNull(0, 0)) return std::nullopt;
    return rs.integer(0, 0);
}

}  // namespace duly::store::detail
