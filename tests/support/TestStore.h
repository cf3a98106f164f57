// TestStore: which store a test runs against, so one test binary checks
// both. By default SQLite, in the test's own temporary file. With
// DULY_TEST_STORE=postgresql, PostgreSQL: the server is the one
// tests/support/with-postgres started for this run (DULY_TEST_POSTGRES, its
// URL without a database), and each store file a test names becomes a
// database of its own, made on first use and named after the path, so a
// test that opens the same file twice (a second connection, a reopened
// store) opens the same database, and every test starts empty. ctest runs
// each store test binary both ways (tests/store/CMakeLists.txt).
// Throws std::runtime_error, saying how to run it, when PostgreSQL is
// asked for but no server was started.
#pragma once

#include "duly/store/StoreUrl.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace duly::testsupport {

inline bool onPostgreSql() {
    const char* which = std::getenv("DULY_TEST_STORE");
    return which && std::string(which) == "postgresql";
}

// The server's URL (postgresql://USER@HOST:PORT), or a clear failure.
inline std::string testPostgresServer() {
    const char* url = std::getenv("DULY_TEST_POSTGRES");
    if (!url || !*url)
        throw std::runtime_error(
            "DULY_TEST_STORE=postgresql needs a PostgreSQL server: run the test through tests/support/with-postgres "
            "(ctest does), which starts one; if PostgreSQL 15 is missing, run scripts/setup");
    return url;
}

// A URL to database `name` on the test server, created if it does not exist.
inline std::string testDatabase(const std::string& name) {
    static std::mutex mutex;
    static std::set<std::string> made;
    const std::string server = testPostgresServer();
    std::lock_guard lock(mutex);
    if (!made.count(name)) {
        Poco::Data::PostgreSQL::Connector::registerConnector();
        Poco::Data::Session admin("PostgreSQL", store::StoreUrl::parse(server + "/postgres").connectionString());
        using namespace Poco::Data::Keywords;
        std::string key = name;
        Poco::Int64 exists = 0;
        admin << "SELECT COUNT(*) FROM pg_database WHERE datname = $1", use(key), into(exists), now;
        if (!exists) admin << "CREATE DATABASE \"" + name + "\"", now;
        made.insert(name);
    }
    return server + "/" + name;
}

// The store a test keeps at `file`: that file on SQLite, or its own
// PostgreSQL database (see above).
inline store::StoreUrl storeAt(const std::filesystem::path& file) {
    if (!onPostgreSql()) return store::StoreUrl::sqliteFile(file);
    char name[32];
    std::snprintf(name, sizeof name, "t_%016zx", std::hash<std::string>{}(file.lexically_normal().string()));
    return store::StoreUrl::parse(testDatabase(name));
}

}  // namespace duly::testsupport

// For a test about SQLite itself (the bytes of its file, its query plans,
// files written by older versions): skipped, saying why, on PostgreSQL.
#define DULY_SQLITE_ONLY(why)                  \
    if (::duly::testsupport::onPostgreSql()) { \
        GTEST_SKIP() << "SQLite only: " why;   \
    }
