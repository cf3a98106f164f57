// The dashboard's audit log kept in the store (AuditStore, migration 18), as
// two instances of `duly serve` would write it: two store connections on one
// store, each with its own web::AuditLog. One log, whichever instance wrote;
// retention removes old entries from the store and from the file an earlier
// version wrote, which is read but no longer written. Runs on SQLite and on
// PostgreSQL (tests/store/CMakeLists.txt).
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/AuditLog.h"
#include "../support/TestStore.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using duly::engine::Instant;
using duly::store::SqliteCaseStore;
using duly::store::test::TempDir;
using duly::testsupport::storeAt;
using duly::web::AuditLog;
using namespace std::chrono_literals;

namespace {

const Instant kNow = duly::engine::parseRfc3339("2026-12-07T09:00:00Z");

std::string summary(const std::vector<AuditLog::Entry>& entries) {
    std::string out;
    for (const auto& e : entries) out += e.at + " " + e.actor + " " + e.action + " " + e.subject + " " + e.detail + "\n";
    return out;
}

std::string fileText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST(AuditStore, EntriesWrittenAtTwoInstancesAreOneLog) {
    TempDir dir;
    SqliteCaseStore one(storeAt(dir / "duly.db")), two(storeAt(dir / "duly.db"));
    AuditLog first(one, dir / "audit.log"), second(two, dir / "audit.log");
    first.write(kNow, "jbloggs", "view", "PHG-2026-00001");
    second.write(kNow + 1min, "asmith", "reply", "PHG-2026-00001", "by email");
    first.write(kNow + 1min, "asmith", "view", "PHG-2026-00002");
    second.write(kNow + 1min, "jbloggs", "view", "PHG-2026-00001", "again");
    EXPECT_EQ(summary(first.entriesAbout({"PHG-2026-00001"})),
              "2026-12-07T09:00:00Z jbloggs view PHG-2026-00001 \n"
              "2026-12-07T09:01:00Z asmith reply PHG-2026-00001 by email\n"
              "2026-12-07T09:01:00Z jbloggs view PHG-2026-00001 again\n");
    EXPECT_EQ(second.entriesAbout({"PHG-2026-00002", "PHG-2026-00003"}).size(), 1u);
    // Nothing written to the file any more.
    EXPECT_FALSE(std::filesystem::exists(dir / "audit.log"));
}

TEST(AuditStore, FieldsAreOneLineCutToTheirLimitAndValidText) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    AuditLog log(store, {});
    log.write(kNow, "someone\tlse", "sign-in refused", "/page\n\x01", std::string(300, 'x'));
    log.write(kNow, "bad \xff\xfe bytes\x80", "refused", std::string("nul\0here", 8));
    const auto entries = log.entriesAbout({"/page \x01", "nul here"});
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].actor, "someone lse");
    EXPECT_EQ(entries[0].detail, std::string(197, 'x') + "\xE2\x80\xA6");
    EXPECT_EQ(entries[1].actor, "bad ?? bytes?");
}

TEST(AuditStore, RetentionRemovesOldEntriesFromTheStoreAndTheOldFile) {
    TempDir dir;
    const auto oldFile = dir / "audit.log";
    {
        AuditLog before(oldFile);  // as an earlier version wrote it
        before.write(kNow - 400 * 24h, "jbloggs", "view", "PHG-2025-00001");
        before.write(kNow - 10 * 24h, "jbloggs", "view", "PHG-2026-00001", "from the file");
    }
    SqliteCaseStore one(storeAt(dir / "duly.db")), two(storeAt(dir / "duly.db"));
    AuditLog first(one, oldFile), second(two, oldFile);
    first.write(kNow - 380 * 24h, "asmith", "view", "PHG-2025-00001");
    second.write(kNow, "asmith", "view", "PHG-2026-00001", "from the store");
    EXPECT_EQ(summary(second.entriesAbout({"PHG-2026-00001"})),
              "2026-11-27T09:00:00Z jbloggs view PHG-2026-00001 from the file\n"
              "2026-12-07T09:00:00Z asmith view PHG-2026-00001 from the store\n");
    EXPECT_EQ(first.removeBefore(kNow - 365 * 24h), 2u);
    EXPECT_TRUE(second.entriesAbout({"PHG-2025-00001"}).empty());
    EXPECT_EQ(second.entriesAbout({"PHG-2026-00001"}).size(), 2u);
    EXPECT_EQ(fileText(oldFile).find("PHG-2025"), std::string::npos);
    EXPECT_EQ(second.removeBefore(kNow - 365 * 24h), 0u);
}

// The file an earlier version wrote is imported once: its lines become rows
// (cleaned as write() cleans them), the file is kept renamed, and the same
// file found again after a crash before its rename is not imported twice.
TEST(AuditStore, TheOldFileIsImportedOnceAndKept) {
    TempDir dir;
    const auto oldFile = dir / "audit.log";
    {
        std::ofstream out(oldFile, std::ios::binary);
        out << "2026-11-24T09:00:00Z\tsali\tviewed case\tPHG-2026-00001\t\n"
            << "not an audit line\n"
            << "2026-11-24T09:05:00Z\tjw\xff" "ong\tviewed case\tPHG-2026-00001\tagain\n";
    }
    const std::string original = fileText(oldFile);
    SqliteCaseStore one(storeAt(dir / "duly.db")), two(storeAt(dir / "duly.db"));
    const auto done = AuditLog::importOldFile(one, oldFile, kNow);
    EXPECT_EQ(done.imported, 2u);
    EXPECT_EQ(done.unreadable, 1u);
    EXPECT_FALSE(done.already);
    EXPECT_EQ(done.keptAs, dir / "audit.log.imported-20261207T090000Z");
    EXPECT_FALSE(std::filesystem::exists(oldFile));
    EXPECT_EQ(fileText(done.keptAs), original);  // kept whole, the unreadable line too
    AuditLog log(two, {});
    EXPECT_EQ(summary(log.entriesAbout({"PHG-2026-00001"})),
              "2026-11-24T09:00:00Z sali viewed case PHG-2026-00001 \n"
              "2026-11-24T09:05:00Z jw?ong viewed case PHG-2026-00001 again\n");
    // Nothing to import the second time.
    EXPECT_TRUE(AuditLog::importOldFile(two, oldFile, kNow + 1min).keptAs.empty());
    // A crash after the commit and before the rename leaves FILE.importing:
    // found at the next start, recognised by its digest, renamed, not imported again.
    std::filesystem::copy_file(done.keptAs, dir / "audit.log.importing");
    const auto again = AuditLog::importOldFile(two, oldFile, kNow + 2min);
    EXPECT_TRUE(again.already);
    EXPECT_EQ(again.imported, 0u);
    EXPECT_EQ(again.keptAs, dir / "audit.log.imported-20261207T090200Z");
    EXPECT_EQ(log.entriesAbout({"PHG-2026-00001"}).size(), 2u);
    EXPECT_EQ(log.entries({}).size(), 3u);  // the two lines and one import record
}

TEST(AuditStore, RecordsAreReadByTimeActorAndSubject) {
    TempDir dir;
    SqliteCaseStore store(storeAt(dir / "duly.db"));
    AuditLog log(store, {});
    log.write(kNow, "sali", "viewed case", "PHG-2026-00001");
    log.write(kNow - 1h, "jwong", "viewed case", "PHG-2026-00002");  // written later, earlier in time
    log.write(kNow + 1h, "sali", "viewed customer", "/customers/C10001");
    log.write(kNow + 2h, "jwong", "reply", "PHG-2026-00001", "by email");
    EXPECT_EQ(summary(log.entries({})),
              "2026-12-07T08:00:00Z jwong viewed case PHG-2026-00002 \n"
              "2026-12-07T09:00:00Z sali viewed case PHG-2026-00001 \n"
              "2026-12-07T10:00:00Z sali viewed customer /customers/C10001 \n"
              "2026-12-07T11:00:00Z jwong reply PHG-2026-00001 by email\n");
    EXPECT_EQ(summary(log.entries({kNow, "jwong", {}})), "2026-12-07T11:00:00Z jwong reply PHG-2026-00001 by email\n");
    EXPECT_EQ(summary(log.entries({std::nullopt, "", {"PHG-2026-00002", "/customers/C10001"}})),
              "2026-12-07T08:00:00Z jwong viewed case PHG-2026-00002 \n"
              "2026-12-07T10:00:00Z sali viewed customer /customers/C10001 \n");
    EXPECT_TRUE(log.entries({kNow + 3h, "", {}}).empty());
    EXPECT_TRUE(log.entries({std::nullopt, "nobody", {}}).empty());
}
