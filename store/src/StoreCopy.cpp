// StoreCopy: `duly store copy` and `duly store check` (StoreCopy.h). Rows go
// through sqlite3_* and libpq directly: Poco's PostgreSQL binder passes
// every string as text (a NUL byte would cut it) and its RecordSet copies a
// whole table into memory; here rows stream one at a time, bytea goes in
// binary form, and text PostgreSQL cannot hold is refused by name.
// Fails as StoreCopy.h says; libpq's and SQLite's own words are kept.
#include "duly/store/StoreCopy.h"

#include "SqliteSupport.h"
#include "duly/engine/InputError.h"
#include "duly/store/Migrations.h"
#include "duly/store/SqliteCaseStore.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace duly::store {

using engine::InputError;
using detail::beginWrite;
using detail::pgConnection;
using detail::postgres;

namespace {

constexpr const char* kVersions = "schema_version";

std::string ident(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string joinNames(const std::vector<std::string>& names, const std::string& separator = ", ") {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
    return out;
}

sqlite3* sqliteHandle(Poco::Data::Session& s) { return Poco::Data::SQLite::Utility::dbHandle(s); }

// --- SQLite ---------------------------------------------------------------

struct SqliteStatement {
    sqlite3_stmt* stmt = nullptr;
    SqliteStatement(sqlite3* db, const std::string& text) {
        if (sqlite3_prepare_v2(db, text.c_str(), static_cast<int>(text.size()), &stmt, nullptr) != SQLITE_OK)
            throw StoreError(std::string(sqlite3_db_filename(db, "main")) + ": " + sqlite3_errmsg(db) + " (" + text +
                             ")");
    }
    ~SqliteStatement() { sqlite3_finalize(stmt); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    // True while a row is there; throws on an error.
    bool step() {
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        sqlite3* db = sqlite3_db_handle(stmt);
        throw StoreError(std::string(sqlite3_db_filename(db, "main")) + ": " + sqlite3_errmsg(db));
    }
    std::string textAt(int col) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))) : std::string();
    }
};

void sqliteExec(sqlite3* db, const std::string& text) {
    char* error = nullptr;
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errmsg(db);
        sqlite3_free(error);
        throw StoreError(std::string(sqlite3_db_filename(db, "main")) + ": " + message);
    }
}

CellValue::Kind kindOfDeclared(std::string type) {
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::toupper(c); });
    if (type.find("INT") != std::string::npos || type == "BOOLEAN") return CellValue::Kind::Integer;
    if (type.find("BLOB") != std::string::npos || type == "BYTEA") return CellValue::Kind::Bytes;
    return CellValue::Kind::Text;
}

std::vector<TableSchema> sqliteTables(sqlite3* db) {
    std::vector<TableSchema> tables;
    SqliteStatement names(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (names.step()) tables.push_back({names.textAt(0), {}, {}, {}, {}, {}});
    for (auto& t : tables) {
        std::vector<std::pair<int, std::string>> key;
        SqliteStatement info(db, "PRAGMA table_info(" + ident(t.name) + ")");
        while (info.step()) {
            t.columns.push_back(info.textAt(1));
            t.kinds.push_back(kindOfDeclared(info.textAt(2)));
            if (int pk = sqlite3_column_int(info.stmt, 5); pk > 0) key.emplace_back(pk, info.textAt(1));
        }
        std::sort(key.begin(), key.end());
        for (auto& [_, column] : key) t.primaryKey.push_back(column);
        SqliteStatement fks(db, "PRAGMA foreign_key_list(" + ident(t.name) + ")");
        while (fks.step()) t.references.push_back(fks.textAt(2));
    }
    return tables;
}

// --- PostgreSQL -----------------------------------------------------------

struct PgResultFree {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultFree>;

std::string pgWhere(PGconn* c) { return std::string("postgresql://") + PQuser(c) + "@" + PQhost(c) + ":" + PQport(c) + "/" + PQdb(c); }

std::string pgError(PGconn* c, const PGresult* r) {
    std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return pgWhere(c) + ": " + message;
}

// Runs `text` with text parameters; throws StoreError unless it succeeds.
PgResult pgQuery(PGconn* c, const std::string& text, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PgResult r(PQexecParams(c, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                            nullptr, 0));
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw StoreError(pgError(c, r.get()));
    return r;
}

std::vector<TableSchema> pgTables(PGconn* c) {
    std::vector<TableSchema> tables;
    auto names = pgQuery(c,
                         "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         " WHERE n.nspname = current_schema() AND c.relkind = 'r'");
    for (int i = 0; i < PQntuples(names.get()); ++i) tables.push_back({PQgetvalue(names.get(), i, 0), {}, {}, {}, {}, {}});
    for (auto& t : tables) {
        const std::string rel = ident(t.name);
        auto cols = pgQuery(c,
                            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity FROM pg_attribute a"
                            " WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                            {rel});
        for (int i = 0; i < PQntuples(cols.get()); ++i) {
            const std::string name = PQgetvalue(cols.get(), i, 0), type = PQgetvalue(cols.get(), i, 1);
            // Binary results are read as these kinds only: any other type
            // would be misread, so it is refused by name.
            if (type != "bigint" && type != "integer" && type != "smallint" && type != "boolean" && type != "text" &&
                type != "bytea" && type.rfind("character", 0) != 0)
                throw StoreError(pgWhere(c) + ": " + t.name + "." + name + " is of type " + type +
                                 ", which store copy and check do not read");
            t.columns.push_back(name);
            t.kinds.push_back(kindOfDeclared(type));
            if (*PQgetvalue(cols.get(), i, 2)) t.identity = name;
        }
        auto key = pgQuery(c,
                           "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                           " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary"
                           " ORDER BY array_position(i.indkey::int2[], a.attnum)",
                           {rel});
        for (int i = 0; i < PQntuples(key.get()); ++i) t.primaryKey.push_back(PQgetvalue(key.get(), i, 0));
        auto fks = pgQuery(c, "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'",
                           {rel});
        for (int i = 0; i < PQntuples(fks.get()); ++i) {
            std::string parent = PQgetvalue(fks.get(), i, 0);
            if (parent.size() > 1 && parent.front() == '"') parent = parent.substr(1, parent.size() - 2);
            t.references.push_back(parent);
        }
    }
    return tables;
}

std::int64_t bigEndian(const char* p, int length) {
    std::uint64_t v = 0;
    for (int i = 0; i < length; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    if (length < 8 && length > 0 && (static_cast<unsigned char>(p[0]) & 0x80)) v |= ~std::uint64_t{0} << (8 * length);
    return static_cast<std::int64_t>(v);
}

// --- either ---------------------------------------------------------------

// Parents first (a table after every table its foreign keys name), then by name.
std::vector<TableSchema> inCopyOrder(std::vector<TableSchema> tables) {
    std::sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::vector<TableSchema> out;
    std::set<std::string> placed;
    while (!tables.empty()) {
        auto ready = std::find_if(tables.begin(), tables.end(), [&](const TableSchema& t) {
            return std::all_of(t.references.begin(), t.references.end(),
                               [&](const std::string& r) { return r == t.name || placed.count(r); });
        });
        if (ready == tables.end()) {
            std::vector<std::string> left;
            for (const auto& t : tables) left.push_back(t.name);
            throw StoreError("the foreign keys of " + joinNames(left) + " form a cycle; they cannot be copied in order");
        }
        placed.insert(ready->name);
        out.push_back(std::move(*ready));
        tables.erase(ready);
    }
    return out;
}

std::string selectRows(const TableSchema& t, const std::vector<std::string>& columns) {
    std::vector<std::string> q;
    for (const auto& c : columns) q.push_back(ident(c));
    std::vector<std::string> key;
    for (const auto& c : t.primaryKey.empty() ? columns : t.primaryKey) key.push_back(ident(c));
    return "SELECT " + joinNames(q) + " FROM " + ident(t.name) + " ORDER BY " + joinNames(key);
}

// Calls `each` with every row of `t` (the `columns` given, in that order,
// read as `kinds`), in primary key order, one row at a time.
void forEachRow(Poco::Data::Session& s, const TableSchema& t, const std::vector<std::string>& columns,
                const std::vector<CellValue::Kind>& kinds, const std::function<void(const Row&)>& each) {
    const std::string text = selectRows(t, columns);
    Row row(columns.size());
    if (!postgres(s)) {
        SqliteStatement q(sqliteHandle(s), text);
        while (q.step()) {
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const int col = static_cast<int>(i);
                auto& v = row[i];
                v = {};
                const int type = sqlite3_column_type(q.stmt, col);
                if (type == SQLITE_NULL) continue;
                v.kind = kinds[i];
                if (kinds[i] == CellValue::Kind::Integer) {
                    if (type != SQLITE_INTEGER)
                        throw InputError(t.name + "." + columns[i] + ": \"" + q.textAt(col) +
                                         "\" is not a whole number, in an INTEGER column");
                    v.integer = sqlite3_column_int64(q.stmt, col);
                } else if (type == SQLITE_BLOB) {
                    const auto* p = static_cast<const char*>(sqlite3_column_blob(q.stmt, col));
                    v.bytes.assign(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(q.stmt, col)));
                } else {
                    v.bytes = q.textAt(col);
                }
            }
            each(row);
        }
        return;
    }
    PGconn* c = pgConnection(s);
    if (!PQsendQueryParams(c, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1) || !PQsetSingleRowMode(c))
        throw StoreError(pgError(c, nullptr));
    std::string failure;
    while (PGresult* raw = PQgetResult(c)) {
        PgResult r(raw);
        const auto status = PQresultStatus(raw);
        if (status == PGRES_TUPLES_OK) continue;
        if (status != PGRES_SINGLE_TUPLE) {
            failure = pgError(c, raw);
            continue;
        }
        if (!failure.empty()) continue;  // drain the rest
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const int col = static_cast<int>(i);
            auto& v = row[i];
            v = {};
            if (PQgetisnull(raw, 0, col)) continue;
            v.kind = kinds[i];
            const char* p = PQgetvalue(raw, 0, col);
            const int length = PQgetlength(raw, 0, col);
            if (kinds[i] == CellValue::Kind::Integer) v.integer = bigEndian(p, length);
            else v.bytes.assign(p, static_cast<std::size_t>(length));
        }
        try {
            each(row);
        } catch (...) {
            // Leave the connection usable: read what is left, then fail.
            while (PGresult* rest = PQgetResult(c)) PQclear(rest);
            throw;
        }
    }
    if (!failure.empty()) throw StoreError(failure);
}

std::int64_t countRows(Poco::Data::Session& s, const std::string& table) {
    const std::string text = "SELECT COUNT(*) FROM " + ident(table);
    if (!postgres(s)) {
        SqliteStatement q(sqliteHandle(s), text);
        q.step();
        return sqlite3_column_int64(q.stmt, 0);
    }
    auto r = pgQuery(pgConnection(s), text);
    return std::stoll(PQgetvalue(r.get(), 0, 0));
}

void exec(Poco::Data::Session& s, const std::string& text) {
    if (postgres(s)) pgQuery(pgConnection(s), text);
    else sqliteExec(sqliteHandle(s), text);
}

// The row's key as shown in messages: "id 12", "reference 'C10003'".
std::string rowName(const TableSchema& t, const std::vector<std::string>& columns, const Row& row) {
    std::string out;
    for (const auto& k : t.primaryKey.empty() ? columns : t.primaryKey) {
        auto at = std::find(columns.begin(), columns.end(), k) - columns.begin();
        const auto& v = row[static_cast<std::size_t>(at)];
        out += (out.empty() ? "" : ", ") + k + " " +
               (v.kind == CellValue::Kind::Integer ? std::to_string(v.integer) : "'" + v.bytes + "'");
    }
    return out;
}

bool validUtf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        if (c < 0x80) n = 0;
        else if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c >= 0xE0 && c <= 0xEF) n = 2;
        else if (c >= 0xF0 && c <= 0xF4) n = 3;
        else return false;
        if (i + n >= s.size() && n > 0) return false;
        for (std::size_t k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += n + 1;
    }
    return true;
}

// Writes rows of one table into the target, prepared once.
class RowWriter {
public:
    RowWriter(Poco::Data::Session& s, const TableSchema& t) : _s(s), _t(t) {
        std::vector<std::string> cols, marks;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            cols.push_back(ident(t.columns[i]));
            marks.push_back(postgres(s) ? "$" + std::to_string(i + 1) : "?");
        }
        const std::string text =
            "INSERT INTO " + ident(t.name) + " (" + joinNames(cols) + ") VALUES (" + joinNames(marks) + ")";
        if (postgres(s)) {
            PGconn* c = pgConnection(s);
            _name = "duly_copy_" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
            PgResult r(PQprepare(c, _name.c_str(), text.c_str(), static_cast<int>(cols.size()), nullptr));
            if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw StoreError(pgError(c, r.get()));
        } else {
            _insert = std::make_unique<SqliteStatement>(sqliteHandle(s), text);
        }
    }
    ~RowWriter() {
        if (!_name.empty()) PQclear(PQexec(pgConnection(_s), ("DEALLOCATE " + _name).c_str()));
    }

    void write(const Row& row) {
        if (_insert) return writeSqlite(row);
        std::vector<std::string> text(row.size());
        std::vector<const char*> values(row.size());
        std::vector<int> lengths(row.size()), formats(row.size());
        for (std::size_t i = 0; i < row.size(); ++i) {
            const auto& v = row[i];
            if (v.kind == CellValue::Kind::Null) continue;
            if (_t.kinds[i] == CellValue::Kind::Bytes) {
                values[i] = v.bytes.data();
                lengths[i] = static_cast<int>(v.bytes.size());
                formats[i] = 1;
                continue;
            }
            if (v.kind == CellValue::Kind::Integer) {
                text[i] = std::to_string(v.integer);
            } else {
                if (v.bytes.find('\0') != std::string::npos)
                    throw InputError(_t.name + "." + _t.columns[i] + " (" + rowName(_t, _t.columns, row) +
                                     "): the text holds a NUL byte, which PostgreSQL's text cannot store");
                if (!validUtf8(v.bytes))
                    throw InputError(_t.name + "." + _t.columns[i] + " (" + rowName(_t, _t.columns, row) +
                                     "): the text is not valid UTF-8, which PostgreSQL's text cannot store");
                text[i] = v.bytes;
            }
            values[i] = text[i].c_str();
        }
        PGconn* c = pgConnection(_s);
        PgResult r(PQexecPrepared(c, _name.c_str(), static_cast<int>(row.size()), values.data(), lengths.data(),
                                  formats.data(), 0));
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
            throw StoreError(_t.name + " (" + rowName(_t, _t.columns, row) + "): " + pgError(c, r.get()));
    }

private:
    void writeSqlite(const Row& row) {
        sqlite3_stmt* st = _insert->stmt;
        sqlite3_reset(st);
        for (std::size_t i = 0; i < row.size(); ++i) {
            const int at = static_cast<int>(i) + 1;
            const auto& v = row[i];
            if (v.kind == CellValue::Kind::Null) sqlite3_bind_null(st, at);
            else if (v.kind == CellValue::Kind::Integer) sqlite3_bind_int64(st, at, v.integer);
            else if (_t.kinds[i] == CellValue::Kind::Bytes)
                sqlite3_bind_blob64(st, at, v.bytes.empty() ? "" : v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT);
            else sqlite3_bind_text64(st, at, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
        try {
            _insert->step();
        } catch (const StoreError& e) {
            throw StoreError(_t.name + " (" + rowName(_t, _t.columns, row) + "): " + e.what());
        }
    }

    Poco::Data::Session& _s;
    const TableSchema& _t;
    std::unique_ptr<SqliteStatement> _insert;
    std::string _name;
};

bool sameStore(const StoreUrl& a, const StoreUrl& b) {
    if (a.kind != b.kind) return false;
    if (a.kind == StoreUrl::Kind::PostgreSql) return a.url == b.url;
    std::error_code ec1, ec2;
    return std::filesystem::weakly_canonical(a.file, ec1) == std::filesystem::weakly_canonical(b.file, ec2);
}

// Opening a SQLite file creates it: a store to read must be there already.
void requireExisting(const StoreUrl& at) {
    if (at.kind == StoreUrl::Kind::SqliteFile && at.file != ":memory:" && !std::filesystem::exists(at.file))
        throw InputError(at.shown() + ": no such store (there is no SQLite file there)");
}

const TableSchema* findTable(const std::vector<TableSchema>& tables, const std::string& name) {
    for (const auto& t : tables)
        if (t.name == name) return &t;
    return nullptr;
}

void encode(std::string& out, const CellValue& v) {
    switch (v.kind) {
    case CellValue::Kind::Null: out += 'N'; return;
    case CellValue::Kind::Integer: out += 'I' + std::to_string(v.integer) + ';'; return;
    case CellValue::Kind::Text: out += 'T'; break;
    case CellValue::Kind::Bytes: out += 'B'; break;
    }
    out += std::to_string(v.bytes.size()) + ':' + v.bytes;
}

}  // namespace

std::vector<TableSchema> readSchema(Poco::Data::Session& session) {
    return inCopyOrder(postgres(session) ? pgTables(pgConnection(session)) : sqliteTables(sqliteHandle(session)));
}

std::vector<Row> readRows(Poco::Data::Session& session, const TableSchema& table) {
    std::vector<Row> rows;
    forEachRow(session, table, table.columns, table.kinds, [&](const Row& r) { rows.push_back(r); });
    return rows;
}

CopyResult copyStore(const StoreUrl& from, const StoreUrl& to, const CopyProgress& progress) {
    requireExisting(from);
    if (sameStore(from, to)) throw InputError(to.shown() + ": --from and --to name the same store");
    SqliteCaseStore source(from);
    SqliteCaseStore target(to);
    std::scoped_lock lock(source.mutex(), target.mutex());
    auto& in = source.session();
    auto& out = target.session();
    CopyResult result;
    result.schemaVersion = source.schemaVersion();
    if (const int v = target.schemaVersion(); v != result.schemaVersion)
        throw InputError(to.shown() + ": the target is at schema version " + std::to_string(v) + ", the source at " +
                         std::to_string(result.schemaVersion));
    const auto sourceTables = readSchema(in);
    const auto targetTables = readSchema(out);
    for (const auto& t : sourceTables)
        if (!findTable(targetTables, t.name))
            throw InputError(to.shown() + ": has no table " + t.name + " (the source " + from.shown() + " has)");

    // One snapshot of the source; one transaction on the target.
    exec(in, postgres(in) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    exec(out, beginWrite(out));
    try {
        std::vector<std::string> notEmpty;
        for (const auto& t : targetTables)
            if (t.name != kVersions && countRows(out, t.name) > 0) notEmpty.push_back(t.name);
        if (!notEmpty.empty())
            throw InputError(to.shown() + ": the target store is not empty (" + joinNames(notEmpty) +
                             " hold rows); copy into a new, empty store");
        for (const auto& t : targetTables) {
            if (t.name == kVersions) continue;
            const TableSchema* s = findTable(sourceTables, t.name);
            if (!s) throw InputError(from.shown() + ": has no table " + t.name + " (the target " + to.shown() + " has)");
            for (const auto& c : t.columns)
                if (std::find(s->columns.begin(), s->columns.end(), c) == s->columns.end())
                    throw InputError(from.shown() + ": table " + t.name + " has no column " + c);
            const std::int64_t total = countRows(in, t.name);
            std::int64_t copied = 0;
            RowWriter writer(out, t);
            forEachRow(in, *s, t.columns, t.kinds, [&](const Row& row) {
                writer.write(row);
                if (++copied % 5000 == 0 && progress) progress(t.name, copied, total);
            });
            if (progress) progress(t.name, copied, total);
            if (t.identity && postgres(out))
                exec(out, "SELECT setval(pg_get_serial_sequence(" + std::string("'") + ident(t.name) + "', '" +
                              *t.identity + "'), COALESCE(MAX(" + ident(*t.identity) + "), 0) + 1, false) FROM " +
                              ident(t.name));
            result.rows.emplace_back(t.name, copied);
        }
        exec(out, "COMMIT");
    } catch (...) {
        try {
            exec(out, "ROLLBACK");
        } catch (...) {
        }
        try {
            exec(in, "ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    exec(in, "COMMIT");
    return result;
}

StoreCheck checkStore(const StoreUrl& at) {
    requireExisting(at);
    SqliteCaseStore store(at);
    std::lock_guard lock(store.mutex());
    auto& s = store.session();
    StoreCheck check;
    check.schemaVersion = store.schemaVersion();
    const int known = migrations().back().version;
    if (check.schemaVersion != known)
        check.problems.push_back(kVersions + std::string(": version ") + std::to_string(check.schemaVersion) +
                                 ", this duly's is " + std::to_string(known));
    exec(s, postgres(s) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    try {
        auto tables = readSchema(s);
        std::sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        for (const auto& t : tables) {
            if (t.name == kVersions) continue;
            TableCheck tc{t.name, 0, {}};
            std::vector<std::string> digests;
            forEachRow(s, t, t.columns, t.kinds, [&](const Row& row) {
                std::string encoded;
                for (const auto& v : row) encode(encoded, v);
                Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
                sha.update(encoded);
                const auto& d = sha.digest();
                digests.emplace_back(d.begin(), d.end());
                ++tc.rows;
            });
            // Text keys sort differently on SQLite and PostgreSQL: the
            // checksum is of the rows' digests in their own order.
            std::sort(digests.begin(), digests.end());
            Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
            sha.update(joinNames(t.columns, ","));
            for (const auto& d : digests) sha.update(d);
            tc.checksum = Poco::DigestEngine::digestToHex(sha.digest());
            check.tables.push_back(std::move(tc));
        }
        if (!postgres(s)) {
            // table, rowid, parent, index of the foreign key
            SqliteStatement fk(sqliteHandle(s), "PRAGMA foreign_key_check");
            std::map<std::pair<std::string, std::string>, std::vector<std::string>> missing;
            while (fk.step())
                missing[{fk.textAt(0), fk.textAt(2)}].push_back("row " + fk.textAt(1));
            for (const auto& [tables2, rows] : missing)
                check.problems.push_back(tables2.first + ": " + std::to_string(rows.size()) + " row(s) refer to " +
                                         tables2.second + " rows that do not exist (" +
                                         joinNames(std::vector<std::string>(rows.begin(), rows.begin() + std::min<std::size_t>(rows.size(), 5))) +
                                         (rows.size() > 5 ? ", …" : "") + ")");
        }
        // References by case reference, not declared as foreign keys: a
        // message queued or quarantined for a case names it.
        for (const char* table : {"outbound", "quarantine"}) {
            if (!findTable(tables, table) || !findTable(tables, "cases")) continue;
            const std::string text = std::string("SELECT COUNT(*) FROM ") + table +
                                     " x WHERE x.case_reference <> '' AND NOT EXISTS"
                                     " (SELECT 1 FROM cases c WHERE c.reference = x.case_reference)";
            std::int64_t n = 0;
            if (postgres(s)) n = std::stoll(PQgetvalue(pgQuery(pgConnection(s), text).get(), 0, 0));
            else {
                SqliteStatement q(sqliteHandle(s), text);
                q.step();
                n = sqlite3_column_int64(q.stmt, 0);
            }
            if (n > 0)
                check.problems.push_back(std::string(table) + ": " + std::to_string(n) +
                                         " row(s) name a case_reference that is not in cases");
        }
        exec(s, "COMMIT");
    } catch (...) {
        try {
            exec(s, "ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    return check;
}

std::vector<std::string> compareChecks(const StoreCheck& here, const std::string& hereName, const StoreCheck& other,
                                       const std::string& otherName) {
    std::vector<std::string> out;
    if (here.schemaVersion != other.schemaVersion)
        out.push_back(std::string(kVersions) + ": version " + std::to_string(here.schemaVersion) + " in " + hereName +
                      ", " + std::to_string(other.schemaVersion) + " in " + otherName);
    std::map<std::string, const TableCheck*> theirs;
    for (const auto& t : other.tables) theirs[t.table] = &t;
    for (const auto& t : here.tables) {
        auto it = theirs.find(t.table);
        if (it == theirs.end()) {
            out.push_back(t.table + ": not in " + otherName);
            continue;
        }
        if (t.rows != it->second->rows)
            out.push_back(t.table + ": " + std::to_string(t.rows) + " rows in " + hereName + ", " +
                          std::to_string(it->second->rows) + " in " + otherName);
        else if (t.checksum != it->second->checksum)
            out.push_back(t.table + ": the same number of rows, but they differ (checksums " + t.checksum.substr(0, 12) +
                          " and " + it->second->checksum.substr(0, 12) + ")");
        theirs.erase(it);
    }
    for (const auto& [name, _] : theirs) out.push_back(name + ": not in " + hereName);
    return out;
}

}  // namespace duly::store
