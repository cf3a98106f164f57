// duly print-run: prints every letter queued for the post. Renders each in
// its customer's language and format, makes one print-ready PDF per format
// (standard, large print) with the letters in postcode order and each
// starting on a new sheet (a blank back page after an odd page count, for
// duplex printers), writes a manifest CSV (case, customer, pages,
// postcode), archives each letter on its case as its own PDF (signed when
// the config file has a [signing] table) and marks it printed.
// Files are written to a temporary name, flushed and renamed before any
// letter is marked, so a crash prints a letter twice rather than never.
// A letter that cannot be rendered stays queued, is named on stderr, and
// the run exits 1; bad options are InputErrors (exit 2).
#include "Command.h"
#include "Config.h"
#include "LetterPrinting.h"
#include "Wiring.h"

#include "duly/engine/CaseService.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/Template.h"
#include "duly/pdf/AccessibleFormats.h"
#include "duly/pdf/LetterSettings.h"
#include "duly/pdf/PdfDocument.h"
#include "duly/flow/CaseDocuments.h"
#include "duly/store/SqliteCaseStore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ostream>

namespace {

namespace fs = std::filesystem;
using duly::engine::InputError;
using duly::engine::OutboundMessage;

struct Letter {
    OutboundMessage item;
    duly::engine::Document doc;
    duly::app::LetterFacts facts;
    std::string customer;  // reference
    std::string postcode;
    std::string format;
    std::vector<std::string> formats;  // the customer's: Braille and audio are made beside the print
    std::size_t pages = 0;
    std::size_t firstPage = 0;  // in its format's print file, from 1
    std::string archived;       // the letter alone, signed
};

// Writes `bytes` to `path` durably (engine::writePrivateFileAtomically:
// temporary file, fsync, rename, fsync of the folder), 0600: letters hold
// personal data.
void writeDurably(const fs::path& path, const std::string& bytes) { duly::engine::writePrivateFileAtomically(path, bytes); }

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// The sort key of a UK postcode, as the post sorts: area letters, district
// number as a number (PR5 before PR25), the rest of the outward code, then
// the inward code. "pr25 3ab" and "PR253AB" give the same key; anything not
// shaped like a postcode sorts after every postcode, by its own letters.
std::string postcodeKey(const std::string& p) {
    std::string k;
    for (char c : p)
        if (std::isalnum(static_cast<unsigned char>(c))) k += char(std::toupper(static_cast<unsigned char>(c)));
    if (k.size() < 5 || k.size() > 7) return "~" + k;
    const std::string outward = k.substr(0, k.size() - 3), inward = k.substr(k.size() - 3);
    std::size_t i = 0;
    while (i < outward.size() && std::isalpha(static_cast<unsigned char>(outward[i]))) ++i;
    std::size_t j = i;
    while (j < outward.size() && std::isdigit(static_cast<unsigned char>(outward[j]))) ++j;
    if (i == 0 || i > 2 || j == i) return "~" + k;
    std::string district = outward.substr(i, j - i);
    if (district.size() < 2) district.insert(0, 2 - district.size(), '0');
    return outward.substr(0, i) + (i == 1 ? " " : "") + district + outward.substr(j) + " " + inward;
}

// What a letter queued before letter orders says beyond its template, from
// the case's fields: a holding reply's reason and new date; an extension's
// days so far and the response date.
// XXX: such a letter's extension reason was kept only in the case history;
// it prints without one. Only letters queued before the upgrade and not yet
// printed are concerned.
duly::engine::LetterDetails legacyDetails(const OutboundMessage& item, const duly::engine::Case& c,
                                          const duly::engine::Charter& charter, duly::engine::Instant now) {
    duly::engine::LetterDetails d;
    d.date = now;
    const duly::engine::Instant respondBy = c.respondBy.value_or(c.received);
    if (item.documentKey == "holding-reply")
        d.holding = duly::engine::HoldingReplyDetails{c.holdingReason, c.holdingNewDate.value_or(respondBy)};
    if (item.documentKey.rfind("extension-", 0) == 0) {
        const auto ombudsman = duly::engine::ombudsmanFor(charter);
        d.extension = duly::engine::ExtensionDetails{"", respondBy, c.extensionDays, ombudsman.phone, ombudsman.website,
                                                     std::nullopt, ombudsman.name};
    }
    return d;
}

std::string stamp(duly::engine::Instant t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u-%02ld%02ld%02ld", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), long(hms.hours().count()), long(hms.minutes().count()),
                  long(hms.seconds().count()));
    return buf;
}

int runPrintRun(duly::app::Context& ctx) {
    auto& args = ctx.args;
    auto configFile = args.option("config");
    auto outputDir = args.option("output");
    auto limitText = args.option("limit");
    const bool simplex = args.flag("simplex");
    const duly::engine::Instant now = duly::app::now(args);
    args.finish();
    const std::size_t limit = limitText ? std::size_t(duly::app::wholeNumber(*limitText, "--limit")) : 100000;
    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<fs::path>(*configFile) : std::nullopt);
    const fs::path dir = outputDir ? fs::path(*outputDir) : config.lettersFolder;

    duly::store::SqliteCaseStore store(ctx.db);
    // Claimed, as delivery claims email: a second print run at the same
    // time passes these letters by, so no letter is printed twice; if this
    // run dies, they are due again when the hold ends.
    const auto due = store.claimForDelivery(OutboundMessage::Route::Post, now, now + std::chrono::minutes{30}, limit);
    if (due.empty()) {
        ctx.out << "print run: no letters waiting\n";
        return 0;
    }
    duly::engine::Renderer renderer(ctx.home);
    duly::engine::CharterBook charters(ctx.home);
    duly::flow::CaseDocuments documents(renderer, store, charters);
    duly::app::LetterPrinting printing(renderer, ctx.home, config.signing);
    // The signature says when it was made: the system clock, whatever --now says.
    const auto signedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

    std::vector<Letter> letters;
    int notPrinted = 0;
    for (const auto& item : due) {
        try {
            auto kase = store.findCase(item.caseReference);
            if (!kase) throw InputError("no case with reference \"" + item.caseReference + "\"");
            // What was decided when the letter was queued: its template and
            // the facts it states (the officer's reply, a holding reply's or
            // an extension's reason and dates). A letter queued by an older
            // Duly named only its template.
            const auto order = duly::engine::LetterOrder::parse(item.bytes);
            if (!order) throw InputError("the queued letter cannot be read (it names no known template)");
            const std::string templateName = order->templateName;
            const bool legacy = item.bytes.rfind("duly-letter ", 0) != 0;
            duly::engine::LetterDetails details = legacy ? legacyDetails(item, *kase, charters.get(kase->charter), now) : order->details;
            if (legacy) details.replyBody = order->details.replyBody;
            details.date = now;  // a letter is dated the day it is printed and posted
            if (templateName == "reply" && details.replyBody.find_first_not_of(" \t\r\n") == std::string::npos)
                throw InputError("the reply has no text (it was queued without the officer's words)");
            Letter l;
            l.item = item;
            l.doc = documents.render(*kase, templateName, details);
            const auto customer = documents.customerOf(*kase);
            l.customer = customer.reference;
            // A copy for the customer's representative goes to their address:
            // sorted by their postcode.
            l.postcode = details.toRepresentative
                             ? duly::flow::CaseDocuments::representativeOf(*kase, customer).postcode
                             : customer.postcode;
            l.format = l.doc.profile.name;
            l.formats = customer.formats;
            l.facts.reference = kase->reference;
            l.facts.date = now;
            l.facts.brand = documents.organisation(*kase, customer).id;
            if (!kase->officerId.empty()) {
                const auto officer = documents.officerOf(*kase);
                l.facts.officerId = officer.id;
                l.facts.officerName = officer.name;
            }
            letters.push_back(std::move(l));
        } catch (const InputError& e) {
            ++notPrinted;
            ctx.err << "duly: print-run: " << item.messageKey << " not printed: " << e.what() << "\n";
            store.markRetry(item.id, now + std::chrono::hours{24}, std::string("not printed: ") + e.what());
        }
    }
    std::stable_sort(letters.begin(), letters.end(), [](const Letter& a, const Letter& b) {
        const auto ka = postcodeKey(a.postcode), kb = postcodeKey(b.postcode);
        return ka != kb ? ka < kb : a.item.caseReference < b.item.caseReference;
    });

    duly::engine::makePrivateDirectories(dir);
    const std::string run = "print-run-" + stamp(now);
    std::string manifest = "sequence,format,case,customer,document,pages,first_page,postcode,file\n";
    std::vector<std::string> files;
    int sequence = 0;
    for (const std::string format : {"standard", "large-print"}) {
        duly::pdf::PdfDocument pdf(printing.fonts(), true);
        std::size_t pageCount = 0;
        const std::string file = run + "-" + format + ".pdf";
        for (auto& l : letters) {
            if (l.format != format) continue;
            const auto options = printing.options(l.doc, l.facts);
            l.firstPage = pageCount + 1;
            l.pages = printing.writer().addLetter(pdf, l.doc, options);
            pageCount += l.pages;
            if (!simplex && l.pages % 2 == 1) {
                pdf.addPage({});  // the back of the last sheet stays blank
                ++pageCount;
            }
            l.archived = printing.sign(printing.writer().write(l.doc, options), signedAt);
            manifest += std::to_string(++sequence) + "," + format + "," + csvField(l.item.caseReference) + "," +
                        csvField(l.customer) + "," + csvField(l.item.documentKey) + "," + std::to_string(l.pages) + "," +
                        std::to_string(l.firstPage) + "," + csvField(l.postcode) + "," + csvField(file) + "\n";
        }
        if (pageCount == 0) continue;
        duly::pdf::DocumentInfo info;
        info.title = "Print run " + stamp(now) + " (" + format + ")";
        info.lang = "en-GB";
        writeDurably(dir / file, pdf.write(info));
        files.push_back((dir / file).string());
    }
    // Braille and audio beside the print, as the customer's formats ask
    // (duly::pdf::planFormats); a format that cannot be made is noted on the case.
    const auto accessible = duly::pdf::loadLetterSettings(ctx.home / "config" / "letters.toml", ctx.home);
    for (const auto& l : letters) {
        const auto plan = duly::pdf::planFormats(l.doc, l.formats, {accessible.braille, accessible.audio, {}});
        const auto written = duly::pdf::writeFormatFiles(dir, run, sequence + 1, l.item.caseReference, plan);
        if (!written.empty()) ++sequence;
        for (std::size_t i = 0; i < written.size(); ++i)
            manifest += std::to_string(sequence) + "," + plan.files[i].format + "," + csvField(l.item.caseReference) + "," +
                        csvField(l.customer) + "," + csvField(l.item.documentKey) + ",,," + csvField(l.postcode) + "," +
                        csvField(written[i]) + "\n";
        for (const auto& f : plan.shortfalls) {
            const std::string note = f.format + " not made (" + f.reason + "); send " + f.substitute + " instead";
            ctx.err << "duly: print-run: " << l.item.caseReference << ": " << note << "\n";
            if (auto c = store.findCase(l.item.caseReference))
                store.updateCase(*c, {duly::engine::CaseEvent{0, duly::engine::EventType::Note, now, "duly", note}});
        }
    }
    const fs::path manifestFile = dir / (run + "-manifest.csv");
    writeDurably(manifestFile, manifest);

    std::size_t pages = 0;
    duly::engine::CaseService cases(store, charters);
    for (const auto& l : letters) {
        store.markPrinted(l.item.id, now, l.archived, "printed in " + run + " (" + l.format + ", page " +
                                                           std::to_string(l.firstPage) + ")");
        pages += l.pages;
        // A printed acknowledgement is a sent one, as a delivered email is.
        if (duly::engine::isAcknowledgementKey(l.item.documentKey)) {
            auto c = store.findCase(l.item.caseReference);
            if (c && !c->acknowledgedAt && c->state == duly::engine::CaseState::Open)
                cases.acknowledge(l.item.caseReference, now, "duly");
        }
    }
    ctx.out << "print run " << stamp(now) << ": " << letters.size() << " letter" << (letters.size() == 1 ? "" : "s")
            << ", " << pages << " page" << (pages == 1 ? "" : "s") << (printing.signs() ? ", each archived signed" : "")
            << "\n";
    for (const auto& f : files) ctx.out << "  " << f << "\n";
    ctx.out << "  " << manifestFile.string() << "\n";
    return notPrinted ? 1 : 0;
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
