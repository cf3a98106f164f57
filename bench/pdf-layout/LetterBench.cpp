// bench/pdf-layout: the work that repeats per letter — render the Document,
// shape and lay it out, cut the fonts down, write the PDF, sign it, write the
// file — timed over 10,000 letters (70% English standard, 10% English large
// print, 10% Urdu, 10% Cantonese), each with its own reference and name, on
// 1 and on N threads (one Renderer and LetterWriter per thread, the FontSet
// and signer shared). Also: the median size of a one-page English letter,
// and a 10,000-letter print run (one PDF per format). Prints figures; never
// asserts on time. With --seed-store FILE it only writes a store holding
// N cases, each with its acknowledgement queued for the post in the same
// mix, for run.sh to time `duly print-run` on.
// Usage: bench_pdf_layout [--letters N] [--threads N] [--p12 FILE --password-file FILE] [--out DIR]
//                         [--print-run-only] [--seed-store FILE]
#include "duly/engine/Correspondence.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/ZoneRules.h"
#include "duly/pdf/FontSet.h"
#include "duly/pdf/LetterSettings.h"
#include "duly/pdf/LetterWriter.h"
#include "duly/pdf/PdfDocument.h"
#include "duly/pdf/PdfSigner.h"
#include "duly/store/SqliteCaseStore.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Kind {
    const char* locale;
    const char* format;
};

// The mix of the issue: 7 English standard, 1 large print, 1 Urdu, 1 Cantonese in 10.
Kind kindOf(std::size_t i) {
    switch (i % 10) {
        case 7: return {"en-GB", "large-print"};
        case 8: return {"ur", "standard"};
        case 9: return {"yue-Hant", "standard"};
        default: return {"en-GB", "standard"};
    }
}

const char* kFirst[] = {"Nasreen", "Tom", "Joan", "Wing Kei", "Imran", "Aimee", "Peter", "Grace", "Mohammed", "Siobhan"};
const char* kLast[] = {"Khan", "Fairclough", "Whittaker", "Lee", "Hussain", "Butler", "Okafor", "Nowak", "Patel", "Byrne"};

duly::engine::Document render(const duly::engine::Renderer& r, std::size_t i) {
    auto s = duly::engine::sampleFor("acknowledgement");
    char ref[32];
    std::snprintf(ref, sizeof ref, "PHG-2026-%05zu", i + 1);
    s.kase.reference = ref;
    s.customer.name = std::string(kFirst[i % 10]) + " " + kLast[(i / 10) % 10];
    s.customer.salutation = std::string("Dear ") + kFirst[(i / 3) % 10] + " " + kLast[i % 10];
    const Kind k = kindOf(i);
    return r.render("acknowledgement", k.locale, k.format,
                    duly::engine::buildCaseContext(s.kase, s.customer, s.officer, s.organisation, s.details));
}

// A store with `letters` cases from ten customers in the mix above, each
// case's acknowledgement queued for the post as Dispatch queues it.
void seedStore(const fs::path& file, std::size_t letters) {
    duly::store::SqliteCaseStore store(file);
    duly::engine::Officer officer;
    officer.id = "jsmith";
    officer.name = "Jane Smith";
    officer.position = "Customer Services Officer";
    officer.email = "jane.smith@progress.example.org";
    store.upsertOfficer(officer);
    const char* postcodes[] = {"PR25 3AB", "PR5 6QR", "PR26 7TT", "PR25 2SD", "PR1 1AA",
                               "PR25 4QP", "PR7 2JJ", "PR25 1ZZ", "PR2 8AB", "PR25 3NN"};
    for (std::size_t k = 0; k < 10; ++k) {
        duly::engine::Customer c;
        c.reference = "C2" + std::to_string(10000 + k);
        c.name = std::string(kFirst[k]) + " " + kLast[k];
        c.salutation = std::string("Dear ") + kFirst[k] + " " + kLast[k];
        c.addressLine1 = std::to_string(k + 1) + " Church Road";
        c.town = "Leyland";
        c.postcode = postcodes[k];
        const Kind kind = kindOf(k);
        c.language = kind.locale;
        if (std::string(kind.format) == "large-print") c.formats = {"large-print"};
        c.preferredChannel = duly::engine::PreferredChannel::Post;
        store.upsertCustomer(c);
    }
    const auto received = duly::engine::parseRfc3339("2026-11-23T10:00:00Z");
    for (std::size_t start = 0; start < letters; start += 500) {
        auto batch = store.beginBatch();
        for (std::size_t i = start; i < std::min(letters, start + 500); ++i) {
            duly::engine::Case c;
            c.reference = store.reserveReference("PHG", 2026);
            c.charter = "progress";
            c.channel = duly::engine::Channel::Letter;
            c.kind = duly::engine::Kind::Enquiry;
            c.customerRef = "C2" + std::to_string(10000 + i % 10);
            c.officerId = "jsmith";
            c.subject = "Repair";
            c.received = received;
            c.countedFrom = duly::engine::parseDate("2026-11-23");
            c.acknowledgeBy = duly::engine::parseRfc3339("2026-11-24T17:00:00Z");
            c.respondBy = duly::engine::parseRfc3339("2026-11-30T17:00:00Z");
            c.items.push_back(duly::engine::Item{0, duly::engine::Channel::Letter, received, "Repair", "Please help.",
                                                 "letter-" + std::to_string(i), "post"});
            duly::engine::LetterOrder order{"acknowledgement", {}};
            order.details.date = received;
            duly::engine::OutboundMessage m;
            m.caseReference = c.reference;
            m.documentKey = "acknowledgement";
            m.route = duly::engine::OutboundMessage::Route::Post;
            m.messageKey = c.reference + "/acknowledgement";
            m.recipient = c.customerRef;
            m.bytes = order.serialize();
            m.queuedAt = received;
            m.nextAttemptAt = received;
            store.createCaseWithMessages(c, "", {m});
        }
        batch->commit();
    }
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU seconds used by the process so far (user + system): on a shared machine
// the wall clock also counts other people's work.
double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t letters = 10000;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::optional<std::string> p12, password;
    fs::path out = fs::temp_directory_path() / "duly-bench-letters";
    bool printRunOnly = false;
    std::optional<fs::path> seed;
    for (int i = 1; i < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--print-run-only") {
            printRunOnly = true;
            --i;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "bench_pdf_layout: " << a << " needs a value\n";
            return 2;
        }
        const std::string v = argv[i + 1];
        if (a == "--letters") letters = std::stoul(v);
        else if (a == "--threads") threads = unsigned(std::stoul(v));
        else if (a == "--p12") p12 = v;
        else if (a == "--password-file") password = v;
        else if (a == "--out") out = v;
        else if (a == "--seed-store") seed = v;
        else {
            std::cerr << "bench_pdf_layout: unknown option " << a << "\n";
            return 2;
        }
    }
    if (seed) {
        const auto start = Clock::now();
        seedStore(*seed, letters);
        std::printf("store of %zu letters queued for the post written in %.1f s\n", letters,
                    std::chrono::duration<double>(Clock::now() - start).count());
        return 0;
    }
    fs::create_directories(out);
    const auto t0 = Clock::now();
    const duly::pdf::LetterSettings settings = duly::pdf::loadLetterSettings({}, DULY_SOURCE_HOME);
    duly::pdf::FontSet fonts(settings.fonts);
    const auto t1 = Clock::now();
    // As duly print-run: no fonts prepared for subsetting ahead; the
    // FontSet prepares a face once its subsets keep changing.

    std::optional<duly::pdf::PdfSigner> signer;
    if (p12 && password) signer.emplace(duly::pdf::SigningIdentity::fromFiles(*p12, *password));
    std::printf("fonts loaded in %.0f ms; %s\n", ms(t1 - t0),
                signer ? (std::string("signing with ") + signer->identity().keyDescription()).c_str() : "NOT signing (no --p12)");
    const auto signedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

    // Separate signed files, on 1 thread and on `threads`.
    for (unsigned n : {1u, threads}) {
        if (printRunOnly) break;
        std::atomic<std::size_t> next{0}, bytes{0}, longer{0};
        std::vector<std::vector<std::size_t>> oneBySize(n);
        std::vector<std::vector<double>> times(n);
        const auto start = Clock::now();
        const double cpu0 = cpuSeconds();
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < n; ++t) {
            pool.emplace_back([&, t] {
                duly::engine::Renderer r(DULY_SOURCE_HOME);
                duly::pdf::LetterWriter writer(fonts, settings);
                for (std::size_t i = next++; i < letters; i = next++) {
                    const auto a = Clock::now();
                    auto doc = render(r, i);
                    duly::pdf::LetterOptions o;
                    o.author = "Jane Smith";
                    o.reference = "PHG";
                    std::string pdf = writer.write(doc, o);
                    if (signer) {
                        duly::pdf::SignatureRequest req;
                        req.time = signedAt;
                        pdf = signer->sign(pdf, req);
                    }
                    // Its own file, as an archived letter is (the 1-thread and
                    // N-thread passes write the same 10,000 names).
                    char name[32];
                    std::snprintf(name, sizeof name, "letter-%05zu.pdf", i);
                    std::ofstream(out / name, std::ios::binary).write(pdf.data(), std::streamsize(pdf.size()));
                    times[t].push_back(ms(Clock::now() - a));
                    bytes += pdf.size();
                    // English standard letters of one page ("/Count 1" in the
                    // page tree) make the median; any longer one is counted apart.
                    if (i % 10 < 7) {
                        if (pdf.find("/Type /Pages /Kids [") != std::string::npos &&
                            pdf.find("/Count 1 >>") != std::string::npos)
                            oneBySize[t].push_back(pdf.size());
                        else
                            ++longer;
                    }
                }
            });
        }
        for (auto& th : pool) th.join();
        const double secs = std::chrono::duration<double>(Clock::now() - start).count();
        const double cpu = cpuSeconds() - cpu0;
        std::vector<double> all;
        std::vector<std::size_t> sizes;
        for (unsigned t = 0; t < n; ++t) {
            all.insert(all.end(), times[t].begin(), times[t].end());
            sizes.insert(sizes.end(), oneBySize[t].begin(), oneBySize[t].end());
        }
        std::sort(all.begin(), all.end());
        std::sort(sizes.begin(), sizes.end());
        std::printf("%zu signed letters as separate files on %u thread%s: %.2f s, %.0f letters/s; per letter median "
                    "%.2f ms, p95 %.2f ms; %.1f KB average\n",
                    letters, n, n == 1 ? "" : "s", secs, double(letters) / secs, all[all.size() / 2], all[all.size() * 95 / 100],
                    double(bytes.load()) / 1024.0 / double(letters));
        if (!sizes.empty())
            std::printf("  one-page English standard letter: median %.1f KB (%zu letters; %zu English ones longer)\n",
                        double(sizes[sizes.size() / 2]) / 1024.0, sizes.size(), longer.load());
        std::printf("  CPU time %.2f s: %.2f ms of CPU per letter, %.0f letters per CPU-second\n", cpu,
                    cpu * 1000 / double(letters), double(letters) / cpu);
    }

    // A print run: every letter as pages of one PDF per format.
    {
        const auto start = Clock::now();
        const double cpu0 = cpuSeconds();
        duly::engine::Renderer r(DULY_SOURCE_HOME);
        duly::pdf::LetterWriter writer(fonts, settings);
        duly::pdf::PdfDocument standard(fonts, true), large(fonts, true);
        std::size_t pages = 0;
        for (std::size_t i = 0; i < letters; ++i) {
            auto doc = render(r, i);
            auto& pdf = doc.profile.name == "large-print" ? large : standard;
            const std::size_t n = writer.addLetter(pdf, doc, {});
            pages += n;
            if (n % 2) pdf.addPage({}), ++pages;
        }
        const auto laid = Clock::now();
        const std::string a = standard.write({}), b = large.write({});
        std::ofstream(out / "print-run-standard.pdf", std::ios::binary).write(a.data(), std::streamsize(a.size()));
        std::ofstream(out / "print-run-large-print.pdf", std::ios::binary).write(b.data(), std::streamsize(b.size()));
        const double secs = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("print run of %zu letters (%zu pages, one thread): %.2f s (layout %.2f s, writing %.2f s); "
                    "standard %.1f MB, large print %.1f MB\n",
                    letters, pages, secs, std::chrono::duration<double>(laid - start).count(),
                    std::chrono::duration<double>(Clock::now() - laid).count(), double(a.size()) / 1048576.0,
                    double(b.size()) / 1048576.0);
        std::printf("  CPU time %.2f s\n", cpuSeconds() - cpu0);
    }
    return 0;
}
