// Command: how the duly executable finds its subcommands. Each command lives
// in its own file and registers itself:
//   static duly::app::CommandRegistration reg{"deadline", "work out a deadline", runDeadline};
// A command returns the process exit status: 0 success, 1 a negative answer
// (a signature that does not verify), 2 bad input (with a one-line message on
// stderr). Commands report InputError by throwing it; main turns it into
// "duly: MESSAGE" and status 2.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace duly::app {

// The arguments after the command name, read as `--name value`,
// `--name=value`, `--flag` and positionals. Every option a command reads is
// marked as known; finish() refuses the rest by name.
class Args {
public:
    Args(std::string command, std::vector<std::string> words);

    const std::string& command() const { return _command; }

    // `--name value`; throws InputError when given without a value.
    std::optional<std::string> option(const std::string& name);
    std::string required(const std::string& name);
    bool flag(const std::string& name);
    // Positional words in order (after options are taken out).
    std::vector<std::string> positionals();
    std::string positional(std::size_t index, const std::string& what);
    // Throws InputError naming the first option no one asked for.
    void finish();
    bool helpRequested() const { return _help; }

private:
    void scan();
    std::string _command;
    std::vector<std::string> _words;
    std::set<std::string> _known;
    bool _help = false;
};

struct Context {
    Args& args;
    std::ostream& out;
    std::ostream& err;
    std::filesystem::path home;  // where config/, templates/, locales/ live
    std::filesystem::path db;    // the store: a SQLite file, or a postgresql:// URL (store::StoreUrl)
};

using CommandFn = std::function<int(Context&)>;

struct CommandInfo {
    std::string name;
    std::string summary;  // one line for `duly --help`
    std::string usage;    // the full --help text
    CommandFn run;
};

class CommandRegistry {
public:
    static CommandRegistry& instance();
    void add(CommandInfo info);
    const CommandInfo* find(const std::string& name) const;
    const std::map<std::string, CommandInfo>& all() const { return _commands; }

private:
    std::map<std::string, CommandInfo> _commands;
};

struct CommandRegistration {
    CommandRegistration(std::string name, std::string summary, std::string usage, CommandFn run) {
        CommandRegistry::instance().add({std::move(name), std::move(summary), std::move(usage), std::move(run)});
    }
};

}  // namespace duly::app
