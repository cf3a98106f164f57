// For tests that need a real store: a folder of the running test's own
// under the temporary directory, and a SQLite store there holding the
// sample officers and customers (config/sample).
#pragma once

#include "duly/engine/DirectoryImport.h"
#include "duly/store/SqliteCaseStore.h"
#include "TestStore.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace duly::testsupport {

inline std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// TMP/duly-PREFIX-PID-TESTNAME, empty.
inline std::filesystem::path freshTestFolder(const std::string& prefix) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("duly-" + prefix + "-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    return dir;
}

// A store at DIR/duly.db with the sample officers and customers.
inline std::unique_ptr<store::SqliteCaseStore> sampleStore(const std::filesystem::path& dir) {
    auto store = std::make_unique<store::SqliteCaseStore>(storeAt(dir / "duly.db"));
    const auto sample = std::filesystem::path(DULY_SOURCE_HOME) / "config" / "sample";
    engine::importOfficers(readFile(sample / "officers.csv"), "officers.csv", *store);
    engine::importCustomers(readFile(sample / "customers.csv"), "customers.csv", *store);
    return store;
}

}  // namespace duly::testsupport
