// bench_store: how long CaseStore::dueActions takes in-process on a large
// store (goal: well under 50 ms for one officer among 1,000,000 cases).
// With DULY_BENCH_DB set it opens that store (e.g. the one
// fill-and-query.sh filled); otherwise it fills a temporary store itself with
// DULY_BENCH_CASES cases (default 1,000,000) across DULY_BENCH_OFFICERS
// officers (default 500), in one transaction of generated rows, and prints
// how long that took. Exits 1 with a message when the store cannot be
// opened or filled.
#include "duly/store/SqliteCaseStore.h"

#include <Poco/Data/Session.h>
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

using namespace Poco::Data::Keywords;
using duly::engine::Instant;
using duly::store::SqliteCaseStore;

namespace {

std::unique_ptr<SqliteCaseStore> gStore;

// 2026-11-23T10:00:00Z, the "now" of the figures (the same as the script's).
const Instant kNow{std::chrono::seconds{1795428000}};

long long envNumber(const char* name, long long fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return fallback;
    char* end = nullptr;
    const long long n = std::strtoll(v, &end, 10);
    if (*end != '\0' || n <= 0 || n > 100'000'000) {
        std::fprintf(stderr, "bench_store: %s must be a whole number from 1 to 100000000, not \"%s\"\n", name, v);
        std::exit(1);
    }
    return n;
}

// A third of the cases open; times spread over the two years before
// 2027-01-15; one in ten a complaint with an acknowledgement deadline. The
// same shape as fill-and-query.sh, so the figures compare.
void fill(SqliteCaseStore& store, Poco::Int64 cases, Poco::Int64 officers) {
    std::lock_guard lock(store.mutex());
    auto& s = store.session();
    s << "PRAGMA synchronous = OFF", now;  // a benchmark's data, not a customer's
    s << "BEGIN IMMEDIATE", now;
    s << "INSERT INTO officers (id, name, position, email, phone, team, manager_id, role)"
         " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)"
         " SELECT 'officer' || i, 'Officer ' || i, 'Customer Services Officer', 'officer' || i || '@example.org',"
         " '', 'team' || (i % 20), '', 'officer' FROM n",
        use(officers), now;
    s << "INSERT INTO cases (reference, charter, channel, kind, state, customer_ref, officer_id, subject, received,"
         " counted_from, acknowledge_by, respond_by, holding_reply_by, acknowledged_at, replied_at, extension_days)"
         " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
         " SELECT printf('BEN-2026-%07d', i), 'progress',"
         " CASE i % 4 WHEN 0 THEN 'letter' WHEN 1 THEN 'email' WHEN 2 THEN 'web' ELSE 'phone-message' END,"
         " CASE WHEN i % 10 = 0 THEN 'complaint-stage-1' ELSE 'enquiry' END,"
         " CASE WHEN i % 3 = 0 THEN 'open' ELSE 'closed' END,"
         " 'C' || (i % 50000), 'officer' || (i % ?), 'Benchmark case ' || i,"
         " 1800000000 - (i * 63) % 63072000, '2026-11-23',"
         " CASE WHEN i % 10 = 0 THEN 1800000000 - (i * 63) % 63072000 + 432000 END,"
         " 1800000000 - (i * 63) % 63072000 + 604800,"
         " 1800000000 - (i * 63) % 63072000 + 518400,"
         " CASE WHEN i % 10 = 0 AND i % 3 <> 0 THEN 1800000000 - (i * 63) % 63072000 + 3600 END,"
         " CASE WHEN i % 3 <> 0 THEN 1800000000 - (i * 63) % 63072000 + 400000 END,"
         " 0 FROM n",
        use(cases), use(officers), now;
    s << "COMMIT", now;
    s << "ANALYZE", now;
    s << "PRAGMA synchronous = FULL", now;
}

void dueForOneOfficer(benchmark::State& state) {
    std::size_t listed = 0;
    for (auto _ : state) {
        auto actions = gStore->dueActions(std::string("officer42"), std::nullopt);
        listed = actions.size();
        benchmark::DoNotOptimize(actions);
    }
    state.counters["actions"] = static_cast<double>(listed);
}

void overdueForOneOfficer(benchmark::State& state) {
    std::size_t listed = 0;
    for (auto _ : state) {
        auto actions = gStore->dueActions(std::string("officer42"), kNow);
        listed = actions.size();
        benchmark::DoNotOptimize(actions);
    }
    state.counters["actions"] = static_cast<double>(listed);
}

void mostUrgentFiftyOfAll(benchmark::State& state) {
    std::size_t listed = 0;
    for (auto _ : state) {
        auto actions = gStore->dueActions(std::nullopt, std::nullopt, 50);
        listed = actions.size();
        benchmark::DoNotOptimize(actions);
    }
    state.counters["actions"] = static_cast<double>(listed);
}

void newestFifty(benchmark::State& state) {
    for (auto _ : state) {
        auto cases = gStore->listCases({std::nullopt, std::nullopt, std::nullopt, 50});
        benchmark::DoNotOptimize(cases);
    }
}

void openCasesOfOneOfficer(benchmark::State& state) {
    std::size_t listed = 0;
    for (auto _ : state) {
        auto cases = gStore->listCases({std::string("officer42"), duly::engine::CaseState::Open, std::nullopt, 0});
        listed = cases.size();
        benchmark::DoNotOptimize(cases);
    }
    state.counters["cases"] = static_cast<double>(listed);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    std::filesystem::path temp;
    try {
        if (const char* db = std::getenv("DULY_BENCH_DB"); db != nullptr && *db != '\0') {
            gStore = std::make_unique<SqliteCaseStore>(db);
            std::printf("store %s: %zu cases\n", db, gStore->caseCount());
        } else {
            const auto cases = envNumber("DULY_BENCH_CASES", 1'000'000);
            const auto officers = envNumber("DULY_BENCH_OFFICERS", 500);
            temp = std::filesystem::temp_directory_path() /
                   ("duly-bench-store-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
            gStore = std::make_unique<SqliteCaseStore>(temp / "duly.db");
            const auto start = std::chrono::steady_clock::now();
            fill(*gStore, cases, officers);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            std::printf("filled %lld cases across %lld officers in %.1f s (one transaction, generated rows)\n", cases,
                        officers, took.count());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_store: %s\n", e.what());
        if (!temp.empty()) std::filesystem::remove_all(temp);
        return 1;
    }
    benchmark::RegisterBenchmark("dueActions/officer42", dueForOneOfficer)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("dueActions/officer42/overdue", overdueForOneOfficer)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("dueActions/all/limit50", mostUrgentFiftyOfAll)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("listCases/newest50", newestFifty)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("listCases/officer42/open", openCasesOfOneOfficer)->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    gStore.reset();
    if (!temp.empty()) std::filesystem::remove_all(temp);
    return 0;
}
