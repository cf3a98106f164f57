// TestPki: the throwaway CA and signers made by make-test-pki.sh with the
// openssl command line, once, into the build tree (DULY_TEST_PKI_DIR), and
// made again when older than a week (its certificates last 30 days). No key
// is committed. Throws std::runtime_error when the script fails.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace duly::pdf::test {

class TestPki {
public:
    static const std::filesystem::path& dir() {
        static const std::filesystem::path d = make();
        return d;
    }
    static std::filesystem::path file(const std::string& name) { return dir() / name; }
    static std::string read(const std::filesystem::path& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + path.string());
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    static std::string password() { return "duly test password"; }

private:
    static std::filesystem::path make() {
        namespace fs = std::filesystem;
        const fs::path d = DULY_TEST_PKI_DIR;
        std::error_code ec;
        const auto stamp = fs::last_write_time(d / "done", ec);
        if (!ec && fs::file_time_type::clock::now() - stamp > std::chrono::hours(24 * 7)) fs::remove_all(d, ec);
        const std::string cmd = std::string("'") + DULY_TEST_PKI_SCRIPT + "' '" + d.string() + "'";
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make-test-pki.sh failed: " + cmd);
        return d;
    }
};

}  // namespace duly::pdf::test
