// PrintRun against a real store, the shipped templates and fonts and the
// signing tests' throwaway PKI: two runs at once print each letter once; a
// letter that cannot be printed is put back with its reason while the
// others print; the manifest names each letter once with its case; the
// print files and each letter's own signed PDF read back as PDF.
#include "duly/flow/PrintRun.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Correspondence.h"
#include "duly/engine/Renderer.h"
#include "duly/pdf/PdfReader.h"
#include "duly/pdf/PdfVerifier.h"
#include "duly/store/SqliteCaseStore.h"

#include "../pdf-sign/TestPki.h"
#include "../support/SampleStore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using namespace duly::engine;
using duly::flow::LetterPrinting;
using duly::flow::PrintRun;
using duly::flow::PrintRunReport;
using duly::flow::PrintRunSettings;
using duly::pdf::test::TestPki;
namespace fs = std::filesystem;

namespace {

const Instant kQueued = parseRfc3339("2026-11-23T10:05:00Z");
const Instant kNow = parseRfc3339("2026-11-23T16:00:00Z");

// The rows of a manifest, each a list of its fields (no field here is quoted).
std::vector<std::vector<std::string>> csvRows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::string field;
        std::istringstream l(line);
        while (std::getline(l, field, ',')) fields.push_back(field);
        if (line.back() == ',') fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

// The page count a PDF's page tree gives, read back with pdf/PdfReader.
std::int64_t pageCount(const std::string& pdfBytes) {
    duly::pdf::PdfReader reader(pdfBytes);
    const auto catalog = reader.resolve(*reader.trailer().find("Root"));
    const auto pages = reader.resolve(*catalog.find("Pages"));
    return reader.resolve(*pages.find("Count")).integerValue();
}

class PrintRunTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = duly::testsupport::freshTestFolder("print-run");
        _store = duly::testsupport::sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _renderer = std::make_unique<Renderer>(DULY_SOURCE_HOME);
    }
    void TearDown() override { fs::remove_all(_dir); }

    // A new case for `customer` with a letter queued for the post; returns
    // the case reference.
    std::string queueLetter(const std::string& customer, const std::string& templateName = "acknowledgement",
                            LetterDetails details = {}, const std::string& documentKey = "acknowledgement") {
        const std::string reference = _store->reserveReference("PHG", 2026);
        Case c = duly::testsupport::sampleCase(reference, Channel::Letter, customer, {"<" + reference + "@example.org>"});
        details.date = kQueued;
        OutboundMessage m;
        m.caseReference = c.reference;
        m.documentKey = documentKey;
        m.route = OutboundMessage::Route::Post;
        m.messageKey = c.reference + "/" + documentKey;
        m.recipient = customer;
        m.bytes = LetterOrder{templateName, details}.serialize();
        m.queuedAt = kQueued;
        m.nextAttemptAt = kQueued;
        _store->createCaseWithMessages(c, "raw", {m});
        return c.reference;
    }

    PrintRunSettings settings(const std::string& folder) {
        PrintRunSettings s;
        s.output = _dir / folder;
        return s;
    }

    // The one post item of a case.
    OutboundMessage postItem(const std::string& reference) {
        for (auto& m : _store->outbound(reference))
            if (m.route == OutboundMessage::Route::Post) return m;
        ADD_FAILURE() << reference << " has no letter";
        return {};
    }

    fs::path _dir;
    std::unique_ptr<duly::store::SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Renderer> _renderer;
};

TEST_F(PrintRunTest, TwoRunsAtOnceOverTheSameStorePrintEachLetterOnce) {
    std::set<std::string> queued;
    for (int i = 0; i < 4; ++i)
        for (const char* customer : {"C10002", "C10003", "C10004"}) queued.insert(queueLetter(customer));
    // Two print runs, as two processes would be: each its own connection to
    // the store, its own renderer and printer, taking three letters a run
    // until none is left.
    auto printAll = [&](const std::string& folder, std::vector<std::string>& printed) {
        duly::store::SqliteCaseStore store(duly::testsupport::storeAt(_dir / "duly.db"));
        CharterBook charters(DULY_SOURCE_HOME);
        Renderer renderer(DULY_SOURCE_HOME);
        LetterPrinting printing(renderer, DULY_SOURCE_HOME, std::nullopt);
        auto s = settings(folder);
        s.limit = 3;
        for (int run = 0; run < 10; ++run) {
            s.output = _dir / (folder + std::to_string(run));
            PrintRun printRun(store, store, charters, renderer, printing, s);
            const PrintRunReport report = printRun.run(kNow, std::chrono::floor<std::chrono::seconds>(kNow));
            if (report.run.empty()) break;
            EXPECT_TRUE(report.notPrinted.empty());
            for (const auto& l : report.printed) printed.push_back(l.caseReference);
        }
    };
    std::vector<std::string> a, b;
    std::thread first([&] { printAll("a", a); });
    std::thread second([&] { printAll("b", b); });
    first.join();
    second.join();
    std::multiset<std::string> all(a.begin(), a.end());
    all.insert(b.begin(), b.end());
    EXPECT_EQ(all.size(), queued.size());
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), queued);
    for (const auto& ref : queued) {
        EXPECT_EQ(all.count(ref), 1u) << ref;
        const auto m = postItem(ref);
        EXPECT_EQ(m.state, OutboundMessage::State::Delivered) << ref;
        EXPECT_EQ(m.bytes.rfind("%PDF-", 0), 0u) << ref << ": the printed letter is kept as its PDF";
    }
}

TEST_F(PrintRunTest, ALetterThatCannotBeRenderedIsPutBackWithItsReasonAndTheOthersPrint) {
    const std::string good1 = queueLetter("C10002");
    const std::string unknown = queueLetter("C10004", "no-such-template", {}, "holding-reply");
    const std::string empty = queueLetter("C10003", "reply", {}, "reply");
    const std::string good2 = queueLetter("C10004");
    LetterPrinting printing(*_renderer, DULY_SOURCE_HOME, std::nullopt);
    PrintRun printRun(*_store, *_store, *_charters, *_renderer, printing, settings("print"));
    const auto report = printRun.run(kNow, std::chrono::floor<std::chrono::seconds>(kNow));

    ASSERT_EQ(report.printed.size(), 2u);
    std::set<std::string> printed;
    for (const auto& l : report.printed) printed.insert(l.caseReference);
    EXPECT_EQ(printed, (std::set<std::string>{good1, good2}));
    ASSERT_EQ(report.notPrinted.size(), 2u);
    EXPECT_EQ(report.notPrinted[0].messageKey, unknown + "/holding-reply");
    EXPECT_EQ(report.notPrinted[0].reason, "the queued letter cannot be read (it names no known template)");
    EXPECT_EQ(report.notPrinted[1].messageKey, empty + "/reply");
    EXPECT_EQ(report.notPrinted[1].reason, "the reply has no text (it was queued without the officer's words)");
    // Kept aside, still queued, and not due again for a day.
    const auto put = postItem(empty);
    EXPECT_EQ(put.state, OutboundMessage::State::Queued);
    EXPECT_EQ(put.nextAttemptAt, kNow + std::chrono::hours{24});
    EXPECT_EQ(put.lastResult, "not printed: the reply has no text (it was queued without the officer's words)");
    EXPECT_EQ(postItem(unknown).state, OutboundMessage::State::Queued);
    EXPECT_EQ(postItem(good1).state, OutboundMessage::State::Delivered);

    PrintRun again(*_store, *_store, *_charters, *_renderer, printing, settings("again"));
    EXPECT_TRUE(again.run(kNow + std::chrono::minutes{5}, std::chrono::floor<std::chrono::seconds>(kNow)).run.empty());
}

TEST_F(PrintRunTest, TheManifestListsEachLetterOnceWithItsCaseInPrintOrder) {
    // C10002 PR25 4QP (Cantonese), C10003 PR25 2SD (large print), C10004 PR25 3NN, C10005 PR5 6QR.
    const std::string lee = queueLetter("C10002"), whittaker = queueLetter("C10003"),
                      fairclough = queueLetter("C10004"), butler = queueLetter("C10005");
    LetterPrinting printing(*_renderer, DULY_SOURCE_HOME, std::nullopt);
    PrintRun printRun(*_store, *_store, *_charters, *_renderer, printing, settings("print"));
    const auto report = printRun.run(kNow, std::chrono::floor<std::chrono::seconds>(kNow));
    ASSERT_TRUE(report.notPrinted.empty());
    EXPECT_EQ(report.run, "print-run-20261123-160000");
    EXPECT_EQ(report.manifest, _dir / "print" / "print-run-20261123-160000-manifest.csv");

    const auto text = duly::testsupport::readFile(report.manifest);
    EXPECT_EQ(text.substr(0, text.find('\n')), "sequence,format,case,customer,document,pages,first_page,postcode,file");
    const auto rows = csvRows(text);
    ASSERT_EQ(rows.size(), 4u);
    // Standard letters first, each format in postcode order (PR5 before PR25).
    const std::vector<std::vector<std::string>> expected = {
        {"1", "standard", butler, "C10005", "acknowledgement", "1", "1", "PR5 6QR", "print-run-20261123-160000-standard.pdf"},
        {"2", "standard", fairclough, "C10004", "acknowledgement", "1", "3", "PR25 3NN", "print-run-20261123-160000-standard.pdf"},
        {"3", "standard", lee, "C10002", "acknowledgement", "1", "5", "PR25 4QP", "print-run-20261123-160000-standard.pdf"},
        {"4", "large-print", whittaker, "C10003", "acknowledgement", "2", "1", "PR25 2SD",
         "print-run-20261123-160000-large-print.pdf"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 9u) << i;
        // Pages and first pages depend on the fonts' metrics: checked against the files below.
        EXPECT_EQ(rows[i][0], expected[i][0]);
        EXPECT_EQ(rows[i][1], expected[i][1]);
        EXPECT_EQ(rows[i][2], expected[i][2]);
        EXPECT_EQ(rows[i][3], expected[i][3]);
        EXPECT_EQ(rows[i][4], expected[i][4]);
        EXPECT_EQ(rows[i][7], expected[i][7]);
        EXPECT_EQ(rows[i][8], expected[i][8]);
        EXPECT_EQ(rows[i][5], std::to_string(report.printed[i].pages));
        EXPECT_EQ(rows[i][6], std::to_string(report.printed[i].firstPage));
    }
    // Each letter starts on a new sheet.
    for (const auto& l : report.printed) EXPECT_EQ(l.firstPage % 2, 1u) << l.caseReference;
    // Each case's letter names the run and where in it the letter is.
    EXPECT_EQ(postItem(fairclough).lastResult, "printed in print-run-20261123-160000 (standard, page 3)");
    // A printed acknowledgement is a sent one.
    EXPECT_TRUE(_store->findCase(lee)->acknowledgedAt);
}

TEST_F(PrintRunTest, ThePrintFilesAndEachSignedLetterReadBackAsPdf) {
    for (const char* customer : {"C10001", "C10002", "C10003", "C10004"}) queueLetter(customer);
    LetterPrinting printing(*_renderer, DULY_SOURCE_HOME,
                            duly::flow::LetterSigning{TestPki::file("rsa.p12"), TestPki::file("password.txt"), "Test"});
    PrintRun printRun(*_store, *_store, *_charters, *_renderer, printing, settings("print"));
    const auto signedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto report = printRun.run(kNow, signedAt);
    ASSERT_TRUE(report.notPrinted.empty());
    EXPECT_TRUE(report.signedLetters);
    ASSERT_EQ(report.files.size(), 2u);

    // Each format's file has every page the manifest counts, blank backs included.
    std::map<std::string, std::int64_t> sheets;
    for (const auto& l : report.printed) sheets[l.format] += std::int64_t((l.pages + 1) / 2 * 2);
    EXPECT_EQ(pageCount(duly::testsupport::readFile(report.files[0])), sheets["standard"]);
    EXPECT_EQ(pageCount(duly::testsupport::readFile(report.files[1])), sheets["large-print"]);

    // Each letter's own PDF, kept on its case: the same pages, signed and valid.
    const duly::pdf::PdfVerifier verifier(duly::pdf::TrustAnchors::fromPemFile(TestPki::file("ca.pem")));
    for (const auto& l : report.printed) {
        const auto kept = postItem(l.caseReference).bytes;
        EXPECT_EQ(pageCount(kept), std::int64_t(l.pages)) << l.caseReference;
        const auto check = verifier.verify(kept);
        EXPECT_TRUE(check.valid()) << l.caseReference << ": " << check.structureError;
        EXPECT_NE(kept.find("/StructTreeRoot"), std::string::npos) << l.caseReference << ": its own file is tagged";
    }
}

}  // namespace
