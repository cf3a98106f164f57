// RenderProfile: the built-in standard and large-print profiles, and their
// overrides from config/render.toml. Refuses numbers that break the
// clear-print rules (see RenderProfile.h).
#include "duly/engine/RenderProfile.h"

#include "duly/engine/InputError.h"

#include <toml++/toml.h>

namespace duly::engine {

std::string acceptedFormats() { return "standard, large-print"; }

RenderProfile loadRenderProfile(std::string_view name, const std::filesystem::path& configFile) {
    RenderProfile p;
    if (name == "large-print") {
        p.name = "large-print";
        p.fontSizePt = 18.0;
        p.minFontSizePt = 16.0;
        p.headingSizePt = 22.0;
        p.lineSpacing = 1.5;
        p.marginMm = 20.0;
    } else if (name != "standard") {
        throw InputError("format \"" + std::string(name) + "\" is not known (formats: " + acceptedFormats() + ")");
    }
    std::error_code ec;
    if (configFile.empty() || !std::filesystem::exists(configFile, ec)) return p;
    toml::table root;
    try {
        root = toml::parse_file(configFile.string());
    } catch (const toml::parse_error& e) {
        throw InputError(configFile.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
    }
    const auto* t = root["profile"][std::string(name)].as_table();
    if (!t) return p;
    auto num = [&](const char* key, double& into) {
        if (const auto* n = t->get(key)) {
            auto v = n->value<double>();
            if (!v) throw InputError(configFile.string() + ":" + std::to_string(n->source().begin.line) + ": " + key +
                                     " must be a number");
            into = *v;
        }
    };
    num("font-size", p.fontSizePt);
    num("min-font-size", p.minFontSizePt);
    num("heading-size", p.headingSizePt);
    num("line-spacing", p.lineSpacing);
    num("margin-mm", p.marginMm);
    if (auto f = (*t)["font-family"].value<std::string>()) p.fontFamily = *f;
    if (p.fontFamily != "sans" && p.fontFamily != "serif")
        throw InputError(configFile.string() + ": [profile." + std::string(name) + "] font-family must be \"sans\" or \"serif\"");
    if (p.minFontSizePt > p.fontSizePt || p.fontSizePt < 6 || p.fontSizePt > 72)
        throw InputError(configFile.string() + ": [profile." + std::string(name) +
                         "] font-size must be between 6 and 72 and not under min-font-size");
    if (p.name == "large-print" && (p.minFontSizePt < 16 || p.lineSpacing < 1.5 || p.fontFamily != "sans"))
        throw InputError(configFile.string() +
                         ": [profile.large-print] breaks the clear-print rules (min-font-size at least 16, "
                         "line-spacing at least 1.5, font-family \"sans\")");
    return p;
}

}  // namespace duly::engine
