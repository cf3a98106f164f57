// readSecret, the one reader of passwords, client secrets and tokens: the
// first line of a file without its CR, or an environment variable; and each
// way it can be missing, in words for the message.
#include "TempDir.h"

#include "duly/mail/Secret.h"

#include <gtest/gtest.h>

#include <fstream>

using duly::mail::readSecret;

TEST(Secret, TheFirstLineOfTheFileWithoutItsLineEnd) {
    TempDir dir;
    const auto file = (dir.path() / "pw").string();
    std::ofstream(file) << "pa ss\"wo\\rd\r\nsecond line\n";
    auto r = readSecret(file, "DULY_TEST_NOT_USED");
    ASSERT_TRUE(r.value);
    EXPECT_EQ(*r.value, "pa ss\"wo\\rd");
}

TEST(Secret, TheEnvironmentWhenNoFileIsGiven) {
    ::setenv("DULY_TEST_SECRET", "from-env", 1);
    auto r = readSecret("", "DULY_TEST_SECRET");
    ASSERT_TRUE(r.value);
    EXPECT_EQ(*r.value, "from-env");
    ::unsetenv("DULY_TEST_SECRET");
}

TEST(Secret, EachWayItCanBeMissingIsSaid) {
    TempDir dir;
    const auto missing = (dir.path() / "nope").string();
    EXPECT_EQ(readSecret(missing, "").problem, "cannot read the file " + missing);
    EXPECT_FALSE(readSecret(missing, "").value);
    const auto empty = (dir.path() / "empty").string();
    std::ofstream(empty) << "\n";
    EXPECT_EQ(readSecret(empty, "", false).problem, "the file " + empty + " is empty");
    EXPECT_EQ(readSecret(empty, "", true).value.value_or("x"), "");
    ::unsetenv("DULY_TEST_UNSET");
    EXPECT_EQ(readSecret("", "DULY_TEST_UNSET").problem, "the environment variable DULY_TEST_UNSET is not set");
    ::setenv("DULY_TEST_EMPTY", "", 1);
    EXPECT_FALSE(readSecret("", "DULY_TEST_EMPTY", false).value);
    EXPECT_TRUE(readSecret("", "DULY_TEST_EMPTY", true).value);
    ::unsetenv("DULY_TEST_EMPTY");
    EXPECT_EQ(readSecret("", "").problem, "no file or environment variable is configured");
}
