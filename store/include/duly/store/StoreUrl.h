// StoreUrl: where the store is, as given by --db, $DULY_DB or [store] url —
// a SQLite file path (the embedded default) or a PostgreSQL URL in libpq's
// URI form, postgresql://USER@HOST:PORT/DB?sslmode=…, which may also carry
// Duly's own password_file=PATH or password_env=NAME (where the password
// comes from; without either, libpq's own .pgpass or PGPASSWORD). A URL
// never holds a secret, so it is safe to log: one with a password in it is
// refused. shown() masks one anyway ("***"), for messages about such a URL.
// parse throws InputError naming what it was given and what was expected.
#pragma once

#include <filesystem>
#include <string>

namespace duly::store {

struct StoreUrl {
    enum class Kind { SqliteFile, PostgreSql };
    Kind kind = Kind::SqliteFile;
    std::filesystem::path file;  // SqliteFile
    std::string url;             // PostgreSql: the URL without Duly's own parameters, for libpq
    std::string passwordFile;    // PostgreSql: password_file=, if given
    std::string passwordEnv;     // PostgreSql: password_env=, if given

    // True when `text` starts postgresql:// or postgres:// (case as written).
    static bool isPostgreSqlUrl(const std::string& text);
    // A path (anything else) or a PostgreSQL URL; `where`, if given, starts
    // messages ("--db").
    static StoreUrl parse(const std::string& text, const std::string& where = "");
    static StoreUrl sqliteFile(const std::filesystem::path& file);

    // The file path, or the URL with any password masked.
    std::string shown() const;
    // libpq's keyword=value connection string for Poco's connector (which
    // takes no URIs), with the password read from password_file or
    // password_env. Throws InputError when that file or variable is missing.
    std::string connectionString() const;
};

}  // namespace duly::store
