// TemplateCheck: compares every locale and template with en-GB. See
// TemplateCheck.h.
#include "duly/engine/TemplateCheck.h"

#include "duly/engine/InputError.h"
#include "duly/engine/MessageCatalog.h"
#include "duly/engine/Template.h"

#include <algorithm>

namespace duly::engine {
namespace {

std::string braces(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "{" : ", {") + n + "}";
    return s.empty() ? "none" : s;
}

std::string rel(const std::filesystem::path& home, const std::filesystem::path& p) {
    auto r = p.lexically_relative(home);
    return r.empty() || r.string().starts_with("..") ? p.string() : r.string();
}

std::vector<std::string> sortedIds(const LocaleCatalog& c) {
    std::vector<std::string> ids;
    for (const auto& [id, _] : c.messages) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

std::vector<CheckFinding> checkTemplates(const std::filesystem::path& home) {
    std::vector<CheckFinding> out;
    MessageCatalog catalog;
    try {
        catalog = MessageCatalog::load(home / "locales");
    } catch (const InputError& e) {
        out.push_back({"locales", e.what(), true});
        return out;
    }
    const LocaleCatalog& en = *catalog.locale(MessageCatalog::kReference);
    auto where = [&](const LocaleCatalog& c, int line) { return rel(home, c.file) + ":" + std::to_string(line); };
    for (const auto& tag : catalog.tags()) {
        const LocaleCatalog& loc = *catalog.locale(tag);
        for (const auto& id : sortedIds(loc)) {
            const Message& m = loc.messages.at(id);
            if (!m.error.empty()) {
                out.push_back({where(loc, m.line), "message " + id + ": " + m.error, true});
                continue;
            }
            if (&loc == &en) continue;
            const Message* ref = en.find(id);
            if (!ref) {
                out.push_back({where(loc, m.line), "message " + id + " is not in en-GB.toml (unused?)", false});
                continue;
            }
            if (ref->error.empty() && ref->arguments != m.arguments)
                out.push_back({where(loc, m.line), "message " + id + ": placeholders " + braces(m.arguments) +
                                                       " do not match the English " + braces(ref->arguments) + " (" +
                                                       where(en, ref->line) + ")",
                               true});
        }
        if (&loc == &en) continue;
        for (const auto& id : sortedIds(en)) {
            bool englishOnly = std::any_of(en.englishOnly.begin(), en.englishOnly.end(),
                                           [&](const std::string& p) { return id.starts_with(p); });
            if (!englishOnly && !loc.find(id))
                out.push_back({rel(home, loc.file), "message " + id + " is missing (English at " +
                                                        where(en, en.messages.at(id).line) + ")",
                               true});
        }
    }
    TemplateLibrary lib;
    try {
        lib = TemplateLibrary::load(home / "templates");
    } catch (const InputError& e) {
        out.push_back({"templates", e.what(), true});
        return out;
    }
    for (const auto& [name, error] : lib.errors()) {
        std::string file = "templates/" + name + ".tmpl";
        if (!error.empty()) {
            out.push_back({file, error, true});
            continue;
        }
        const Template& tpl = lib.get(name);
        for (const auto& [id, given] : tpl.messages) {
            const Message* ref = en.find(id);
            if (!ref) {
                out.push_back({file, "uses message " + id + ", which en-GB.toml does not have", true});
                continue;
            }
            for (const auto& a : ref->arguments)
                if (std::find(given.begin(), given.end(), a) == given.end())
                    out.push_back({file, "message " + id + " needs {" + a + "} but the template passes no " + a + "=",
                                   true});
        }
        for (const auto& t : tpl.locales)
            if (!catalog.locale(t)) out.push_back({file, "@locales names " + t + ", which has no locale file", true});
    }
    return out;
}

}  // namespace duly::engine
