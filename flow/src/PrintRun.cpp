// PrintRun: claims the queued letters, renders them on this thread (the
// store and the Renderer's ICU formatters are not shared), lays out, writes
// and signs them on worker threads, and adds their pages to the print files
// in order as they come back; then Braille and audio, the manifest, and the
// marks. Owns nothing beyond one run. Fails as PrintRun.h says.
#include "duly/flow/PrintRun.h"

#include "duly/engine/CaseService.h"
#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/flow/CaseDocuments.h"
#include "duly/pdf/AccessibleFormats.h"
#include "duly/pdf/LetterWriter.h"
#include "duly/pdf/PdfDocument.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace duly::flow {

namespace fs = std::filesystem;
using engine::InputError;
using engine::OutboundMessage;

namespace {

struct Letter {
    OutboundMessage item;             // its bytes (the order) dropped once read
    std::optional<engine::Case> kase;  // until rendered
    engine::Customer customer;
    std::string templateName;
    engine::LetterDetails details;
    std::string postcode;
    std::string sortKey;
    std::string format;                // the recipient's: "standard", "large-print"
    bool acknowledges = false;         // an acknowledgement for a case not yet acknowledged
    bool failed = false;               // could not be rendered: put back, not printed
    engine::Document doc;
    pdf::LetterOptions options;
    std::size_t pages = 0;
    std::size_t firstPage = 0;         // in its format's print file, from 1
    std::string archived;              // the letter alone, signed
};

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// What a letter queued before letter orders (a bare template name in the
// outbox, from a Duly older than engine::LetterOrder) says beyond its
// template, from the case's fields — never from its history: a holding
// reply's reason and new date; an extension's days so far and the response
// date. Only such letters not yet printed when Duly was upgraded come here;
// every letter queued since carries its facts in its order.
// XXX: such a letter's extension reason was kept only in the case history;
// it prints without one.
engine::LetterDetails legacyDetails(const OutboundMessage& item, const engine::Case& c,
                                    const engine::Charter& charter, engine::Instant now) {
    engine::LetterDetails d;
    d.date = now;
    const engine::Instant respondBy = c.respondBy.value_or(c.received);
    if (item.documentKey == "holding-reply")
        d.holding = engine::HoldingReplyDetails{c.holdingReason, c.holdingNewDate.value_or(respondBy)};
    if (item.documentKey.rfind("extension-", 0) == 0) {
        const auto ombudsman = engine::ombudsmanFor(charter);
        d.extension = engine::ExtensionDetails{"", respondBy, c.extensionDays, ombudsman.phone, ombudsman.website,
                                               std::nullopt, ombudsman.name};
    }
    return d;
}

// One letter laid out once, and from that its own signed file.
struct Laid {
    pdf::LaidOutLetter layout;
    std::string archived;
    std::exception_ptr error;
};

// Lays out and signs `letters[order[i]]` on `threads` threads once the
// caller has rendered it (published), handing each back to the caller's
// thread in order (take), at most kWindow ahead of the one taken last, so a
// run of any size holds a few dozen layouts. A letter that failed to render
// comes back empty.
class LayoutPool {
public:
    LayoutPool(const std::vector<Letter>& letters, const std::vector<std::size_t>& order, LetterPrinting& printing,
               engine::Instant signedAt, unsigned threads)
        : _letters(letters), _order(order), _printing(printing), _signedAt(signedAt), _slots(order.size()) {
        for (unsigned t = 0; t < std::max(1u, threads); ++t) _threads.emplace_back([this] { work(); });
    }
    ~LayoutPool() {
        {
            std::lock_guard lock(_mutex);
            _stop = true;
        }
        _room.notify_all();
        for (auto& t : _threads) t.join();
    }
    LayoutPool(const LayoutPool&) = delete;
    LayoutPool& operator=(const LayoutPool&) = delete;

    // Letters order[0 … n) are rendered and may be laid out.
    void publish(std::size_t n) {
        {
            std::lock_guard lock(_mutex);
            _published = n;
        }
        _room.notify_all();
    }
    // True when the i-th letter of `order` is laid out (take will not wait).
    bool ready(std::size_t i) {
        std::lock_guard lock(_mutex);
        return _slots[i].has_value();
    }
    // The i-th letter of `order`, once laid out; rethrows what its layout threw.
    Laid take(std::size_t i) {
        std::unique_lock lock(_mutex);
        _ready.wait(lock, [&] { return _slots[i].has_value(); });
        Laid laid = std::move(*_slots[i]);
        _slots[i].reset();
        _taken = i + 1;
        lock.unlock();
        _room.notify_all();
        if (laid.error) std::rethrow_exception(laid.error);
        return laid;
    }

    static constexpr std::size_t kWindow = 64;

private:
    void work() {
        pdf::LetterWriter writer(_printing.fonts(), _printing.settings());
        for (;;) {
            std::size_t i = 0;
            {
                std::unique_lock lock(_mutex);
                _room.wait(lock, [&] {
                    return _stop || _next >= _order.size() || (_next < _published && _next < _taken + kWindow);
                });
                if (_stop || _next >= _order.size()) return;
                i = _next++;
            }
            Laid laid;
            try {
                const Letter& l = _letters[_order[i]];
                if (!l.failed) laid.layout = writer.layout(l.doc, l.options);
                if (!l.failed) laid.archived = _printing.sign(writer.write(laid.layout, l.doc, l.options), _signedAt);
            } catch (...) {
                laid.error = std::current_exception();
            }
            {
                std::lock_guard lock(_mutex);
                _slots[i] = std::move(laid);
            }
            _ready.notify_all();
        }
    }

    const std::vector<Letter>& _letters;
    const std::vector<std::size_t>& _order;
    LetterPrinting& _printing;
    const engine::Instant _signedAt;
    std::mutex _mutex;
    std::condition_variable _ready, _room;
    std::vector<std::optional<Laid>> _slots;
    std::size_t _next = 0, _taken = 0, _published = 0;
    bool _stop = false;
    std::vector<std::thread> _threads;  // last: joined before the rest is destroyed
};

}  // namespace

std::string printRunStamp(engine::Instant t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u-%02ld%02ld%02ld", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), long(hms.hours().count()), long(hms.minutes().count()),
                  long(hms.seconds().count()));
    return buf;
}

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

PrintRun::PrintRun(engine::CaseStore& store, engine::MailLedger& ledger, engine::CharterBook& charters,
                   const engine::Renderer& renderer, LetterPrinting& printing, PrintRunSettings settings)
    : _store(store), _ledger(ledger), _charters(charters), _renderer(renderer), _printing(printing),
      _settings(std::move(settings)) {}

PrintRunReport PrintRun::run(engine::Instant now, engine::Instant signedAt) {
    PrintRunReport report;
    report.signedLetters = _printing.signs();
    // Claimed, as delivery claims email: a second print run at the same
    // time passes these letters by, so no letter is printed twice; if this
    // run dies, they are due again when the hold ends.
    const auto due = _ledger.claimForDelivery(OutboundMessage::Route::Post, now, now + _settings.hold, _settings.limit);
    if (due.empty()) return report;

    // Read here, one after another: the store and the Renderer are this thread's.
    CaseDocuments documents(_renderer, _store, _charters);
    std::vector<Letter> letters;
    letters.reserve(due.size());
    auto putBack = [&](const OutboundMessage& item, const std::string& why) {
        report.notPrinted.push_back({item.messageKey, why});
        _ledger.markRetry(item.id, now + std::chrono::hours{24}, "not printed: " + why);
    };
    for (const auto& item : due) {
        try {
            auto kase = _store.findCase(item.caseReference);
            if (!kase) throw InputError("no case with reference \"" + item.caseReference + "\"");
            // What was decided when the letter was queued: its template and
            // the facts it states (the officer's reply, a holding reply's or
            // an extension's reason and dates).
            const auto order = engine::LetterOrder::parse(item.bytes);
            if (!order) throw InputError("the queued letter cannot be read (it names no known template)");
            const bool legacy = item.bytes.rfind("duly-letter ", 0) != 0;
            Letter l;
            l.templateName = order->templateName;
            l.details = legacy ? legacyDetails(item, *kase, _charters.get(kase->charter), now) : order->details;
            if (legacy) l.details.replyBody = order->details.replyBody;
            l.details.date = now;  // a letter is dated the day it is printed and posted
            if (l.templateName == "reply" && l.details.replyBody.find_first_not_of(" \t\r\n") == std::string::npos)
                throw InputError("the reply has no text (it was queued without the officer's words)");
            l.item = item;
            l.item.bytes.clear();
            l.customer = documents.customerOf(*kase);
            // A copy for the customer's representative goes to their address
            // (sorted by their postcode), in their format.
            const engine::Customer recipient =
                l.details.toRepresentative ? CaseDocuments::representativeOf(*kase, l.customer) : l.customer;
            l.postcode = recipient.postcode;
            l.sortKey = postcodeKey(l.postcode);
            l.format = engine::formatFor(recipient);
            l.acknowledges = engine::isAcknowledgementKey(item.documentKey) && !kase->acknowledgedAt &&
                             kase->state == engine::CaseState::Open;
            l.kase = std::move(kase);
            letters.push_back(std::move(l));
        } catch (const InputError& e) {
            putBack(item, e.what());
        }
    }
    std::stable_sort(letters.begin(), letters.end(), [](const Letter& a, const Letter& b) {
        return a.sortKey != b.sortKey ? a.sortKey < b.sortKey : a.item.caseReference < b.item.caseReference;
    });

    engine::makePrivateDirectories(_settings.output);
    const std::string stamp = printRunStamp(now);
    report.run = "print-run-" + stamp;
    std::string manifest = "sequence,format,case,customer,document,pages,first_page,postcode,file\n";
    int sequence = 0;
    const std::vector<std::string> formats = {"standard", "large-print"};
    std::vector<std::size_t> order;  // the letters in print order: each format in postcode order
    for (const auto& format : formats)
        for (std::size_t i = 0; i < letters.size(); ++i)
            if (letters[i].format == format) order.push_back(i);
    // Fonts are not prepared for subsetting here: the FontSet prepares a
    // face itself once its subsets keep changing (the Latin face, with
    // customers' names), on a worker, while the other worker goes on; the
    // Chinese face's preparation (about a second, with no worker running
    // yet) used to come first in every run of 200 letters or more.

    // Letters are rendered here in print order, a window ahead of the
    // workers laying them out, and their pages added to the print file of
    // their format as they come back, in order.
    {
        LayoutPool pool(letters, order, _printing, signedAt, _settings.threads);
        std::size_t rendered = 0;
        std::map<std::string, engine::Officer> officers;
        auto renderNext = [&] {
            Letter& l = letters[order[rendered]];
            try {
                l.doc = documents.render(*l.kase, l.customer, l.templateName, l.details, "", l.format);
                LetterFacts facts;
                facts.reference = l.kase->reference;
                facts.date = now;
                facts.brand = documents.organisation(*l.kase, l.customer).id;
                if (!l.kase->officerId.empty()) {
                    // A few officers sign many letters: each read once a run.
                    auto officer = officers.find(l.kase->officerId);
                    if (officer == officers.end())
                        officer = officers.emplace(l.kase->officerId, documents.officerOf(*l.kase)).first;
                    facts.officerId = officer->second.id;
                    facts.officerName = officer->second.name;
                }
                l.options = _printing.options(l.doc, facts);
            } catch (const InputError& e) {
                l.failed = true;
                putBack(l.item, e.what());
            }
            l.kase.reset();
            pool.publish(++rendered);
        };
        std::optional<pdf::PdfDocument> print;
        std::string format, file;
        std::size_t pageCount = 0;
        auto finishFile = [&] {
            if (!print || pageCount == 0) return;
            pdf::DocumentInfo info;
            info.title = "Print run " + stamp + " (" + format + ")";
            info.lang = "en-GB";
            engine::writePrivateFileAtomically(_settings.output / file, print->write(info));
            report.files.push_back(_settings.output / file);
        };
        for (std::size_t at = 0; at < order.size(); ++at) {
            // Keep the workers fed: render ahead while the next layout is not back.
            while (rendered < order.size() &&
                   (rendered <= at || (rendered < at + LayoutPool::kWindow && !pool.ready(at))))
                renderNext();
            Letter& l = letters[order[at]];
            Laid laid = pool.take(at);
            if (l.failed) continue;
            if (l.format != format) {
                finishFile();
                format = l.format;
                file = report.run + "-" + format + ".pdf";
                print.emplace(_printing.fonts(), true);
                pageCount = 0;
            }
            l.firstPage = pageCount + 1;
            l.pages = _printing.writer().addLetter(*print, std::move(laid.layout));
            l.archived = std::move(laid.archived);
            pageCount += l.pages;
            report.pages += l.pages;
            if (!_settings.simplex && l.pages % 2 == 1) {
                print->addPage({});  // the back of the last sheet stays blank
                ++pageCount;
            }
            manifest += std::to_string(++sequence) + "," + format + "," + csvField(l.item.caseReference) + "," +
                        csvField(l.customer.reference) + "," + csvField(l.item.documentKey) + "," +
                        std::to_string(l.pages) + "," + std::to_string(l.firstPage) + "," + csvField(l.postcode) +
                        "," + csvField(file) + "\n";
            report.printed.push_back({l.item.caseReference, l.customer.reference, l.item.documentKey, format, l.postcode,
                                      l.pages, l.firstPage});
            // The Document is kept only for Braille and audio.
            if (l.customer.formats.empty()) l.doc = {};
        }
        finishFile();
    }
    // Braille and audio beside the print, as the customer's formats ask
    // (pdf::planFormats); a format that cannot be made is noted on the case.
    const auto& accessible = _printing.settings();
    for (const Letter& l : letters) {
        if (l.failed || l.customer.formats.empty()) continue;
        const auto plan = pdf::planFormats(l.doc, l.customer.formats, {accessible.braille, accessible.audio, {}});
        const auto written = pdf::writeFormatFiles(_settings.output, report.run, sequence + 1, l.item.caseReference, plan);
        if (!written.empty()) ++sequence;
        for (std::size_t i = 0; i < written.size(); ++i)
            manifest += std::to_string(sequence) + "," + plan.files[i].format + "," + csvField(l.item.caseReference) +
                        "," + csvField(l.customer.reference) + "," + csvField(l.item.documentKey) + ",,," +
                        csvField(l.postcode) +
                        "," + csvField(written[i]) + "\n";
        for (const auto& f : plan.shortfalls) {
            const std::string note = f.format + " not made (" + f.reason + "); send " + f.substitute + " instead";
            report.shortfalls.push_back({l.item.caseReference, note});
            if (auto c = _store.findCase(l.item.caseReference))
                _store.updateCase(*c, {engine::CaseEvent{0, engine::EventType::Note, now, "duly", note}});
        }
    }
    report.manifest = _settings.output / (report.run + "-manifest.csv");
    engine::writePrivateFileAtomically(report.manifest, manifest);

    // Every file is on disk: now the letters are printed. A hundred marks
    // to a transaction, not one each.
    engine::CaseService cases(_store, _charters);
    constexpr std::size_t kMarksPerBatch = 100;
    std::vector<std::size_t> toMark;  // in print order
    for (const std::size_t i : order)
        if (!letters[i].failed) toMark.push_back(i);
    for (std::size_t start = 0; start < toMark.size(); start += kMarksPerBatch) {
        auto writes = _ledger.beginBatch();
        for (std::size_t k = start; k < std::min(toMark.size(), start + kMarksPerBatch); ++k) {
            Letter& l = letters[toMark[k]];
            _ledger.markPrinted(l.item.id, now, l.archived,
                                "printed in " + report.run + " (" + l.format + ", page " + std::to_string(l.firstPage) +
                                    ")");
            std::string().swap(l.archived);
            // A printed acknowledgement is a sent one, as a delivered email is.
            if (l.acknowledges) {
                try {
                    cases.acknowledge(l.item.caseReference, now, "duly");
                } catch (const InputError&) {
                    // Acknowledged meanwhile (an officer, or another run), or
                    // closed since it was read: nothing to add.
                }
            }
        }
        writes->commit();
    }
    return report;
}

}  // namespace duly::flow
