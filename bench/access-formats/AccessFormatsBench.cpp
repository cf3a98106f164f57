// Braille (liblouis) and audio (espeak-ng, Opus) letters per second on one
// core, from an already rendered acknowledgement in English, Urdu and
// Cantonese; the counters give the size of each file and, for audio, its
// length in seconds. Rendering the Document is not counted (bench/render).
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/pdf/AudioWriter.h"
#include "duly/pdf/BrailleWriter.h"

#include <benchmark/benchmark.h>

#include <map>
#include <string>

namespace {

const duly::engine::Document& acknowledgement(const std::string& locale) {
    static duly::engine::Renderer r{DULY_SOURCE_HOME};
    static std::map<std::string, duly::engine::Document> docs;
    auto it = docs.find(locale);
    if (it == docs.end())
        it = docs.emplace(locale, r.render("acknowledgement", locale, "standard",
                                           duly::engine::sampleContext("acknowledgement"))).first;
    return it->second;
}

const char* const kLocales[] = {"en-GB", "ur", "yue-Hant"};

void Braille(benchmark::State& state) {
    const auto& doc = acknowledgement(kLocales[state.range(0)]);
    state.SetLabel(kLocales[state.range(0)]);
    size_t bytes = 0;
    int pages = 0;
    for (auto _ : state) {
        auto letter = duly::pdf::writeBraille(doc);
        bytes = letter.brf.size();
        pages = letter.pages;
        benchmark::DoNotOptimize(letter);
    }
    state.counters["bytes"] = double(bytes);
    state.counters["pages"] = pages;
}
BENCHMARK(Braille)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

void Audio(benchmark::State& state) {
    const auto& doc = acknowledgement(kLocales[state.range(0)]);
    const auto container = state.range(1) ? duly::pdf::AudioContainer::Wav : duly::pdf::AudioContainer::OggOpus;
    state.SetLabel(std::string(kLocales[state.range(0)]) + (state.range(1) ? " wav" : " ogg"));
    size_t bytes = 0;
    double seconds = 0;
    for (auto _ : state) {
        auto letter = duly::pdf::writeAudio(doc, container);
        bytes = letter.bytes.size();
        seconds = letter.seconds();
        benchmark::DoNotOptimize(letter);
    }
    state.counters["bytes"] = double(bytes);
    state.counters["seconds"] = seconds;
}
BENCHMARK(Audio)->ArgsProduct({{0, 1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
