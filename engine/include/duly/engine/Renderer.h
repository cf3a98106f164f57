// Renderer: template + locale + format + context → Document. Owns the
// MessageCatalog (compiled ICU formatters, cached for its lifetime), the
// TemplateLibrary and the print profiles of one home folder. Rendering is
// const, but ICU's formatters (SimpleDateFormat keeps a Calendar it sets
// while formatting) are not safe to use from two threads at once: give each
// thread its own Renderer, or serialise calls. The caches of formatted
// messages and dates are per thread.
//
// What rendering guarantees:
// - Values from the context are data: they are never parsed as template
//   syntax or ICU patterns. Bidi control characters and C0/C1 controls
//   other than line breaks are removed from them.
// - In a right-to-left locale every value is an isolated run; in a
//   left-to-right one, values holding right-to-left letters are.
// - A message missing (or broken) in the asked locale comes from the next
//   locale in its chain (ur-PK → ur → en-GB) and a Fallback is recorded on
//   the Document. A template written for some locales only (@locales) is
//   rendered in the first of them, also recorded.
// Failures are InputError: an unknown template, format or malformed locale
// tag; a message no locale has (the template file:line:column is named); an
// ICU formatting failure (e.g. a plural given text).
#pragma once

#include "duly/engine/Document.h"
#include "duly/engine/InputError.h"
#include "duly/engine/MessageCatalog.h"
#include "duly/engine/RenderProfile.h"
#include "duly/engine/Template.h"
#include "duly/engine/TemplateValue.h"

#include <filesystem>
#include <string_view>
#include <unordered_map>

namespace duly::engine {

// Rendering stopped at an empty value: nothing goes to a customer with a
// gap in a sentence. `field` is the value's path ("organisation.phone"), or
// empty when the template gave a message no value at all.
class EmptyFieldError : public InputError {
public:
    EmptyFieldError(const std::string& message, std::string field)
        : InputError(message), _field(std::move(field)) {}
    const std::string& field() const { return _field; }

private:
    std::string _field;
};

struct RenderOptions {
    // Follow a translation with the English text (config/render.toml
    // [output] bilingual sets the default the app passes here).
    bool bilingual = false;
    // Isolate every value whatever the direction: `templates lint` uses it
    // to tell the template's own words from the sample data.
    bool markValues = false;
};

class Renderer {
public:
    // Loads HOME/locales, HOME/templates and HOME/config/render.toml (when
    // present). Throws InputError when a folder is missing or a locale file
    // or the config is malformed (a template that does not parse is kept as
    // its error: rendering it throws that error).
    explicit Renderer(const std::filesystem::path& home);

    Document render(std::string_view templateName, std::string_view localeTag, std::string_view format,
                    const Value& context, const RenderOptions& options = {}) const;

    const MessageCatalog& catalog() const { return _catalog; }
    const TemplateLibrary& templates() const { return _templates; }
    const std::filesystem::path& home() const { return _home; }
    // [output] bilingual in config/render.toml; false when absent.
    bool bilingualByDefault() const { return _bilingual; }

private:
    Document renderOne(const Template& tpl, std::string_view localeTag, const RenderProfile& profile,
                       const Value& context, const RenderOptions& options) const;
    std::vector<const LocaleCatalog*> chainFor(std::string_view tag) const;

    std::filesystem::path _home;
    MessageCatalog _catalog;
    TemplateLibrary _templates;
    RenderProfile _standard;
    RenderProfile _largePrint;
    bool _bilingual = false;
    std::unordered_map<std::string, std::vector<const LocaleCatalog*>> _chains;  // per catalog tag
};

}  // namespace duly::engine
