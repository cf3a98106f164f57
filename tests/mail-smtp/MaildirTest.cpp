// Tests of MaildirWriter and MaildirReader: delivery lands complete in
// new/ under unique names; pending lists new/ and unseen cur/ messages;
// marking moves to cur/ with S (or to the processed Maildir) without ever
// deleting; files that vanish or move meanwhile are handled.
#include "duly/mail/MaildirReader.h"
#include "duly/mail/MaildirWriter.h"

#include "TempDir.h"
#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

using namespace duly::mail;

namespace {

std::vector<std::string> names(const std::filesystem::path& folder) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

void put(const std::filesystem::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

}  // namespace

TEST(MaildirWriter, DeliversIntoNewWithUniqueNamesAndEmptyTmp) {
    TempDir dir;
    MaildirWriter writer(dir.path() / "inbox");
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto path = writer.deliver("message " + std::to_string(i) + "\r\n");
        EXPECT_EQ(path.parent_path(), dir.path() / "inbox" / "new");
        EXPECT_TRUE(seen.insert(path.filename().string()).second) << path;
        EXPECT_EQ(path.filename().string().find(':'), std::string::npos);
        // SECONDS.M<six digits>P…: names sort in the order of delivery.
        const std::string name = path.filename().string();
        const auto m = name.find(".M"), p = name.find('P', m);
        ASSERT_NE(m, std::string::npos) << name;
        EXPECT_EQ(p - m - 2, 6u) << name;
    }
    EXPECT_EQ(names(dir.path() / "inbox" / "new").size(), 50u);
    EXPECT_TRUE(names(dir.path() / "inbox" / "tmp").empty());
    EXPECT_TRUE(names(dir.path() / "inbox" / "cur").empty());
}

TEST(MaildirReader, ListsNewAndUnseenCurOldestNameFirst) {
    TempDir dir;
    MaildirReader reader(dir.path());
    put(dir.path() / "new" / "1700000002.M1P1Q1.host", "b");
    put(dir.path() / "new" / ".hidden", "skip");
    put(dir.path() / "cur" / "1700000001.M1P1Q1.host:2,F", "a");   // flagged, not seen: pending
    put(dir.path() / "cur" / "1700000000.M1P1Q1.host:2,RS", "c");  // seen: processed
    put(dir.path() / "tmp" / "1600000000.M1P1Q1.host", "half");    // never listed
    const auto pending = reader.pending();
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].uniqueName, "1700000001.M1P1Q1.host");
    EXPECT_EQ(pending[0].path, dir.path() / "cur" / "1700000001.M1P1Q1.host:2,F");
    EXPECT_EQ(pending[1].uniqueName, "1700000002.M1P1Q1.host");
    EXPECT_EQ(*reader.read(pending[0]), "a");
    EXPECT_EQ(*reader.read(pending[1]), "b");
}

TEST(MaildirReader, MarkProcessedMovesToCurWithSortedFlagsAndNeverDeletes) {
    TempDir dir;
    MaildirWriter writer(dir.path());
    MaildirReader reader(dir.path());
    writer.deliver("one\r\n");
    put(dir.path() / "cur" / "1700000001.M1P1Q1.host:2,F", "two\r\n");
    const auto pending = reader.pending();
    ASSERT_EQ(pending.size(), 2u);
    for (const auto& entry : pending) EXPECT_TRUE(reader.markProcessed(entry));
    EXPECT_TRUE(reader.pending().empty());
    EXPECT_TRUE(names(dir.path() / "new").empty());
    const auto cur = names(dir.path() / "cur");
    ASSERT_EQ(cur.size(), 2u);
    EXPECT_EQ(cur[0], "1700000001.M1P1Q1.host:2,FS");
    EXPECT_EQ(cur[1], pending[1].uniqueName + ":2,S");
    // Marking again is harmless and still true.
    EXPECT_TRUE(reader.markProcessed(pending[0]));
    EXPECT_EQ(names(dir.path() / "cur").size(), 2u);
}

TEST(MaildirReader, ProcessedFolderReceivesMarkedMessages) {
    TempDir dir;
    MaildirWriter writer(dir.path() / "inbox");
    MaildirReader reader(dir.path() / "inbox", dir.path() / "processed");
    const auto delivered = writer.deliver("hello\r\n");
    const auto pending = reader.pending();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_TRUE(reader.markProcessed(pending[0]));
    EXPECT_EQ(names(dir.path() / "processed" / "cur"), std::vector<std::string>{delivered.filename().string() + ":2,S"});
    EXPECT_TRUE(reader.pending().empty());
    EXPECT_TRUE(reader.markProcessed(pending[0]));  // already there: true, nothing moves
}

TEST(MaildirReader, MessagesMovedOrRemovedMeanwhileAreFoundOrReportedGone) {
    TempDir dir;
    MaildirWriter writer(dir.path());
    MaildirReader reader(dir.path());
    writer.deliver("moved\r\n");
    writer.deliver("removed\r\n");
    const auto pending = reader.pending();
    ASSERT_EQ(pending.size(), 2u);
    // A mail client moves the first to cur/ and flags it; someone deletes the second.
    std::filesystem::rename(pending[0].path, dir.path() / "cur" / (pending[0].uniqueName + ":2,F"));
    std::filesystem::remove(pending[1].path);
    EXPECT_EQ(*reader.read(pending[0]), "moved\r\n");
    EXPECT_EQ(reader.read(pending[1]), std::nullopt);
    EXPECT_TRUE(reader.markProcessed(pending[0]));
    EXPECT_FALSE(reader.markProcessed(pending[1]));
    EXPECT_EQ(names(dir.path() / "cur"), std::vector<std::string>{pending[0].uniqueName + ":2,FS"});
}

TEST(MaildirReader, OversizedMessageIsAnInputErrorNamingTheFile) {
    TempDir dir;
    MaildirReader reader(dir.path(), std::nullopt, 10);
    put(dir.path() / "new" / "big", std::string(100000, 'x'));
    const auto pending = reader.pending();
    ASSERT_EQ(pending.size(), 1u);
    try {
        (void)reader.read(pending[0]);
        FAIL() << "no InputError";
    } catch (const duly::engine::InputError& error) {
        EXPECT_EQ(std::string(error.what()),
                  "maildir message " + (dir.path() / "new" / "big").string() + " is larger than the limit of 10 bytes");
    }
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "new" / "big"));  // kept for a person
}
