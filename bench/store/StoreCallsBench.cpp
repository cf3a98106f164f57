// bench_store_calls: the cost of one store call as the mail watcher makes
// them, on SQLite: CaseStore::findCase on a case with items, events, an
// extension and a date given, and the ingest write (reserveReference then
// createCaseWithMessages with one acknowledgement queued). Measures what the
// prepared-statement cache (store/src/SqliteStatements.h) saves against
// preparing every statement again. The store is a temporary file with
// synchronous=FULL as in production, so the write figure includes fsync;
// the second write figure runs inside a write batch committed once per 100
// calls, as `duly watch` batches its writes. Exits 1 with a
// message when the store cannot be opened.
#include "duly/engine/MailLedger.h"
#include "duly/store/SqliteCaseStore.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

using namespace duly::engine;
using duly::store::SqliteCaseStore;

namespace {

std::unique_ptr<SqliteCaseStore> gStore;
std::string gReference;
long long gNext = 0;

const Instant kReceived{std::chrono::seconds{1795428000}};  // 2026-11-23T10:00:00Z

Case sampleCase() {
    Case c;
    c.charter = "progress";
    c.channel = Channel::Email;
    c.kind = Kind::ComplaintStage1;
    c.customerRef = "C1";
    c.officerId = "o1";
    c.subject = "Damp, again";
    c.received = kReceived;
    c.countedFrom = std::chrono::floor<std::chrono::days>(kReceived);
    c.acknowledgeBy = kReceived + std::chrono::hours(24 * 5);
    c.respondBy = kReceived + std::chrono::hours(24 * 20);
    const std::string source = "<m" + std::to_string(++gNext) + "@example.org>";
    c.items.push_back(Item{0, Channel::Email, c.received, "Damp, again", "It is back, in the bedroom this time.",
                           source, "a@example.org"});
    c.events.push_back({0, EventType::Received, c.received, "duly", "email"});
    c.events.push_back({0, EventType::Assigned, c.received, "duly", "o1"});
    return c;
}

Case ingest() {
    Case c = sampleCase();
    c.reference = gStore->reserveReference("BEN", 2026);
    OutboundMessage m;
    m.caseReference = c.reference;
    m.documentKey = "acknowledgement";
    m.messageKey = "<ack-" + c.reference + "@duly.example.org>";
    m.recipient = "a@example.org";
    m.bytes = std::string(4000, 'x');
    m.queuedAt = m.nextAttemptAt = kReceived;
    return gStore->createCaseWithMessages(c, "From: a@example.org\r\n\r\nIt is back.\r\n", {m});
}

void findCase(benchmark::State& state) {
    for (auto _ : state) {
        auto c = gStore->findCase(gReference);
        benchmark::DoNotOptimize(c);
    }
}

void ingestOneByOne(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(ingest());
}

void ingestInBatches(benchmark::State& state) {
    const long long batchSize = 100;
    std::unique_ptr<WriteBatch> batch;
    long long n = 0;
    for (auto _ : state) {
        if (!batch) batch = gStore->beginBatch();
        benchmark::DoNotOptimize(ingest());
        if (++n % batchSize == 0) {
            batch->commit();
            batch.reset();
        }
    }
    if (batch) batch->commit();
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    const auto temp = std::filesystem::temp_directory_path() /
                      ("duly-bench-calls-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    try {
        gStore = std::make_unique<SqliteCaseStore>(temp / "duly.db");
        Case c = ingest();
        Case changed = c;
        changed.extensions.push_back(Extension{1, 10, "waiting for a surveyor", c.respondBy, c.respondBy, "o1", kReceived});
        changed.datesGiven.push_back(DateGiven{"acknowledgement", *c.respondBy, kReceived});
        gStore->updateCase(changed, {{0, EventType::Note, kReceived, "o1", "called the customer"}});
        gReference = c.reference;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_store_calls: %s\n", e.what());
        std::filesystem::remove_all(temp);
        return 1;
    }
    benchmark::RegisterBenchmark("findCase", findCase)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("ingest/createCaseWithMessages", ingestOneByOne)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("ingest/createCaseWithMessages/batch100", ingestInBatches)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    gStore.reset();
    std::filesystem::remove_all(temp);
    return 0;
}
