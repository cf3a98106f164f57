// Deadline computation speed (goal: over a million deadlines a second on one
// core). Receipt times are spread over three years so that holidays, weekends
// and both clock changes are all crossed.
#include "duly/engine/CharterFile.h"
#include "duly/engine/Deadlines.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace duly::engine;

namespace {

const Charter& progress() {
    static const Charter c = loadCharter("progress", DULY_SOURCE_HOME);
    return c;
}

std::vector<DeadlineRequest> requests(std::size_t n) {
    std::mt19937_64 rng(42);
    const auto start = parseRfc3339("2025-01-01T00:00:00Z");
    std::uniform_int_distribution<long long> seconds(0, 3LL * 365 * 24 * 3600);
    const Channel channels[] = {Channel::Letter, Channel::Email, Channel::Web, Channel::PhoneMessage};
    const Kind kinds[] = {Kind::Enquiry, Kind::ComplaintStage1, Kind::ComplaintStage2};
    std::vector<DeadlineRequest> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back({channels[i % 4], kinds[(i / 4) % 3], start + std::chrono::seconds{seconds(rng)}, std::nullopt, 0});
    return out;
}

void BM_Deadline(benchmark::State& state) {
    DeadlineCalculator calc(progress());
    auto reqs = requests(4096);
    std::size_t i = 0;
    for (auto _ : state) {
        auto d = calc.compute(reqs[i++ & 4095]);
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Deadline);

void BM_DeadlineComplaintAcknowledgedLater(benchmark::State& state) {
    DeadlineCalculator calc(progress());
    auto reqs = requests(4096);
    for (auto& r : reqs) {
        r.kind = Kind::ComplaintStage1;
        r.acknowledged = r.received + std::chrono::hours{30};
        r.extensionDays = 5;
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto d = calc.compute(reqs[i++ & 4095]);
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DeadlineComplaintAcknowledgedLater);

}  // namespace

BENCHMARK_MAIN();
