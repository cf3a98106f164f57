// SqliteStatements: the prepared-statement cache on a real SQLite file —
// re-use with different bindings, reset after an exception so a COMMIT
// still succeeds, errors that name the file and SQLite's message, NULL and
// bytes with NUL round-tripped — and Query on it; on PostgreSQL (the
// .postgresql run), Query through named statements kept on the connection.
#include "TempDir.h"

#include "../support/TestStore.h"
#include "SqliteStatements.h"
#include "SqliteSupport.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <stdexcept>

using namespace Poco::Data::Keywords;
using duly::store::StoreError;
using duly::store::detail::CachedStatement;
using duly::store::detail::Query;
using duly::store::detail::StatementCache;
using duly::store::test::TempDir;

namespace {

class SqliteStatementsTest : public ::testing::Test {
protected:
    void SetUp() override {
        Poco::Data::SQLite::Connector::registerConnector();
        file = (dir / "s.db").string();
        session = std::make_unique<Poco::Data::Session>("SQLite", file);
        *session << "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, n INTEGER)", now;
        cache = std::make_unique<StatementCache>(Poco::Data::SQLite::Utility::dbHandle(*session), file);
    }
    void TearDown() override {
        cache.reset();  // finalized before the session closes
        session.reset();
    }
    TempDir dir;
    std::string file;
    std::unique_ptr<Poco::Data::Session> session;
    std::unique_ptr<StatementCache> cache;
};

TEST_F(SqliteStatementsTest, ReusedStatementGivesTheRowsOfEachBinding) {
    DULY_SQLITE_ONLY("the SQLite statement cache");
    for (int i = 1; i <= 3; ++i) {
        CachedStatement st(*cache, "INSERT INTO t (id, name) VALUES (?, ?)");
        st.bind(i).bindText("name " + std::to_string(i)).run();
    }
    for (int i : {2, 1, 3, 2}) {
        CachedStatement st(*cache, "SELECT name FROM t WHERE id = ?");
        st.bind(i);
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.text(0), "name " + std::to_string(i));
        EXPECT_FALSE(st.step());
    }
    CachedStatement none(*cache, "SELECT name FROM t WHERE id = ?");
    none.bind(9);
    EXPECT_FALSE(none.step());
    EXPECT_EQ(cache->size(), 2u);  // one prepared statement per SQL text
}

TEST_F(SqliteStatementsTest, StatementInterruptedByAnExceptionIsResetSoCommitSucceeds) {
    DULY_SQLITE_ONLY("the SQLite statement cache");
    *session << "INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b')", now;
    *session << "BEGIN", now;
    EXPECT_THROW(
        {
            CachedStatement st(*cache, "SELECT name FROM t ORDER BY id");
            ASSERT_TRUE(st.step());  // one row read, one left pending
            throw std::runtime_error("interrupted");
        },
        std::runtime_error);
    EXPECT_EQ(sqlite3_stmt_busy(cache->get("SELECT name FROM t ORDER BY id")), 0);
    EXPECT_NO_THROW((*session << "COMMIT", now));
    // and the connection is back in autocommit: no read transaction left open
    EXPECT_NE(sqlite3_get_autocommit(cache->db()), 0);
}

TEST_F(SqliteStatementsTest, ErrorsNameTheFileAndSqlitesMessage) {
    DULY_SQLITE_ONLY("the SQLite statement cache");
    try {
        CachedStatement st(*cache, "SELECT x FROM nowhere");
        FAIL() << "prepared a query on a missing table";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()),
                  file + ": cannot prepare \"SELECT x FROM nowhere\": no such table: nowhere");
    }
    *session << "INSERT INTO t (id, name) VALUES (1, 'a')", now;
    try {
        CachedStatement st(*cache, "INSERT INTO t (id, name) VALUES (?, ?)");
        st.bind(1).bindText("again").run();
        FAIL() << "inserted a duplicate key";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()),
                  file + ": \"INSERT INTO t (id, name) VALUES (?, ?)\" failed: UNIQUE constraint failed: t.id");
    }
    // The failed statement was reset: it runs again with new values.
    CachedStatement st(*cache, "INSERT INTO t (id, name) VALUES (?, ?)");
    EXPECT_NO_THROW(st.bind(2).bindText("b").run());
}

TEST_F(SqliteStatementsTest, NullAndBytesWithNulRoundTrip) {
    DULY_SQLITE_ONLY("the SQLite statement cache");
    const std::string bytes("a\0b\0\xff", 5), text("x\0y", 3);
    {
        CachedStatement st(*cache, "INSERT INTO t (id, name, data, n) VALUES (?, ?, ?, ?)");
        st.bind(1).bindText(text).bindBytes(bytes).bindNull().run();
    }
    {
        CachedStatement st(*cache, "INSERT INTO t (id, name, data, n) VALUES (?, ?, ?, ?)");
        st.bind(2).bindNull().bindBytes("").bind(-7).run();  // bindings of the last use are cleared
    }
    CachedStatement st(*cache, "SELECT name, data, n, typeof(data) FROM t ORDER BY id");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.text(0), text);
    EXPECT_EQ(st.bytes(1), bytes);
    EXPECT_TRUE(st.isNull(2));
    ASSERT_TRUE(st.step());
    EXPECT_TRUE(st.isNull(0));
    EXPECT_FALSE(st.isNull(1));  // empty bytes are an empty BLOB, not NULL
    EXPECT_EQ(st.text(3), "blob");
    EXPECT_EQ(st.integer(2), -7);
    EXPECT_FALSE(st.step());
}

TEST_F(SqliteStatementsTest, QueryReadsRowsAndReturnedIds) {
    DULY_SQLITE_ONLY("the SQLite statement cache");
    const std::string bytes("\0\1\2", 3);
    for (auto* c : {cache.get(), static_cast<StatementCache*>(nullptr)}) {  // cached, then through Poco
        *session << "DELETE FROM t", now;
        auto id = Query(*session, c, "INSERT INTO t (name, data, n) VALUES (?, ?, ?) RETURNING id")
                      .bind(std::string("q"))
                      .bindBytes(bytes)
                      .bind(Poco::Nullable<Poco::Int64>())
                      .single();
        ASSERT_TRUE(id.has_value());
        auto rows = Query(*session, c, "SELECT id, name, data, n FROM t WHERE id = ?").bind(*id).rows();
        ASSERT_EQ(rows.rowCount(), 1u);
        EXPECT_EQ(rows.integer(0, 0), *id);
        EXPECT_EQ(rows.text(1, 0), "q");
        EXPECT_EQ(rows.bytes(2, 0), bytes);
        EXPECT_TRUE(rows.isNull(3, 0));
        EXPECT_EQ(Query(*session, c, "SELECT id FROM t WHERE id = ?").bind(*id + 1).single(), std::nullopt);
    }
}

// PostgreSQL: the statements the store runs are prepared once on the
// connection and executed by name, with each execution's own values.
class PostgresStatementsTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!duly::testsupport::onPostgreSql()) GTEST_SKIP() << "PostgreSQL only: its named statements";
        Poco::Data::PostgreSQL::Connector::registerConnector();
        const auto url = duly::store::StoreUrl::parse(duly::testsupport::testDatabase("t_statements"));
        session = std::make_unique<Poco::Data::Session>("PostgreSQL", url.connectionString());
        *session << "DROP TABLE IF EXISTS t", now;
        *session << "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, name TEXT, data BYTEA, n INTEGER, flag BOOLEAN)", now;
        *session << "DEALLOCATE ALL", now;
        cache = std::make_unique<StatementCache>(duly::store::detail::pgConnection(*session), url.shown());
    }
    Poco::Int64 prepared() {
        Poco::Int64 n = 0;
        *session << "SELECT COUNT(*) FROM pg_prepared_statements WHERE name LIKE 'duly_q%'", into(n), now;
        return n;
    }
    std::unique_ptr<Poco::Data::Session> session;
    std::unique_ptr<StatementCache> cache;
};

TEST_F(PostgresStatementsTest, EachTextIsPreparedOnceAndRunWithEachExecutionsValues) {
    const std::string insert = "INSERT INTO t (name, data, n, flag) VALUES (?, COALESCE(?, '\\x'::bytea), ?, ?) RETURNING id";
    const std::string bytes("a\0b\xff", 4);
    const auto first = Query(*session, cache.get(), insert)
                           .bind(std::string("one"))
                           .bindBytes(bytes)
                           .bind(Poco::Nullable<Poco::Int64>())
                           .bind(std::string("true"))
                           .single();
    const auto second = Query(*session, cache.get(), insert)
                            .bind(std::string("two"))
                            .bindBytes("")
                            .bind(Poco::Nullable<Poco::Int64>(-7))
                            .bind(std::string("false"))
                            .single();
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
    const std::string select = "SELECT id, name, data, n, flag FROM t WHERE id = ?";
    auto one = Query(*session, cache.get(), select).bind(*first).rows();
    auto two = Query(*session, cache.get(), select).bind(*second).rows();
    ASSERT_EQ(one.rowCount(), 1u);
    ASSERT_EQ(two.rowCount(), 1u);
    EXPECT_EQ(one.text(1, 0), "one");
    EXPECT_EQ(one.bytes(2, 0), bytes);  // NUL bytes and all, through binary bytea
    EXPECT_TRUE(one.isNull(3, 0));
    EXPECT_EQ(one.integer(4, 0), 1);
    EXPECT_EQ(two.text(1, 0), "two");
    EXPECT_FALSE(two.isNull(2, 0));  // empty bytes stay empty, not NULL
    EXPECT_EQ(two.bytes(2, 0), "");
    EXPECT_EQ(two.integer(3, 0), -7);
    EXPECT_EQ(two.integer(4, 0), 0);
    EXPECT_EQ(Query(*session, cache.get(), "UPDATE t SET n = ? WHERE id >= ?").bind(Poco::Int64{5}).bind(*first).run(), 2u);
    EXPECT_EQ(prepared(), 3);  // the insert, the select, the update: each once
}

TEST_F(PostgresStatementsTest, ErrorsNameTheStoreAndTheServersMessage) {
    try {
        Query(*session, cache.get(), "SELECT x FROM no_such_table WHERE id = ?").bind(Poco::Int64{1}).rows();
        FAIL() << "expected a StoreError";
    } catch (const StoreError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("postgresql://"), std::string::npos) << what;
        EXPECT_NE(what.find("no_such_table"), std::string::npos) << what;
        EXPECT_NE(what.find("does not exist"), std::string::npos) << what;
    }
    try {  // a statement that fails when run, not when prepared
        Query(*session, cache.get(), "INSERT INTO t (id, name) VALUES (?, ?)").bind(Poco::Int64{1}).bind(std::string("a")).run();
        Query(*session, cache.get(), "INSERT INTO t (id, name) VALUES (?, ?)").bind(Poco::Int64{1}).bind(std::string("b")).run();
        FAIL() << "expected a StoreError";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos) << e.what();
    }
}

}  // namespace
