// StoreCopy: moving a whole store to another (SQLite → PostgreSQL and back,
// or SQLite → SQLite) and checking one, for `duly store copy` and `duly store
// check`. The tables, their columns, keys and foreign keys are read from the
// schema (sqlite_master and PRAGMAs, PostgreSQL's catalogue), never listed
// here, so a table a migration adds is copied and checked without a change.
// Values are read and written through SQLite's and libpq's own APIs, not
// Poco's binders, so bytes (BLOB/bytea) come through exactly, NULLs stay
// NULL, and text that PostgreSQL cannot hold (a NUL byte, bytes that are not
// UTF-8) is refused naming the table, column and row rather than cut.
// Both stores are opened as every command opens them (SqliteCaseStore), so
// each is migrated to the current schema first. The copy runs in one
// transaction on the target: on any failure the target is left as empty as
// it was. Failures are StoreError (the database refused) or InputError (a
// non-empty target, a missing file, text PostgreSQL cannot hold).
#pragma once

#include "duly/store/StoreUrl.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace Poco::Data {
class Session;
}

namespace duly::store {

// One cell, by the kind of its column: INTEGER/BIGINT, TEXT, BLOB/bytea.
struct CellValue {
    enum class Kind { Null, Integer, Text, Bytes };
    Kind kind = Kind::Null;
    std::int64_t integer = 0;
    std::string bytes;  // Text or Bytes
    bool operator==(const CellValue&) const = default;
};
using Row = std::vector<CellValue>;

struct TableSchema {
    std::string name;
    std::vector<std::string> columns;      // in the table's order
    std::vector<CellValue::Kind> kinds;    // per column: Integer, Text or Bytes
    std::vector<std::string> primaryKey;   // column names
    std::vector<std::string> references;   // tables its foreign keys name
    std::optional<std::string> identity;   // PostgreSQL: the identity column, if any
};

// The tables of the store on `session` (schema_version included), parents
// before the tables whose foreign keys name them, then by name.
std::vector<TableSchema> readSchema(Poco::Data::Session& session);

// Every row of `table`, ordered by its primary key (integers compare alike
// on both databases; text keys may sort differently, see tableChecksum).
std::vector<Row> readRows(Poco::Data::Session& session, const TableSchema& table);

// Rows copied so far of `total` in `table`; called every few thousand rows
// and once when the table is done.
using CopyProgress = std::function<void(const std::string& table, std::int64_t copied, std::int64_t total)>;

struct CopyResult {
    int schemaVersion = 0;
    std::vector<std::pair<std::string, std::int64_t>> rows;  // per table copied, in copy order
};

// Copies every table of `from` into `to` (schema_version excepted: the
// target's records its own migrations). Throws InputError when `from` is a
// SQLite file that does not exist, when both name the same store, when `to`
// holds any row (naming it and the table), or when a value cannot be
// stored in `to`; StoreError when the target refuses a row.
CopyResult copyStore(const StoreUrl& from, const StoreUrl& to, const CopyProgress& progress = {});

struct TableCheck {
    std::string table;
    std::int64_t rows = 0;
    std::string checksum;  // SHA-256, hex, of the table's rows in any order
};

struct StoreCheck {
    int schemaVersion = 0;
    std::vector<TableCheck> tables;     // schema_version excepted, by name
    std::vector<std::string> problems;  // "TABLE: what is wrong"; empty when good
};

// Checks the store at `at`: its schema version, each table's rows and
// checksum, and that every reference resolves (SQLite's foreign_key_check;
// on PostgreSQL declared foreign keys hold by construction), including the
// references by reference or id that are not declared as foreign keys.
// Throws InputError when `at` is a SQLite file that does not exist.
StoreCheck checkStore(const StoreUrl& at);

// The differences between two checks (one line each, naming the table);
// empty when both stores hold the same rows.
std::vector<std::string> compareChecks(const StoreCheck& here, const std::string& hereName, const StoreCheck& other,
                                       const std::string& otherName);

}  // namespace duly::store
