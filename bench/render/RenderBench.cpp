// bench/render: how many acknowledgements one core renders per second, each
// to a Document and then to both text and HTML (what an email needs), in
// English and in Urdu. Goal: 50,000 a second. Prints the figure; never
// asserts on time.
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"

#include <benchmark/benchmark.h>

namespace {

const duly::engine::Renderer& renderer() {
    static const duly::engine::Renderer r(DULY_SOURCE_HOME);
    return r;
}

void renderAcknowledgement(benchmark::State& state, const char* locale) {
    const auto& r = renderer();
    auto ctx = duly::engine::sampleContext("acknowledgement");
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto doc = r.render("acknowledgement", locale, "standard", ctx);
        auto text = duly::engine::writeText(doc);
        auto html = duly::engine::writeHtml(doc);
        bytes += text.size() + html.size();
        benchmark::DoNotOptimize(text);
        benchmark::DoNotOptimize(html);
    }
    state.counters["renders/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_AcknowledgementEnglish(benchmark::State& s) { renderAcknowledgement(s, "en-GB"); }
void BM_AcknowledgementUrdu(benchmark::State& s) { renderAcknowledgement(s, "ur"); }
void BM_AcknowledgementCantonese(benchmark::State& s) { renderAcknowledgement(s, "yue-Hant"); }

// Every render with a different reference, customer and dates, so the
// per-thread caches of formatted messages and dates miss for those.
void BM_AcknowledgementEnglishVaried(benchmark::State& state) {
    const auto& r = renderer();
    auto ctx = duly::engine::sampleContext("acknowledgement");
    auto received = *ctx.find("case.received")->asInstant();
    std::int64_t i = 0;
    for (auto _ : state) {
        ++i;
        ctx.set("case.reference", "PHG-2026-" + std::to_string(10000 + i));
        ctx.set("customer.name", "Customer " + std::to_string(i));
        ctx.set("case.received", received + std::chrono::hours(i));
        ctx.set("case.respond_by", received + std::chrono::hours(i + 300));
        auto doc = r.render("acknowledgement", "en-GB", "standard", ctx);
        benchmark::DoNotOptimize(duly::engine::writeText(doc));
        benchmark::DoNotOptimize(duly::engine::writeHtml(doc));
    }
    state.counters["renders/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AcknowledgementEnglishVaried);

// The two halves of the English figure: rendering alone, writing alone.
void BM_RenderOnly(benchmark::State& state) {
    auto ctx = duly::engine::sampleContext("acknowledgement");
    for (auto _ : state) benchmark::DoNotOptimize(renderer().render("acknowledgement", "en-GB", "standard", ctx));
}
void BM_WriteTextAndHtmlOnly(benchmark::State& state) {
    auto doc = renderer().render("acknowledgement", "en-GB", "standard", duly::engine::sampleContext("acknowledgement"));
    for (auto _ : state) {
        benchmark::DoNotOptimize(duly::engine::writeText(doc));
        benchmark::DoNotOptimize(duly::engine::writeHtml(doc));
    }
}

BENCHMARK(BM_AcknowledgementEnglish);
BENCHMARK(BM_RenderOnly);
BENCHMARK(BM_WriteTextAndHtmlOnly);
BENCHMARK(BM_AcknowledgementUrdu);
BENCHMARK(BM_AcknowledgementCantonese);

}  // namespace

BENCHMARK_MAIN();
