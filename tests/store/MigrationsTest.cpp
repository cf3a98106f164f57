// Opening stores: a new file (and its folders) gets the whole schema, an
// empty file is migrated, a file that is not a database and a store written
// by a newer duly are refused with messages naming the file, and reopening
// applies nothing twice. The connection settings (WAL, foreign keys, busy
// timeout) are read back from SQLite itself.
#include "TempDir.h"

#include "duly/engine/InputError.h"
#include "duly/store/Migrations.h"
#include "duly/store/SqliteCaseStore.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>

#include <fstream>

using namespace Poco::Data::Keywords;
using duly::engine::InputError;
using duly::store::SqliteCaseStore;
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

std::string openError(const std::filesystem::path& file) {
    try {
        SqliteCaseStore store(file);
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
    SqliteCaseStore store(file);
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(store.schemaVersion(), latestVersion());
    EXPECT_EQ(store.caseCount(), 0u);
    EXPECT_EQ(store.customerCount(), 0u);
    EXPECT_TRUE(store.officers().empty());
    // Every table the store uses exists.
    for (const char* table : {"officers", "customers", "cases", "items", "events", "reference_sequences"}) {
        int n = 0;
        std::string name = table;
        std::lock_guard lock(store.mutex());
        store.session() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", use(name),
            into(n), now;
        EXPECT_EQ(n, 1) << table;
    }
}

TEST(Migrations, ConnectionSettings) {
    TempDir dir;
    SqliteCaseStore store(dir / "duly.db");
    EXPECT_EQ(pragma<std::string>(store, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(pragma<int>(store, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(pragma<int>(store, "PRAGMA synchronous"), 2);  // FULL
    EXPECT_EQ(pragma<int>(store, "PRAGMA busy_timeout"), 10000);
}

TEST(Migrations, EmptyFileIsMigrated) {
    TempDir dir;
    const auto file = dir / "empty.db";
    std::ofstream(file).close();
    ASSERT_EQ(std::filesystem::file_size(file), 0u);
    SqliteCaseStore store(file);
    EXPECT_EQ(store.schemaVersion(), latestVersion());
}

TEST(Migrations, ReopeningAppliesNothingTwice) {
    TempDir dir;
    const auto file = dir / "duly.db";
    { SqliteCaseStore store(file); }
    SqliteCaseStore store(file);
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
        SqliteCaseStore store(file);
        std::lock_guard lock(store.mutex());
        store.session() << "INSERT INTO schema_version (version, description, applied_at)"
                           " VALUES (99, 'from the future', 0)",
            now;
    }
    EXPECT_EQ(openError(file), file.string() + ": the store is at schema version 99, newer than this duly knows (" +
                                   std::to_string(latestVersion()) +
                                   "); use the duly that wrote it, or a newer one");
}

TEST(Migrations, FileThatIsNotADatabaseIsRefused) {
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
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session s("SQLite", file.string());
        s << "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
             " applied_at INTEGER NOT NULL)",
            now;
        for (const auto& sql : duly::store::migrations().at(0).statements) s << sql, now;
        s << "INSERT INTO schema_version VALUES (1, 'first', 0)", now;
        s << "INSERT INTO cases (reference, charter, channel, kind, state, officer_id, received, counted_from,"
             " respond_by) VALUES ('PHG-2026-00007', 'progress', 'email', 'enquiry', 'open', 'jwong', 1795428000,"
             " '2026-11-23', 1796000000)",
            now;
    }
    SqliteCaseStore store(file);
    EXPECT_EQ(store.schemaVersion(), latestVersion());
    const auto due = store.dueActions(std::string("jwong"), std::nullopt);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].caseReference, "PHG-2026-00007");
    EXPECT_EQ(due[0].dueAt.time_since_epoch().count(), 1796000000);
    int indexes = 0;
    {
        std::lock_guard lock(store.mutex());
        store.session() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'cases_due_%'",
            into(indexes), now;
    }
    EXPECT_EQ(indexes, 6);
}

// Finding the case of a message by its source (Message-ID or digest) is an
// index search, not a scan of every item: with a scan, taking in the
// ten-thousandth message read all ten thousand before it.
TEST(Migrations, ItemsAreFoundBySourceThroughAnIndex) {
    TempDir dir;
    SqliteCaseStore store(dir / "duly.db");
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
