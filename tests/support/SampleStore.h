// For tests that need a real store: a folder of the running test's own
// under the temporary directory, a store there holding the sample officers
// and customers (config/sample), and the one sample case the flow tests
// build on.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/Time.h"
#include "duly/store/SqliteCaseStore.h"
#include "TestStore.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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

// A Progress enquiry about a back door, received 23 November 2026 at 10:00
// and answered by sali, with one item (from CHANNEL) per Message-ID in
// SOURCES; acknowledgement due the next day, the reply on 30 November.
inline engine::Case sampleCase(const std::string& reference, engine::Channel channel, const std::string& customer,
                               const std::vector<std::string>& sources) {
    engine::Case c;
    c.reference = reference;
    c.charter = "progress";
    c.channel = channel;
    c.kind = engine::Kind::Enquiry;
    c.customerRef = customer;
    c.officerId = "sali";
    c.subject = "Back door";
    c.received = engine::parseRfc3339("2026-11-23T10:00:00Z");
    c.countedFrom = engine::parseDate("2026-11-23");
    c.acknowledgeBy = engine::parseRfc3339("2026-11-24T17:00:00Z");
    c.respondBy = engine::parseRfc3339("2026-11-30T17:00:00Z");
    for (const auto& s : sources)
        c.items.push_back(engine::Item{0, channel, c.received, "Back door", "It sticks.", s, "x"});
    return c;
}

}  // namespace duly::testsupport
