// Opening stores: a new file (and its folders) gets the whole schema, an
// empty file is migrated, a file that is not a database and a store written
// by a newer duly are refused with messages naming the file, and reopening
// applies nothing twice. The connection settings (WAL, foreign keys, busy
// timeout) are read back from SQLite itself.
#include "TempDir.h"

#include "duly/engine/InputError.h"
#include "duly/store/Migrations.h"
#include "duly/store/SqliteCaseStore.h"
#include "../support/TestStore.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

using namespace Poco::Data::Keywords;
using duly::engine::InputError;
using duly::store::SqliteCaseStore;
using duly::testsupport::storeAt;
using duly::store::test::TempDir;

namespace {

int latestVersion() { return duly::store::migrations().back().version; }

template <typename T>
T pragma(const SqliteCaseStore& store, const std::string& sql) {
    std::lock_guard lock(store.mutex());
    T value{};
    store.session() << sql, into(value), now;
    return value;
}

// A connection of its own to the store a test keeps at `file` (SQLite or
// PostgreSQL), with the schema as migrations 1 to `upTo` left it: a store
// written by an older Duly.
std::unique_ptr<Poco::Data::Session> olderStore(const std::filesystem::path& file, int upTo) {
    const bool postgres = duly::testsupport::onPostgreSql();
    std::unique_ptr<Poco::Data::Session> s;
    if (postgres) {
        Poco::Data::PostgreSQL::Connector::registerConnector();
        s = std::make_unique<Poco::Data::Session>("PostgreSQL", storeAt(file).connectionString());
    } else {
        Poco::Data::SQLite::Connector::registerConnector();
        s = std::make_unique<Poco::Data::Session>("SQLite", file.string());
    }
    *s << (postgres ? "CREATE TABLE schema_version (version BIGINT PRIMARY KEY, description TEXT NOT NULL,"
                      " applied_at BIGINT NOT NULL)"
                    : "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                      " applied_at INTEGER NOT NULL)"),
        now;
    for (const auto& m : duly::store::migrations()) {
        if (m.version > upTo) break;
        for (const auto& sql : postgres ? duly::store::postgreSqlStatements(m) : m.statements) *s << sql, now;
        Poco::Int64 version = m.version;
        *s << (postgres ? "INSERT INTO schema_version VALUES ($1, 'older', 0)"
                        : "INSERT INTO schema_version VALUES (?, 'older', 0)"),
            use(version), now;
    }
    return s;
}

// How many tables (or indexes) named like `pattern` the store has.
int schemaObjects(const SqliteCaseStore& store, const std::string& kind, const std::string& pattern) {
    std::lock_guard lock(store.mutex());
    std::string like = pattern;
    Poco::Int64 n = 0;
    if (duly::testsupport::onPostgreSql()) {
        store.session() << (kind == "table" ? "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1"
                                            : "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE $1"),
            use(like), into(n), now;
    } else {
        store.session() << "SELECT COUNT(*) FROM sqlite_master WHERE type = '" + kind + "' AND name LIKE ?", use(like),
            into(n), now;
    }
    return static_cast<int>(n);
}

std::string openError(const std::filesystem::path& file) {
    try {
        SqliteCaseStore store(storeAt(file));
    } catch (const InputError& e) {
        return e.what();
    }
    return "(opened)";
}

}  // namespace

TEST(Migrations, NumberedFromOneWithoutGaps) {
    const auto& all = duly::store::migrations();
    ASSERT_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
        EXPECT_FALSE(all[i].description.empty());
        EXPECT_FALSE(all[i].statements.empty());
    }
}

TEST(Migrations, NewFileInNewFoldersGetsTheWholeSchema) {
    TempDir dir;
    const auto file = dir / "var/lib/duly/duly.db";
    SqliteCaseStore store(storeAt(file));
    if (!duly::testsupport::onPostgreSql()) {
        EXPECT_TRUE(std::filesystem::exists(file));
    }
    EXPECT_EQ(store.schemaVersion(), latestVersion());
    EXPECT_EQ(store.caseCount(), 0u);
    EXPECT_EQ(store.customerCount(), 0u);
    EXPECT_TRUE(store.officers().empty());
    // Every table the store uses exists.
    for (const char* table : {"officers", "customers", "cases", "items", "events", "reference_sequences", "outbound",
                              "attachments", "extensions", "calls", "representatives", "remedies", "referrals"})
        EXPECT_EQ(schemaObjects(store, "table", table), 1) << table;
}

TEST(Migrations, ConnectionSettings) {
    DULY_SQLITE_ONLY("SQLite's PRAGMAs; PostgreSQL's settings are PostgreSqlSessionSettings");
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    EXPECT_EQ(pragma<std::string>(store, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(pragma<int>(store, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(pragma<int>(store, "PRAGMA synchronous"), 2);  // FULL
    EXPECT_EQ(pragma<int>(store, "PRAGMA busy_timeout"), 10000);
}

TEST(Migrations, PostgreSqlSessionSettings) {
    if (!duly::testsupport::onPostgreSql()) {
        GTEST_SKIP() << "PostgreSQL only: SQLite's are ConnectionSettings";
    }
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    EXPECT_EQ(pragma<std::string>(store, "SHOW TimeZone"), "UTC");
    EXPECT_EQ(pragma<std::string>(store, "SHOW client_encoding"), "UTF8");
    EXPECT_EQ(pragma<std::string>(store, "SHOW synchronous_commit"), "on");
    // Identity ids, 64-bit times and bytea, as forPostgreSql makes them.
    EXPECT_EQ(pragma<std::string>(store, "SELECT data_type FROM information_schema.columns WHERE table_name = 'cases'"
                                         " AND column_name = 'received'"),
              "bigint");
    EXPECT_EQ(pragma<std::string>(store, "SELECT is_identity FROM information_schema.columns WHERE table_name = 'cases'"
                                         " AND column_name = 'id'"),
              "YES");
    EXPECT_EQ(pragma<std::string>(store, "SELECT data_type FROM information_schema.columns WHERE table_name = 'outbound'"
                                         " AND column_name = 'bytes'"),
              "bytea");
}

TEST(Migrations, EmptyFileIsMigrated) {
    TempDir dir;
    const auto file = dir / "empty.db";
    std::ofstream(file).close();
    ASSERT_EQ(std::filesystem::file_size(file), 0u);
    SqliteCaseStore store(storeAt(file));
    EXPECT_EQ(store.schemaVersion(), latestVersion());
}

TEST(Migrations, ReopeningAppliesNothingTwice) {
    TempDir dir;
    const auto file = dir / "duly.db";
    { SqliteCaseStore store(storeAt(file)); }
    SqliteCaseStore store(storeAt(file));
    int rows = 0;
    {
        std::lock_guard lock(store.mutex());
        store.session() << "SELECT COUNT(*) FROM schema_version", into(rows), now;
    }
    EXPECT_EQ(rows, latestVersion());
    EXPECT_EQ(store.schemaVersion(), latestVersion());
}

TEST(Migrations, NewerSchemaIsRefused) {
    TempDir dir;
    const auto file = dir / "duly.db";
    {
        SqliteCaseStore store(storeAt(file));
        std::lock_guard lock(store.mutex());
        store.session() << "INSERT INTO schema_version (version, description, applied_at)"
                           " VALUES (99, 'from the future', 0)",
            now;
    }
    EXPECT_EQ(openError(file), storeAt(file).shown() + ": the store is at schema version 99, newer than this duly knows (" +
                                   std::to_string(latestVersion()) +
                                   "); use the duly that wrote it, or a newer one");
}

TEST(Migrations, FileThatIsNotADatabaseIsRefused) {
    DULY_SQLITE_ONLY("a file's bytes");
    TempDir dir;
    const auto file = dir / "notes.db";
    {
        std::ofstream out(file);
        for (int i = 0; i < 100; ++i) out << "This is a text file, not an SQLite database.\n";
    }
    const std::string message = openError(file);
    EXPECT_EQ(message.rfind(file.string() + ": cannot open the store: ", 0), 0u) << message;
    EXPECT_NE(message.find("not a database"), std::string::npos) << message;
}

TEST(Migrations, FolderThatCannotBeCreatedIsNamed) {
    DULY_SQLITE_ONLY("the store's folder");
    TempDir dir;
    const auto blocker = dir / "plain-file";
    std::ofstream(blocker).close();
    const std::string message = openError(blocker / "duly.db");
    EXPECT_EQ(message.rfind(blocker.string() + ": cannot create the store's folder: ", 0), 0u) << message;
}

TEST(Migrations, StoreAtVersionOneIsBroughtUpToDateKeepingItsCases) {
    TempDir dir;
    const auto file = dir / "old.db";
    {
        // A store as the first release left it: migration 1 only, one open case.
        auto older = olderStore(file, 1);
        auto& s = *older;
        s << "INSERT INTO cases (reference, charter, channel, kind, state, officer_id, received, counted_from,"
             " respond_by) VALUES ('PHG-2026-00007', 'progress', 'email', 'enquiry', 'open', 'jwong', 1795428000,"
             " '2026-11-23', 1796000000)",
            now;
    }
    SqliteCaseStore store(storeAt(file));
    EXPECT_EQ(store.schemaVersion(), latestVersion());
    const auto due = store.dueActions(std::string("jwong"), std::nullopt);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].caseReference, "PHG-2026-00007");
    EXPECT_EQ(due[0].dueAt.time_since_epoch().count(), 1796000000);
    EXPECT_EQ(schemaObjects(store, "index", "cases_due_%"), 6);
}

// Finding the case of a message by its source (Message-ID or digest) is an
// index search, not a scan of every item: with a scan, taking in the
// ten-thousandth message read all ten thousand before it.
TEST(Migrations, ItemsAreFoundBySourceThroughAnIndex) {
    DULY_SQLITE_ONLY("the plan is SQLite's EXPLAIN QUERY PLAN");
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    std::vector<std::string> plan;
    {
        std::lock_guard lock(store.mutex());
        Poco::Data::Statement st(store.session());
        st << "EXPLAIN QUERY PLAN SELECT c.reference FROM items i JOIN cases c ON c.id = i.case_id"
              " WHERE i.source = 'sha256:0a1b' LIMIT 1",
            now;
        Poco::Data::RecordSet rs(st);
        for (std::size_t row = 0; row < rs.rowCount(); ++row) plan.push_back(rs.value(3, row).convert<std::string>());
    }
    ASSERT_FALSE(plan.empty());
    EXPECT_NE(plan[0].find("USING"), std::string::npos) << plan[0];
    EXPECT_NE(plan[0].find("items_by_source"), std::string::npos) << plan[0];
}

// Migration 11 turns the facts older versions kept only in case history
// text into fields: why the acknowledgement was withheld, who handled
// stage 1, and each extension with its days and reason.
TEST(Migrations, FactsKeptInEventTextBecomeFields) {
    TempDir dir;
    const auto file = dir / "v10.db";
    {
        auto older = olderStore(file, 10);
        auto& s = *older;
        s << "INSERT INTO cases (id, reference, charter, channel, kind, state, officer_id, received, counted_from,"
             " respond_by) VALUES (1, 'PHG-2026-00001', 'progress', 'email', 'complaint-stage-2', 'open', 'rhughes',"
             " 1795428000, '2026-11-23', 1796000000), (2, 'PHG-2026-00002', 'progress', 'email', 'enquiry', 'open',"
             " 'jwong', 1795428000, '2026-11-23', 1796000000)",
            now;
        s << "INSERT INTO events (case_id, type, at, actor, detail) VALUES"
             " (1, 'extended', 1795500000, 'dparker', '5 working days: We need a surveyor: a second visit'),"
             " (1, 'escalated-to-stage-2', 1795600000, 'rhughes', 'stage 1 handled by dparker'),"
             " (1, 'extended', 1795700000, 'rhughes', '10 working days: The contractor is ill'),"
             " (2, 'note', 1795428000, 'duly', 'no automatic acknowledgement: Auto-Submitted: auto-replied')",
            now;
    }
    SqliteCaseStore store(storeAt(file));
    EXPECT_EQ(store.schemaVersion(), latestVersion());
    const auto complaint = store.findCase("PHG-2026-00001");
    ASSERT_TRUE(complaint);
    EXPECT_EQ(complaint->stage1OfficerId, "dparker");
    EXPECT_EQ(complaint->acknowledgementWithheld, "");
    ASSERT_EQ(complaint->extensions.size(), 2u);
    EXPECT_EQ(complaint->extensions[0].number, 1);
    EXPECT_EQ(complaint->extensions[0].workingDays, 5);
    EXPECT_EQ(complaint->extensions[0].reason, "We need a surveyor: a second visit");
    EXPECT_EQ(complaint->extensions[0].actor, "dparker");
    EXPECT_FALSE(complaint->extensions[0].dateBefore);  // not kept before migration 11
    EXPECT_EQ(complaint->extensions[1].number, 2);
    EXPECT_EQ(complaint->extensions[1].workingDays, 10);
    EXPECT_EQ(complaint->extensions[1].reason, "The contractor is ill");
    const auto enquiry = store.findCase("PHG-2026-00002");
    ASSERT_TRUE(enquiry);
    EXPECT_EQ(enquiry->acknowledgementWithheld, "Auto-Submitted: auto-replied");
    EXPECT_EQ(enquiry->stage1OfficerId, "");
    EXPECT_TRUE(enquiry->extensions.empty());
}

// Extensions and dates given are written with the case and read back; a
// fact already stored is never changed by a later write.
TEST(Migrations, ExtensionsAndDatesGivenAreKeptWithTheCase) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    duly::engine::Case c;
    c.charter = "progress";
    c.kind = duly::engine::Kind::ComplaintStage1;
    c.received = duly::engine::Instant{std::chrono::seconds{1795428000}};
    c.countedFrom = duly::engine::parseDate("2026-11-23");
    c.datesGiven.push_back({"acknowledgement", duly::engine::Instant{std::chrono::seconds{1796000000}},
                            duly::engine::Instant{std::chrono::seconds{1795428100}}});
    c = store.createCase(c, "PHG");
    c.extensions.push_back({1, 5, "A second visit", duly::engine::Instant{std::chrono::seconds{1796000000}},
                            duly::engine::Instant{std::chrono::seconds{1796400000}}, "dparker",
                            duly::engine::Instant{std::chrono::seconds{1795500000}}});
    c.datesGiven.push_back({"extension-1", duly::engine::Instant{std::chrono::seconds{1796400000}},
                            duly::engine::Instant{std::chrono::seconds{1795500100}}});
    c.datesGiven.front().date = duly::engine::Instant{std::chrono::seconds{1}};  // a rewrite is not kept
    store.updateCase(c, {});
    const auto back = store.findCase(c.reference);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->datesGiven.size(), 2u);
    EXPECT_EQ(back->datesGiven[0].documentKey, "acknowledgement");
    EXPECT_EQ(back->datesGiven[0].date.time_since_epoch().count(), 1796000000);
    EXPECT_EQ(back->datesGiven[1].documentKey, "extension-1");
    ASSERT_EQ(back->extensions.size(), 1u);
    EXPECT_EQ(back->extensions[0].dateBefore->time_since_epoch().count(), 1796000000);
    EXPECT_EQ(back->extensions[0].dateAfter->time_since_epoch().count(), 1796400000);
}
