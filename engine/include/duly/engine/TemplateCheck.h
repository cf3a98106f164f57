// TemplateCheck: `duly templates check`. Verifies a home folder's locales and
// templates against the English reference: every locale has every message
// (except en-GB's english-only prefixes), every pattern compiles in ICU,
// each translation's placeholders are the English ones, every template
// parses, and every message a template uses exists in en-GB and is given
// every argument its pattern names. Never throws: problems are findings.
#pragma once

#include "duly/engine/Charter.h"
#include "duly/engine/Renderer.h"

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

// Renders every template a case on `charter` can be sent, headed by its
// organisation and by each of its brands, with made-up people: for each
// channel and kind the charter has a rule for (acknowledgement, reply,
// holding reply where the rule gives one, the complaint stage's letters),
// assigned to an officer and unassigned (signed by the team), in every
// locale and both print formats, and under the charter's own head once
// more as the copy for a customer's representative — or, with `quick`, in en-GB standard print
// only (what `duly serve`, `watch` and `tick` check before starting).
// Officers' templates are rendered once per organisation. A finding names
// the charter file and, for an empty organisation detail, the key to fill
// in ("[organisation] phone").
// `rendered`, when given, is increased by the number of letters rendered.
std::vector<CheckFinding> checkCharterLetters(const Renderer& renderer, const Charter& charter, bool quick = false,
                                              std::size_t* rendered = nullptr);

}  // namespace duly::engine
