// duly: the command line. Reads the global options (--home, --db), finds the
// subcommand in the registry and runs it. The store is --db, else $DULY_DB,
// else [store] url of the configuration (the command's --config FILE, or
// HOME/config/duly.toml), else HOME/var/duly.db: a SQLite file (made
// absolute) or a postgresql:// URL (kept as it is). Expected failures (InputError)
// become a one-line message and exit status 2; anything else unexpected is
// reported as an internal error with status 3, never a crash dump.
#include "Command.h"
#include "Config.h"

#include "duly/engine/InputError.h"
#include "duly/store/StoreUrl.h"

#include <cstdlib>
#include <exception>
#include <iostream>

namespace fs = std::filesystem;
using duly::app::Args;
using duly::app::CommandRegistry;
using duly::app::Context;

namespace {

fs::path executableDir() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path{} : self.parent_path();
}

// HOME holds config/, templates/ and locales/: --home, then $DULY_HOME, then
// the folder above the executable, then the source tree it was built from.
fs::path findHome(const std::optional<std::string>& given) {
    if (given) return fs::absolute(*given);
    if (const char* env = std::getenv("DULY_HOME"); env && *env) return fs::absolute(env);
    auto above = executableDir().parent_path();
    if (!above.empty() && fs::exists(above / "config" / "charters")) return above;
    return fs::path(DULY_SOURCE_HOME);
}

// The store named by --db or $DULY_DB (`where`): checked, a path made
// absolute, a URL as it is.
fs::path storeLocation(const std::string& given, const std::string& where) {
    const auto location = duly::store::StoreUrl::parse(given, where);
    if (location.kind == duly::store::StoreUrl::Kind::PostgreSql) return given;
    return fs::absolute(location.file);
}

// The command's --config FILE, if it has one (read here only for [store]).
std::optional<fs::path> configOption(const std::vector<std::string>& words) {
    for (std::size_t i = 1; i < words.size(); ++i) {
        if (words[i] == "--config" && i + 1 < words.size()) return fs::absolute(words[i + 1]);
        if (words[i].rfind("--config=", 0) == 0) return fs::absolute(words[i].substr(9));
    }
    return std::nullopt;
}

void printUsage(std::ostream& out) {
    out << "duly " DULY_VERSION " — keeps a customer contact charter's promises\n\n"
           "Usage: duly [--home DIR] [--db STORE] COMMAND [OPTIONS]\n\n"
           "Commands:\n";
    for (const auto& [name, info] : CommandRegistry::instance().all())
        out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') << info.summary << "\n";
    out << "\nGlobal options:\n"
           "  --home DIR   where config/, templates/ and locales/ are (default: $DULY_HOME or the install)\n"
           "  --db STORE   the store: a SQLite file or postgresql://USER@HOST:PORT/DB?sslmode=...\n"
           "               (default: $DULY_DB, else [store] url in the configuration, else HOME/var/duly.db)\n"
           "\nRun duly COMMAND --help for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    try {
        // Global options stand before the command.
        std::optional<std::string> homeOpt, dbOpt;
        std::vector<std::string> remaining;
        std::size_t i = 0;
        for (; i < words.size(); ++i) {
            const std::string& w = words[i];
            auto takeValue = [&](std::optional<std::string>& into, const std::string& flag) {
                if (w == flag) {
                    if (i + 1 >= words.size()) throw duly::engine::InputError("option " + flag + " needs a value");
                    into = words[++i];
                    return true;
                }
                if (w.rfind(flag + "=", 0) == 0) {
                    into = w.substr(flag.size() + 1);
                    return true;
                }
                return false;
            };
            if (takeValue(homeOpt, "--home") || takeValue(dbOpt, "--db")) continue;
            break;
        }
        remaining.assign(words.begin() + static_cast<std::ptrdiff_t>(i), words.end());
        if (remaining.empty() || remaining[0] == "--help" || remaining[0] == "-h" || remaining[0] == "help") {
            printUsage(std::cout);
            return remaining.empty() ? 2 : 0;
        }
        if (remaining[0] == "--version") {
            std::cout << "duly " DULY_VERSION "\n";
            return 0;
        }
        std::string name = remaining[0];
        const auto* info = CommandRegistry::instance().find(name);
        if (!info) {
            std::string names;
            for (const auto& [n, _] : CommandRegistry::instance().all()) names += (names.empty() ? "" : ", ") + n;
            std::cerr << "duly: unknown command '" << name << "' (commands: " << names << ")\n";
            return 2;
        }
        Args args(name, std::vector<std::string>(remaining.begin() + 1, remaining.end()));
        if (args.helpRequested()) {
            std::cout << info->usage;
            return 0;
        }
        fs::path home = findHome(homeOpt);
        fs::path db;
        if (dbOpt) db = storeLocation(*dbOpt, "--db");
        else if (const char* env = std::getenv("DULY_DB"); env && *env) db = storeLocation(env, "DULY_DB");
        else if (auto configured = duly::app::loadStoreConfig(home, configOption(remaining))) db = configured->location;
        else db = home / "var" / "duly.db";
        Context ctx{args, std::cout, std::cerr, home, db};
        return info->run(ctx);
    } catch (const duly::engine::InputError& e) {
        std::cerr << "duly: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "duly: internal error: " << e.what() << "\n";
        return 3;
    }
}
