// TomlReader: reading Duly's TOML files (charters, calendars, the config
// file) with messages that point at the mistake:
//   FILE:LINE: KEY: expected WHAT, found VALUE
// Every method throws InputError with such a message.
#pragma once

#include "duly/engine/InputError.h"
#include "duly/engine/Time.h"

#include <toml++/toml.h>

#include <filesystem>
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace duly::engine {

// How a value reads in a message: "five" in quotes, numbers as written.
std::string describeTomlValue(const toml::node& node);

// Parses TOML text; a syntax error becomes "FILE:LINE: what went wrong".
toml::table parseToml(const std::string& text, const std::string& file);

// The whole file; throws InputError "PATH: cannot be read".
std::string readTextFile(const std::filesystem::path& path);

class TomlReader {
public:
    explicit TomlReader(std::string file) : _file(std::move(file)) {}


    [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& message) const {
        std::string where = _file;
        if (node && node->source().begin.line) where += ":" + std::to_string(node->source().begin.line);
        throw InputError(where + ": " + key + ": " + message);
    }

    [[noreturn]] void expected(const toml::node& node, const std::string& key, const std::string& what) const {
        fail(&node, key, "expected " + what + ", found " + describeTomlValue(node));
    }

    void onlyKeys(const toml::table& table, const std::string& prefix, std::initializer_list<std::string_view> allowed) const {
        for (const auto& [k, v] : table) {
            if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(&v, prefix + std::string(k.str()), "unknown key (accepted: " + list + ")");
            }
        }
    }

    std::string string(const toml::table& table, const std::string& key, const std::string& path, bool required) const {
        const toml::node* node = table.get(key);
        if (!node) {
            if (required) fail(&table, path, "missing (expected a text value)");
            return {};
        }
        if (!node->is_string()) expected(*node, path, "a text value in quotes");
        return std::string(*node->as_string());
    }

    std::optional<int> days(const toml::table& table, const std::string& key, const std::string& path) const {
        const toml::node* node = table.get(key);
        if (!node) return std::nullopt;
        if (!node->is_integer() || node->as_integer()->get() < 0 || node->as_integer()->get() > 60)
            expected(*node, path, "a whole number of working days from 0 to 60");
        return static_cast<int>(node->as_integer()->get());
    }

    Date date(const toml::node& node, const std::string& path) const {
        if (node.is_date()) {
            const auto& d = node.as_date()->get();
            std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{d.month},
                                            std::chrono::day{d.day}};
            return std::chrono::sys_days{ymd};
        }
        if (node.is_string()) {
            try {
                return parseDate(node.as_string()->get(), path);
            } catch (const InputError&) {
            }
        }
        expected(node, path, "a date such as 2026-12-24");
    }

    const std::string& file() const { return _file; }

private:
    std::string _file;
};


}  // namespace duly::engine
