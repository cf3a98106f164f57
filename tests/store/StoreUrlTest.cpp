// StoreUrl: a SQLite path or a PostgreSQL URL, Duly's own password
// parameters taken out, libpq's keyword=value string for Poco, and URLs
// shown without passwords. Table of input → result, with the exact error
// text.
#include "duly/store/StoreUrl.h"

#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "TempDir.h"

using duly::store::StoreUrl;

namespace {

std::string errorOf(const std::string& text) {
    try {
        StoreUrl::parse(text, "--db");
    } catch (const duly::engine::InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(StoreUrl, APathIsASqliteFile) {
    const auto u = StoreUrl::parse("/var/lib/duly/duly.db");
    EXPECT_EQ(u.kind, StoreUrl::Kind::SqliteFile);
    EXPECT_EQ(u.file, "/var/lib/duly/duly.db");
    EXPECT_EQ(u.shown(), "/var/lib/duly/duly.db");
    EXPECT_EQ(StoreUrl::parse("var/duly.db").kind, StoreUrl::Kind::SqliteFile);
}

TEST(StoreUrl, PostgreSqlUrls) {
    struct Row {
        const char* text;
        const char* url;
        const char* connection;
    };
    const Row rows[] = {
        {"postgresql://duly@db.example.org:5433/duly?sslmode=verify-full",
         "postgresql://duly@db.example.org:5433/duly?sslmode=verify-full",
         "user=duly dbname=duly host=db.example.org port=5433 sslmode=verify-full"},
        {"postgres://duly@localhost/duly", "postgres://duly@localhost/duly", "user=duly dbname=duly host=localhost"},
        {"postgresql://duly@127.0.0.1:5432/duly?password_env=DULY_TEST_UNSET_VARIABLE_X&sslmode=disable",
         "postgresql://duly@127.0.0.1:5432/duly?sslmode=disable", nullptr},
    };
    for (const auto& row : rows) {
        const auto u = StoreUrl::parse(row.text);
        EXPECT_EQ(u.kind, StoreUrl::Kind::PostgreSql) << row.text;
        EXPECT_EQ(u.url, row.url) << row.text;
        if (row.connection) {
            // libpq lists its keywords in its own order; compare as sets of words.
            auto words = [](std::string s) {
                std::multiset<std::string> out;
                std::size_t p = 0;
                while (p < s.size()) {
                    auto e = s.find(' ', p);
                    if (e == std::string::npos) e = s.size();
                    out.insert(s.substr(p, e - p));
                    p = e + 1;
                }
                return out;
            };
            EXPECT_EQ(words(u.connectionString()), words(row.connection)) << row.text;
        }
    }
}

TEST(StoreUrl, PasswordFromFileOrEnvironmentNeverInTheUrl) {
    duly::store::test::TempDir dir;
    {
        std::ofstream out(dir / "pw");
        out << "s3cr'et\n";
    }
    const auto fromFile = StoreUrl::parse("postgresql://duly@h/duly?password_file=" + (dir / "pw").string());
    EXPECT_EQ(fromFile.passwordFile, (dir / "pw").string());
    EXPECT_EQ(fromFile.shown(), "postgresql://duly@h/duly");
    EXPECT_NE(fromFile.connectionString().find(" password=s3cr\\'et"), std::string::npos)
        << fromFile.connectionString();
    ::setenv("DULY_TEST_STORE_PASSWORD", "from-env", 1);
    const auto fromEnv = StoreUrl::parse("postgresql://duly@h/duly?password_env=DULY_TEST_STORE_PASSWORD");
    EXPECT_NE(fromEnv.connectionString().find(" password=from-env"), std::string::npos);
    ::unsetenv("DULY_TEST_STORE_PASSWORD");
    try {
        fromEnv.connectionString();
        ADD_FAILURE() << "expected an error";
    } catch (const duly::engine::InputError& e) {
        EXPECT_STREQ(e.what(), "postgresql://duly@h/duly: the password_env variable DULY_TEST_STORE_PASSWORD is not set");
    }
}

TEST(StoreUrl, Errors) {
    EXPECT_EQ(errorOf("mysql://duly@h/duly"),
              "--db: \"mysql://duly@h/duly\": expected a SQLite file path or a URL postgresql://USER@HOST:PORT/DB");
    EXPECT_EQ(errorOf("postgresql://duly@h/duly?password_file=a&password_env=B"),
              "--db: give password_file or password_env, not both");
    EXPECT_EQ(errorOf("postgresql://duly@h/duly?password_env="), "--db: password_env needs a value");
    EXPECT_EQ(errorOf("postgresql://duly:hunter2@h:5432/duly"),
              "--db: \"postgresql://duly:***@h:5432/duly\": a password in the URL would be shown wherever the URL is;"
              " give password_file=FILE or password_env=NAME, or use libpq's ~/.pgpass");
    EXPECT_EQ(errorOf("postgresql://duly@h/duly?sslmode=require&password=hunter2"),
              "--db: \"postgresql://duly@h/duly?sslmode=require&password=***\": a password in the URL would be shown"
              " wherever the URL is; give password_file=FILE or password_env=NAME, or use libpq's ~/.pgpass");
    EXPECT_EQ(errorOf("postgresql://duly@h/duly?colour=blue"),
              "--db: \"postgresql://duly@h/duly?colour=blue\" is not a PostgreSQL URL libpq accepts: invalid URI query "
              "parameter: \"colour\"");
}
