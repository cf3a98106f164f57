// duly render: previews a document kind in a locale and format, with the
// built-in sample case (--sample) or a stored case (--case REF, once the
// store is wired). Prints text, HTML or the neutral Document as JSON.
// Bad options, unknown templates and template errors are InputErrors.
#include "Command.h"

#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/Template.h"

#include <ostream>

namespace {

using duly::engine::InputError;

std::string kindsList() {
    std::string s;
    for (const auto& k : duly::engine::documentKinds()) s += (s.empty() ? "" : ", ") + k;
    return s;
}

int runRender(duly::app::Context& ctx) {
    auto& args = ctx.args;
    std::string name = args.required("template");
    std::string locale = args.option("locale").value_or("en-GB");
    std::string format = args.option("format").value_or("standard");
    std::string to = args.option("to").value_or("text");
    auto caseRef = args.option("case");
    bool sample = args.flag("sample");
    bool bilingual = args.flag("bilingual");
    bool showFallbacks = args.flag("show-fallbacks");
    args.finish();
    if (to != "text" && to != "html" && to != "document-json")
        throw InputError("--to " + to + " is not known (expected text, html or document-json)");
    if (format != "standard" && format != "large-print")
        throw InputError("--format " + format + " is not known (expected standard or large-print)");
    if (sample == caseRef.has_value())
        throw InputError("give either --sample or --case REF");
    duly::engine::Renderer renderer(ctx.home);
    if (caseRef)
        throw InputError("--case " + *caseRef +
                         ": rendering a stored case needs the store, which this build of duly does not wire yet; "
                         "use --sample");
    duly::engine::RenderOptions options;
    options.bilingual = bilingual || renderer.bilingualByDefault();
    auto doc = renderer.render(name, locale, format, duly::engine::sampleContext(name), options);
    if (to == "text") ctx.out << duly::engine::writeText(doc);
    else if (to == "html") ctx.out << duly::engine::writeHtml(doc);
    else ctx.out << duly::engine::writeDocumentJson(doc);
    if (showFallbacks || to == "text")
        for (const auto& f : doc.fallbacks)
            ctx.err << "duly: fallback: " << f.what << " asked in " << f.requested << ", used " << f.used << " ("
                    << f.reason << ")\n";
    return 0;
}

const duly::app::CommandRegistration reg{
    "render", "preview a document (template, locale, format) as text, HTML or JSON",
    "Usage: duly render --template NAME [--locale TAG] [--format standard|large-print]\n"
    "                   (--sample | --case REF) [--to text|html|document-json] [--bilingual]\n\n"
    "Renders one document kind with the templates/ and locales/ of the home folder.\n"
    "  --template NAME   " + kindsList() + "\n"
    "  --locale TAG      en-GB (default), ur, yue-Hant, or a longer tag such as ur-PK;\n"
    "                    missing messages fall back (ur-PK → ur → en-GB), listed on stderr\n"
    "  --format F        standard (default) or large-print\n"
    "  --sample          use the built-in sample case, customer, officer and organisation\n"
    "  --case REF        use a stored case (needs the store)\n"
    "  --to T            text (default), html, or document-json (the neutral Document)\n"
    "  --bilingual       follow a translation with the English text\n",
    runRender};

}  // namespace
