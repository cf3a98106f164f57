// Command: argument reading and the registry of subcommands.
#include "Command.h"

#include "duly/engine/InputError.h"

using duly::engine::InputError;

namespace duly::app {

Args::Args(std::string command, std::vector<std::string> words)
    : _command(std::move(command)), _words(std::move(words)) {
    for (auto it = _words.begin(); it != _words.end();) {
        if (*it == "--help" || *it == "-h") {
            _help = true;
            it = _words.erase(it);
        } else {
            ++it;
        }
    }
}

std::optional<std::string> Args::option(const std::string& name) {
    _known.insert(name);
    const std::string flagWord = "--" + name;
    const std::string prefix = flagWord + "=";
    for (std::size_t i = 0; i < _words.size(); ++i) {
        if (_words[i] == flagWord) {
            if (i + 1 >= _words.size())
                throw InputError("option " + flagWord + " needs a value");
            std::string value = _words[i + 1];
            _words.erase(_words.begin() + static_cast<std::ptrdiff_t>(i),
                         _words.begin() + static_cast<std::ptrdiff_t>(i) + 2);
            return value;
        }
        if (_words[i].rfind(prefix, 0) == 0) {
            std::string value = _words[i].substr(prefix.size());
            _words.erase(_words.begin() + static_cast<std::ptrdiff_t>(i));
            return value;
        }
    }
    return std::nullopt;
}

std::string Args::required(const std::string& name) {
    auto value = option(name);
    if (!value)
        throw InputError("duly " + _command + " needs --" + name + " (see duly " + _command + " --help)");
    return *value;
}

bool Args::flag(const std::string& name) {
    _known.insert(name);
    const std::string flagWord = "--" + name;
    for (std::size_t i = 0; i < _words.size(); ++i) {
        if (_words[i] == flagWord) {
            _words.erase(_words.begin() + static_cast<std::ptrdiff_t>(i));
            return true;
        }
    }
    return false;
}

std::vector<std::string> Args::positionals() {
    std::vector<std::string> out;
    for (const auto& w : _words)
        if (w.rfind("--", 0) != 0) out.push_back(w);
    return out;
}

std::string Args::positional(std::size_t index, const std::string& what) {
    auto all = positionals();
    if (index >= all.size())
        throw InputError("duly " + _command + " needs " + what + " (see duly " + _command + " --help)");
    return all[index];
}

void Args::finish() {
    for (const auto& w : _words) {
        if (w.rfind("--", 0) == 0) {
            std::string known;
            for (const auto& k : _known) known += (known.empty() ? "--" : ", --") + k;
            throw InputError("duly " + _command + ": unknown option " + w +
                             (known.empty() ? "" : " (accepted: " + known + ")"));
        }
    }
}

CommandRegistry& CommandRegistry::instance() {
    static CommandRegistry registry;
    return registry;
}

void CommandRegistry::add(CommandInfo info) {
    auto name = info.name;
    _commands.emplace(std::move(name), std::move(info));
}

const CommandInfo* CommandRegistry::find(const std::string& name) const {
    auto it = _commands.find(name);
    return it == _commands.end() ? nullptr : &it->second;
}

}  // namespace duly::app
