// PrivateFiles: whatever the umask (0000, which would leave everything open,
// or 0277, which would leave Duly unable to write its own folders), new
// folders are exactly 0700 and files exactly 0600; a file an older version
// left 0644 is narrowed when opened; folders that existed keep their mode;
// a device such as /dev/null is never chmod-ed.
#include "duly/engine/PrivateFiles.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace fs = std::filesystem;
using namespace duly::engine;

namespace {

mode_t modeOf(const fs::path& p) {
    struct stat st{};
    if (::stat(p.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

class PrivateFiles : public ::testing::TestWithParam<mode_t> {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/duly-private-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir = pattern;
        saved = ::umask(GetParam());
    }
    void TearDown() override {
        ::umask(saved);
        std::error_code ec;
        fs::permissions(dir, fs::perms::owner_all, ec);
        for (auto& e : fs::recursive_directory_iterator(dir, ec)) fs::permissions(e.path(), fs::perms::owner_all, ec);
        fs::remove_all(dir, ec);
    }
    fs::path dir;
    mode_t saved = 022;
};

}  // namespace

TEST_P(PrivateFiles, NewFoldersAre0700) {
    makePrivateDirectories(dir / "var" / "print" / "2026");
    EXPECT_EQ(modeOf(dir / "var"), 0700u);
    EXPECT_EQ(modeOf(dir / "var" / "print"), 0700u);
    EXPECT_EQ(modeOf(dir / "var" / "print" / "2026"), 0700u);
    // An existing folder keeps the mode its owner chose.
    ::chmod((dir / "var").c_str(), 0750);
    makePrivateDirectories(dir / "var" / "outbox");
    EXPECT_EQ(modeOf(dir / "var"), 0750u);
    EXPECT_EQ(modeOf(dir / "var" / "outbox"), 0700u);
}

TEST_P(PrivateFiles, FilesAre0600AndOldWideOnesAreNarrowed) {
    const fs::path db = dir / "duly.db";
    ::close(openPrivateFile(db, O_CREAT));
    EXPECT_EQ(modeOf(db), 0600u);
    ::chmod(db.c_str(), 0644);
    ::close(openPrivateFile(db, O_CREAT | O_APPEND));
    EXPECT_EQ(modeOf(db), 0600u);
    const fs::path wal = dir / "duly.db-wal";
    EXPECT_FALSE(makeFilePrivate(wal));
    ::close(::open(wal.c_str(), O_WRONLY | O_CREAT, 0666));
    ::chmod(wal.c_str(), 0666);
    EXPECT_TRUE(makeFilePrivate(wal));
    EXPECT_EQ(modeOf(wal), 0600u);
}

TEST_P(PrivateFiles, AtomicWritesArePrivateAndWhole) {
    const fs::path file = dir / "saved" / "letter.pdf";
    writePrivateFileAtomically(file, "%PDF-1.7 first");
    writePrivateFileAtomically(file, "%PDF-1.7 second");
    EXPECT_EQ(modeOf(file.parent_path()), 0700u);
    EXPECT_EQ(modeOf(file), 0600u);
    EXPECT_EQ(fs::file_size(file), 15u);
    EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 1);
}

TEST_P(PrivateFiles, DevicesAreLeftAlone) {
    const mode_t before = modeOf("/dev/null");
    ::close(openPrivateFile("/dev/null", 0));
    EXPECT_EQ(modeOf("/dev/null"), before);
}

TEST_P(PrivateFiles, FailuresNameThePath) {
    ::close(openPrivateFile(dir / "a-file", O_CREAT));
    try {
        makePrivateDirectories(dir / "a-file" / "below");
        ADD_FAILURE() << "a folder made below a file";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find((dir / "a-file").string()), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Umasks, PrivateFiles, ::testing::Values(mode_t(0000), mode_t(0022), mode_t(0277)));
