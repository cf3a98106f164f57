// duly render: previews a document kind in a locale and format, with the
// built-in sample case (--sample) or a stored case (--case REF, in its
// customer's language and format by default). Prints text, HTML or the neutral Document as JSON,
// or writes a PDF letter (--to pdf --output FILE) laid out by pdf/, a Braille
// letter (--format braille --to brf) or an audio letter (--format audio
// --to ogg|wav), both written by pdf/'s BrailleWriter and AudioWriter.
// Bad options, unknown templates and template errors are InputErrors.
#include "duly/flow/CaseDocuments.h"
#include "duly/flow/LetterPrinting.h"
#include "Command.h"
#include "Config.h"
#include "Wiring.h"

#include "duly/engine/CharterFile.h"
#include "duly/engine/Correspondence.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/Template.h"
#include "duly/pdf/AudioWriter.h"
#include "duly/pdf/BrailleWriter.h"
#include "duly/pdf/LetterSettings.h"

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
    auto sampleCharter = args.option("charter");
    const duly::engine::Instant nowAt = duly::app::now(args);
    args.finish();
    if (to != "text" && to != "html" && to != "document-json" && to != "pdf" && to != "brf" && to != "ogg" &&
        to != "wav")
        throw InputError("--to " + to + " is not known (expected text, html, document-json, pdf, brf, ogg or wav)");
    if (format != "standard" && format != "large-print" && format != "braille" && format != "audio")
        throw InputError("--format " + format + " is not known (expected standard, large-print, braille or audio)");
    const bool toFile = to == "pdf" || to == "brf" || to == "ogg" || to == "wav";
    if (toFile && !output) throw InputError("--to " + to + " needs --output FILE (it is not written to the terminal)");
    if (!toFile && output) throw InputError("--output is for --to pdf, brf, ogg or wav");
    if (to != "pdf" && (windowOutline || configFile)) throw InputError("--window-outline and --config are for --to pdf");
    if (to == "brf" && format != "braille") throw InputError("--to brf needs --format braille");
    if ((to == "ogg" || to == "wav") && format != "audio") throw InputError("--to " + to + " needs --format audio");
    if (format == "braille" && to != "brf" && to != "text" && to != "document-json")
        throw InputError("--format braille is written --to brf (or previewed --to text)");
    if (format == "audio" && to != "ogg" && to != "wav" && to != "text" && to != "document-json")
        throw InputError("--format audio is written --to ogg or --to wav (or previewed --to text)");
    // Braille and audio are made from the standard print letter's words.
    const bool accessible = format == "braille" || format == "audio";
    const std::string printFormat = accessible ? "standard" : format;
    if (sample == caseRef.has_value())
        throw InputError("give either --sample or --case REF");
    if (sampleCharter && !sample) throw InputError("--charter is for --sample (a stored case has its own charter)");
    duly::engine::Renderer renderer(ctx.home);
    duly::engine::RenderOptions options;
    options.bilingual = bilingual || renderer.bilingualByDefault();
    duly::engine::Document doc;
    duly::flow::LetterFacts facts;
    facts.date = nowAt;
    if (caseRef) {
        auto store = duly::app::openStore(ctx);
        auto found = store->findCase(*caseRef);
        if (!found) throw InputError("no case with reference \"" + *caseRef + "\"");
        duly::engine::CharterBook charters(ctx.home);
        duly::flow::CaseDocuments documents(renderer, *store, charters);
        const duly::engine::LetterDetails details = documents.currentDetails(*found, name, nowAt);
        doc = documents.render(*found, name, details, localeGiven ? locale : "", formatGiven ? printFormat : "");
        facts.reference = found->reference;
        if (!found->officerId.empty()) {
            const auto officer = documents.officerOf(*found);
            facts.officerId = officer.id;
            facts.officerName = officer.name;
        }
        facts.brand = documents.organisation(*found, documents.customerOf(*found)).id;
    } else {
        auto made = duly::engine::sampleFor(name);
        duly::engine::Value context;
        if (sampleCharter) {
            // The sample case as this charter's landlord would write it: its
            // letterhead, reference prefix and mail domain, its scheme's
            // ombudsman, and an extension of the most its rule allows, so no
            // sample promises a date past the scheme's cap.
            const auto charter = duly::engine::loadCharter(*sampleCharter, ctx.home);
            const auto& c = charter.contact;
            made.organisation = duly::engine::organisationOf(charter, charter.name, c);
            made.kase.charter = charter.name;
            if (const auto dash = made.kase.reference.find('-'); dash != std::string::npos)
                made.kase.reference = charter.referencePrefix + made.kase.reference.substr(dash);
            if (const auto at = c.email.find('@'); at != std::string::npos) {
                const auto mine = made.officer.email.find('@');
                if (mine != std::string::npos) made.officer.email = made.officer.email.substr(0, mine) + c.email.substr(at);
            }
            if (made.details.extension && made.kase.respondBy) {
                const auto* rule = charter.ruleFor(made.kase.channel, made.kase.kind);
                const int days = rule && rule->maxExtension ? *rule->maxExtension : 0;
                if (days == 0) throw InputError("--charter " + *sampleCharter + ": its rule for " +
                                                std::string(duly::engine::kindName(made.kase.kind)) + " allows no extension");
                const duly::engine::DeadlineCalculator calc(charter);
                auto& e = *made.details.extension;
                e.workingDays = days;
                e.newDate = calc.dueAfter(duly::engine::ZoneRules::london().toLocal(*made.kase.respondBy).date, days);
                e.ombudsmanName = charter.scheme.ombudsman.name;
                e.ombudsmanPhone = charter.scheme.ombudsman.phone;
                e.ombudsmanWebsite = charter.scheme.ombudsman.website;
            }
            context = name == "officer-digest"
                          ? duly::engine::sampleContext(name, &made.organisation)
                          : duly::engine::buildCaseContext(made.kase, made.customer, made.officer, made.organisation,
                                                           made.details);
        } else {
            context = duly::engine::sampleContext(name);
        }
        doc = renderer.render(name, locale, printFormat, context, options);
        facts.reference = made.kase.reference;
        facts.officerId = made.officer.id;
        facts.officerName = made.officer.name;
        facts.brand = made.organisation.id;
        facts.date = made.details.date;
    }
    if (to == "brf" || to == "ogg" || to == "wav") {
        const auto settings = duly::pdf::loadLetterSettings(ctx.home / "config" / "letters.toml", ctx.home);
        std::string bytes;
        try {
            if (to == "brf") {
                const auto letter = duly::pdf::writeBraille(doc, settings.braille);
                for (const auto& u : letter.untranslated) ctx.err << "duly: no Braille for " << u << "\n";
                bytes = letter.brf;
            } else {
                const auto container = to == "wav" ? duly::pdf::AudioContainer::Wav : duly::pdf::AudioContainer::OggOpus;
                bytes = duly::pdf::writeAudio(doc, container, settings.audio).bytes;
            }
        } catch (const duly::pdf::BrailleUnavailable& e) {
            throw InputError(std::string("--format braille: ") + e.what());
        } catch (const duly::pdf::AudioUnavailable& e) {
            throw InputError(std::string("--format audio: ") + e.what());
        }
        std::ofstream file(*output, std::ios::binary | std::ios::trunc);
        if (!file || !file.write(bytes.data(), std::streamsize(bytes.size())) || !file.flush())
            throw InputError(*output + ": cannot be written");
        for (const auto& f : doc.fallbacks)
            ctx.err << "duly: fallback: " << f.what << " asked in " << f.requested << ", used " << f.used << " ("
                    << f.reason << ")\n";
        return 0;
    }
    if (to == "text" && format == "audio") {
        ctx.out << duly::pdf::speechText(doc);
        return 0;
    }
    if (to == "text" && format == "braille") {
        const auto settings = duly::pdf::loadLetterSettings(ctx.home / "config" / "letters.toml", ctx.home);
        try {
            ctx.out << duly::pdf::writeBraille(doc, settings.braille).brf;
        } catch (const duly::pdf::BrailleUnavailable& e) {
            throw InputError(std::string("--format braille: ") + e.what());
        }
        return 0;
    }
    if (to == "pdf") {
        const auto config = duly::app::loadConfig(
            ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
        std::optional<duly::flow::LetterSigning> signing;
        if (config.signing)
            signing = duly::flow::LetterSigning{config.signing->p12, config.signing->passwordFile, config.signing->reason};
        duly::flow::LetterPrinting printing(renderer, ctx.home, signing);
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
    "                   (--sample [--charter NAME] | --case REF) [--to text|html|document-json] [--bilingual]\n"
    "       duly render ... --to pdf --output FILE [--window-outline]\n"
    "       duly render ... --format braille --to brf --output FILE\n"
    "       duly render ... --format audio --to ogg|wav --output FILE\n\n"
    "Renders one document kind with the templates/ and locales/ of the home folder.\n"
    "  --template NAME   " + kindsList() + "\n"
    "  --locale TAG      en-GB (default), ur, yue-Hant, or a longer tag such as ur-PK;\n"
    "                    missing messages fall back (ur-PK → ur → en-GB), listed on stderr\n"
    "  --format F        standard (default), large-print, braille (liblouis: UEB grade 2,\n"
    "                    Urdu grade 1, Cantonese) or audio (espeak-ng); --to text shows\n"
    "                    the BRF or the words spoken\n"
    "  --sample          use the built-in sample case, customer, officer and organisation\n"
    "  --charter NAME    with --sample: the organisation and ombudsman of this charter\n"
    "                    (config/charters/NAME.toml, or a path)\n"
    "  --case REF        use a stored case, in its customer's language and format unless\n"
    "                    --locale or --format say otherwise\n"
    "  --to T            text (default), html, document-json (the neutral Document), pdf,\n"
    "                    brf (ASCII Braille, 40 x 25 by default: [braille] in\n"
    "                    config/letters.toml), ogg (Ogg Opus) or wav\n"
    "  --bilingual       follow a translation with the English text\n"
    "  --output FILE     with --to pdf, brf, ogg or wav: where to write the letter\n"
    "                    (PDF: A4, fonts embedded; fonts, envelope window and\n"
    "                    letterheads in config/letters.toml)\n"
    "  --window-outline  with --to pdf: draw the envelope window (a test page)\n"
    "  --config FILE     with --to pdf: the config file whose [signing] table signs the\n"
    "                    letter (default HOME/config/duly.toml; no [signing]: unsigned)\n",
    runRender};

}  // namespace
