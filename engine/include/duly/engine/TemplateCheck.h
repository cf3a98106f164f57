// TemplateCheck: `duly templates check`. Verifies a home folder's locales and
// templates against the English reference: every locale has every message
// (except en-GB's english-only prefixes), every pattern compiles in ICU,
// each translation's placeholders are the English ones, every template
// parses, and every message a template uses exists in en-GB and is given
// every argument its pattern names. Never throws: problems are findings.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace duly::engine {

struct CheckFinding {
    std::string where;    // "locales/ur.toml:14" or "templates/reply.tmpl"
    std::string message;  // what is wrong and what was expected
    bool error = true;    // false: a warning (does not fail the check)
    bool operator==(const CheckFinding&) const = default;
};

std::vector<CheckFinding> checkTemplates(const std::filesystem::path& home);

}  // namespace duly::engine
