// duly print-run: the command line of flow::PrintRun, which prints every
// letter queued for the post (one print-ready PDF per format, postcode
// order, a manifest; each letter kept on its case as its own PDF, signed
// when the config file has a [signing] table). This file reads the options
// and the config, wires the store, renderer and letter printing together,
// and reports. A letter that cannot be rendered stays queued, is named on
// stderr, and the run exits 1; bad options are InputErrors (exit 2).
#include "Command.h"
#include "Config.h"
#include "Wiring.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/LetterPrinting.h"
#include "duly/flow/PrintRun.h"
#include "duly/store/SqliteCaseStore.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <thread>

namespace {

namespace fs = std::filesystem;

int runPrintRun(duly::app::Context& ctx) {
    auto& args = ctx.args;
    auto configFile = args.option("config");
    auto outputDir = args.option("output");
    auto limitText = args.option("limit");
    const bool simplex = args.flag("simplex");
    const duly::engine::Instant now = duly::app::now(args);
    args.finish();
    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<fs::path>(*configFile) : std::nullopt);

    duly::flow::PrintRunSettings settings;
    settings.output = outputDir ? fs::path(*outputDir) : config.lettersFolder;
    if (limitText) settings.limit = std::size_t(duly::app::wholeNumber(*limitText, "--limit"));
    settings.simplex = simplex;
    settings.threads = std::max(1u, std::thread::hardware_concurrency());
    std::optional<duly::flow::LetterSigning> signing;
    if (config.signing) signing = duly::flow::LetterSigning{config.signing->p12, config.signing->passwordFile,
                                                            config.signing->reason};

    duly::store::SqliteCaseStore store(ctx.db);
    duly::engine::Renderer renderer(ctx.home);
    duly::engine::CharterBook charters(ctx.home);
    duly::flow::LetterPrinting printing(renderer, ctx.home, signing);
    duly::flow::PrintRun printRun(store, store, charters, renderer, printing, settings);
    // The signature says when it was made: the system clock, whatever --now says.
    const auto signedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto report = printRun.run(now, signedAt);

    for (const auto& n : report.notPrinted)
        ctx.err << "duly: print-run: " << n.messageKey << " not printed: " << n.reason << "\n";
    for (const auto& s : report.shortfalls) ctx.err << "duly: print-run: " << s.caseReference << ": " << s.note << "\n";
    if (report.run.empty()) {
        ctx.out << "print run: no letters waiting\n";
        return 0;
    }
    const std::size_t letters = report.printed.size();
    ctx.out << "print run " << duly::flow::printRunStamp(now) << ": " << letters << " letter" << (letters == 1 ? "" : "s")
            << ", " << report.pages << " page" << (report.pages == 1 ? "" : "s")
            << (report.signedLetters ? ", each archived signed" : "") << "\n";
    for (const auto& f : report.files) ctx.out << "  " << f.string() << "\n";
    ctx.out << "  " << report.manifest.string() << "\n";
    return report.notPrinted.empty() ? 0 : 1;
}

const duly::app::CommandRegistration reg{
    "print-run", "print every letter waiting for the post, one PDF per format, with a manifest",
    "Usage: duly print-run [--output DIR] [--config FILE] [--limit N] [--simplex] [--now TIME]\n\n"
    "Gathers every letter queued for the post, renders each in its customer's language and\n"
    "format, and writes to DIR (default: letters.folder of the config file, var/print):\n"
    "  print-run-STAMP-standard.pdf     standard letters, in postcode order\n"
    "  print-run-STAMP-large-print.pdf  large-print letters, in postcode order\n"
    "  print-run-STAMP-braille/, -audio/ a .brf or .ogg per letter for customers who asked\n"
    "  print-run-STAMP-manifest.csv     sequence, format, case, customer, document, pages,\n"
    "                                   first_page, postcode, file\n"
    "Each letter starts on a new sheet (a blank back page after an odd page count; --simplex\n"
    "for single-sided printers). Each letter is kept on its case as its own PDF, signed when\n"
    "the config file has a [signing] table, and marked printed. A letter that cannot be\n"
    "rendered stays queued and is named on stderr (exit 1).\n",
    runPrintRun};

}  // namespace
