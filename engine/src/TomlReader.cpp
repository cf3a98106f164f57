// TomlReader: positioned messages for Duly's TOML files.
#include "duly/engine/TomlReader.h"

#include <fstream>
#include <sstream>

namespace duly::engine {

std::string describeTomlValue(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return "\"" + std::string(*node.as_string()) + "\"";
        case toml::node_type::integer: return std::to_string(node.as_integer()->get());
        case toml::node_type::floating_point: {
            std::ostringstream s;
            s << node.as_floating_point()->get();
            return s.str();
        }
        case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
        case toml::node_type::array: return "a list";
        case toml::node_type::table: return "a table";
        case toml::node_type::date: {
            std::ostringstream s;
            s << *node.as_date();
            return s.str();
        }
        default: return "a date or time";
    }
}

toml::table parseToml(const std::string& text, const std::string& file) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw InputError(file + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
}

std::string readTextFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}


}  // namespace duly::engine
