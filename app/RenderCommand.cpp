// duly render: previews a document kind in a locale and format, with the
// built-in sample case (--sample) or a stored case (--case REF, in its
// customer's language and format by default). Prints text, HTML or the neutral Document as JSON,
// or writes a PDF letter (--to pdf --output FILE) laid out by pdf/.
// Bad options, unknown templates and template errors are InputErrors.
#include "duly/flow/CaseDocuments.h"
#include "Command.h"
#include "Config.h"
#include "LetterPrinting.h"
#include "Wiring.h"

#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/Template.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <ostream>
#include <system_error>

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
    auto localeOpt = args.option("locale");
    auto formatOpt = args.option("format");
    const bool localeGiven = localeOpt.has_value(), formatGiven = formatOpt.has_value();
    std::string locale = localeOpt.value_or("en-GB");
    std::string format = formatOpt.value_or("standard");
    std::string to = args.option("to").value_or("text");
    auto caseRef = args.option("case");
    bool sample = args.flag("sample");
    bool bilingual = args.flag("bilingual");
    bool showFallbacks = args.flag("show-fallbacks");
    auto output = args.option("output");
    bool windowOutline = args.flag("window-outline");
    auto configFile = args.option("config");
    const duly::engine::Instant nowAt = duly::app::now(args);
    args.finish();
    if (to != "text" && to != "html" && to != "document-json" && to != "pdf")
        throw InputError("--to " + to + " is not known (expected text, html, document-json or pdf)");
    if (to == "pdf" && !output) throw InputError("--to pdf needs --output FILE (a PDF is not written to the terminal)");
    if (to != "pdf" && (output || windowOutline || configFile))
        throw InputError("--output, --window-outline and --config are for --to pdf");
    if (format != "standard" && format != "large-print")
        throw InputError("--format " + format + " is not known (expected standard or large-print)");
    if (sample == caseRef.has_value())
        throw InputError("give either --sample or --case REF");
    duly::engine::Renderer renderer(ctx.home);
    duly::engine::RenderOptions options;
    options.bilingual = bilingual || renderer.bilingualByDefault();
    duly::engine::Document doc;
    duly::app::LetterFacts facts;
    facts.date = nowAt;
    if (caseRef) {
        auto store = duly::app::openStore(ctx);
        auto found = store->findCase(*caseRef);
        if (!found) throw InputError("no case with reference \"" + *caseRef + "\"");
        duly::engine::CharterBook charters(ctx.home);
        duly::flow::CaseDocuments documents(renderer, *store, charters);
        duly::engine::LetterDetails details;
        details.date = nowAt;
        doc = documents.render(*found, name, details, localeGiven ? locale : "", formatGiven ? format : "");
        facts.reference = found->reference;
        if (!found->officerId.empty()) {
            const auto officer = documents.officerOf(*found);
            facts.officerId = officer.id;
            facts.officerName = officer.name;
        }
        facts.brand = documents.organisation(*found, documents.customerOf(*found)).id;
    } else {
        doc = renderer.render(name, locale, format, duly::engine::sampleContext(name), options);
        const auto made = duly::engine::sampleFor(name);
        facts.reference = made.kase.reference;
        facts.officerId = made.officer.id;
        facts.officerName = made.officer.name;
        facts.brand = made.organisation.id;
        facts.date = made.details.date;
    }
    if (to == "pdf") {
        const auto config = duly::app::loadConfig(
            ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
        duly::app::LetterPrinting printing(renderer, ctx.home, config.signing);
        // The signature says when it was made: the system clock, whatever --now says.
        const auto signedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const std::string bytes = printing.write(doc, facts, signedAt, windowOutline);
        try {
            const int fd = duly::engine::openPrivateFile(*output, O_CREAT | O_TRUNC);  // a letter: personal data
            bool ok = true;
            for (std::size_t done = 0; ok && done < bytes.size();) {
                const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
                ok = n > 0 || (n < 0 && errno == EINTR);
                if (n > 0) done += std::size_t(n);
            }
            if (::close(fd) != 0 || !ok) throw InputError(*output + ": cannot be written");
        } catch (const std::system_error& e) {
            throw InputError(*output + ": cannot be written (" + e.what() + ")");
        }
        for (const auto& f : doc.fallbacks)
            ctx.err << "duly: fallback: " << f.what << " asked in " << f.requested << ", used " << f.used << " ("
                    << f.reason << ")\n";
        return 0;
    }
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
    "                   (--sample | --case REF) [--to text|html|document-json] [--bilingual]\n"
    "       duly render ... --to pdf --output FILE [--window-outline]\n\n"
    "Renders one document kind with the templates/ and locales/ of the home folder.\n"
    "  --template NAME   " + kindsList() + "\n"
    "  --locale TAG      en-GB (default), ur, yue-Hant, or a longer tag such as ur-PK;\n"
    "                    missing messages fall back (ur-PK → ur → en-GB), listed on stderr\n"
    "  --format F        standard (default) or large-print\n"
    "  --sample          use the built-in sample case, customer, officer and organisation\n"
    "  --case REF        use a stored case, in its customer's language and format unless\n"
    "                    --locale or --format say otherwise\n"
    "  --to T            text (default), html, document-json (the neutral Document), or pdf\n"
    "  --bilingual       follow a translation with the English text\n"
    "  --output FILE     with --to pdf: where to write the letter (A4, fonts embedded;\n"
    "                    fonts, envelope window and letterheads in config/letters.toml)\n"
    "  --window-outline  with --to pdf: draw the envelope window (a test page)\n"
    "  --config FILE     with --to pdf: the config file whose [signing] table signs the\n"
    "                    letter (default HOME/config/duly.toml; no [signing]: unsigned)\n",
    runRender};

}  // namespace
