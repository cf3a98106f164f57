// SqliteStatements: the prepared-statement cache and Query (see the header).
#include "SqliteStatements.h"

#include "TextGuard.h"

#include "SqliteSupport.h"

#include <Poco/Data/Statement.h>

namespace duly::store::detail {

StatementCache::StatementCache(sqlite3* db, std::string file) : _db(db), _file(std::move(file)) {}

StatementCache::~StatementCache() { clear(); }

void StatementCache::clear() {
    for (auto& entry : _statements) sqlite3_finalize(entry.second);
    _statements.clear();
}

void StatementCache::fail(const std::string& what) const {
    throw StoreError(_file + ": " + what + ": " + sqlite3_errmsg(_db));
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

// PostgreSQL through libpq itself: Poco's RecordSet hands each cell out as
// a copied Dynamic::Var (text as a CLOB), which made reading the monthly
// report's 57,000 cases take seconds (bench/web). Parameters are sent as
// Poco sends them — text, types left to the server, bytes in binary and
// empty bytes as NULL — and a failure is a StoreError with the server's
// words (the transaction around it rolls back as before).
Rows postgresRows(Poco::Data::Session& session, const std::string& text,
                  const std::deque<std::variant<Poco::Int64, std::string, Poco::Nullable<Poco::Int64>,
                                                Poco::Data::BLOB>>& values) {
    std::vector<std::string> texts(values.size());
    std::vector<const char*> params(values.size(), nullptr);
    std::vector<int> lengths(values.size(), 0), formats(values.size(), 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& v = values[i];
        if (auto* n = std::get_if<Poco::Int64>(&v)) {
            texts[i] = std::to_string(*n);
        } else if (auto* t = std::get_if<std::string>(&v)) {
            texts[i] = *t;
        } else if (auto* o = std::get_if<Poco::Nullable<Poco::Int64>>(&v)) {
            if (o->isNull()) continue;
            texts[i] = std::to_string(o->value());
        } else {
            const auto& b = std::get<Poco::Data::BLOB>(v);
            if (b.size() == 0) continue;
            texts[i].assign(reinterpret_cast<const char*>(b.rawContent()), b.size());
            formats[i] = 1;
        }
        params[i] = texts[i].data();
        lengths[i] = static_cast<int>(texts[i].size());
    }
    PGconn* c = pgConnection(session);
    const std::string numbered = sql(session, text);
    std::unique_ptr<PGresult, void (*)(PGresult*)> r(
        PQexecParams(c, numbered.c_str(), static_cast<int>(params.size()), nullptr, params.data(), lengths.data(),
                     formats.data(), 0),
        PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        std::string message = PQresultErrorMessage(r.get());
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        throw StoreError(storeFile(session) + ": " + message);
    }
    Rows out;
    const int rows = PQntuples(r.get()), cols = PQnfields(r.get());
    out._cells.reserve(static_cast<std::size_t>(rows));
    for (int row = 0; row < rows; ++row) {
        auto& cells = out._cells.emplace_back();
        cells.reserve(static_cast<std::size_t>(cols));
        for (int col = 0; col < cols; ++col) {
            if (PQgetisnull(r.get(), row, col)) {
                cells.emplace_back(std::monostate{});
                continue;
            }
            const char* value = PQgetvalue(r.get(), row, col);
            const auto length = static_cast<std::size_t>(PQgetlength(r.get(), row, col));
            switch (PQftype(r.get(), col)) {
            case 20: case 21: case 23:  // int8, int2, int4
                cells.emplace_back(static_cast<Poco::Int64>(std::stoll(std::string(value, length))));
                break;
            case 16:  // bool: t or f
                cells.emplace_back(static_cast<Poco::Int64>(value[0] == 't' ? 1 : 0));
                break;
            case 17: {  // bytea, in text form (\x…)
                std::size_t n = 0;
                unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value), &n);
                if (!raw) throw StoreError(storeFile(session) + ": a bytea value could not be read");
                cells.emplace_back(std::string(reinterpret_cast<const char*>(raw), n));
                PQfreemem(raw);
                break;
            }
            default:
                cells.emplace_back(std::string(value, length));
            }
        }
    }
    return out;
}

Rows Query::rows() {
    if (!_cache && postgres(_session)) return postgresRows(_session, _sql, _values);
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
