// Tests of FileOutbox: the file name from the Message-ID, exact bytes on
// disk, no temporary files left behind, and that sending the same message
// again neither overwrites nor duplicates.
#include "duly/mail/FileOutbox.h"

#include "TempDir.h"
#include "duly/engine/InputError.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace duly::mail;

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::size_t countFiles(const std::filesystem::path& folder) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) n += entry.is_regular_file() ? 1 : 0;
    return n;
}

ComposedMessage message(std::string bytes) {
    return ComposedMessage{"<PHG-2026-00042.ack.1@duly.example.org>", "a@example.org", {"b@example.org"},
                           std::move(bytes)};
}

}  // namespace

TEST(FileOutbox, FileNamesTable) {
    EXPECT_EQ(FileOutbox::fileNameFor("<PHG-2026-00042.ack.1@duly.example.org>"), "PHG-2026-00042.ack.1@duly.example.org.eml");
    EXPECT_EQ(FileOutbox::fileNameFor("<a/b@c>"), "a%2Fb@c.eml");
    EXPECT_EQ(FileOutbox::fileNameFor("<a%2Fb@c>"), "a%252Fb@c.eml");  // '%' escaped: no two ids share a name
    EXPECT_EQ(FileOutbox::fileNameFor("<..@c>"), "%2E.@c.eml");       // never a hidden file or ".."
    EXPECT_THROW(FileOutbox::fileNameFor("<>"), duly::engine::InputError);
}

TEST(FileOutbox, WritesExactBytesOnceAndLeavesNoTemporaryFiles) {
    TempDir dir;
    FileOutbox outbox(dir.path() / "var" / "outbox");
    const std::string bytes = "Subject: x\r\n\r\nbody\r\n.\r\n";
    const DeliveryResult first = outbox.send(message(bytes));
    ASSERT_EQ(first.outcome, DeliveryOutcome::Delivered) << first.text;
    const auto file = dir.path() / "var" / "outbox" / "PHG-2026-00042.ack.1@duly.example.org.eml";
    EXPECT_EQ(first.text, "written to " + file.string());
    EXPECT_EQ(slurp(file), bytes);
    EXPECT_EQ(countFiles(dir.path() / "var" / "outbox" / "tmp"), 0u);
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);  // messages are personal data
}

TEST(FileOutbox, SendingAgainNeitherOverwritesNorDuplicates) {
    TempDir dir;
    FileOutbox outbox(dir.path());
    ASSERT_TRUE(outbox.send(message("first\r\n")).delivered());
    const DeliveryResult again = outbox.send(message("second attempt, other bytes\r\n"));
    EXPECT_EQ(again.outcome, DeliveryOutcome::Delivered);
    EXPECT_EQ(again.text, "already in the outbox as " + (dir.path() / "PHG-2026-00042.ack.1@duly.example.org.eml").string());
    EXPECT_EQ(slurp(dir.path() / "PHG-2026-00042.ack.1@duly.example.org.eml"), "first\r\n");
    EXPECT_EQ(countFiles(dir.path()), 1u);
    EXPECT_EQ(countFiles(dir.path() / "tmp"), 0u);
}

TEST(FileOutbox, ADiskFailureIsTransientAndNamesThePath) {
    TempDir dir;
    FileOutbox outbox(dir.path());
    // A read-only tmp/ stands in for a full or broken disk. (Root ignores
    // permissions, so the folder is replaced by a file instead.)
    std::filesystem::remove(dir.path() / "tmp");
    std::ofstream(dir.path() / "tmp") << "not a folder";
    const DeliveryResult r = outbox.send(message("x\r\n"));
    EXPECT_EQ(r.outcome, DeliveryOutcome::Transient);
    EXPECT_EQ(r.stage, "outbox");
    EXPECT_NE(r.text.find("cannot create " + (dir.path() / "tmp").string() + "/PHG-2026-00042.ack.1@duly.example.org.eml."),
              std::string::npos)
        << r.text;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "PHG-2026-00042.ack.1@duly.example.org.eml"));
}
