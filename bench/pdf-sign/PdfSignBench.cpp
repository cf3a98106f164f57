// bench_pdf_sign: what signing costs per letter. Signs a one-page letter of
// about 25 KB (the size of a letter with subset fonts) with RSA-2048 and
// ECDSA P-256 identities, on one thread and on two, and reports the time
// per letter and the bytes the signature adds; also times verification and
// loading the PKCS#12 file (done once per print run).
#include "TestPdf.h"
#include "TestPki.h"

#include "duly/pdf/PdfSigner.h"
#include "duly/pdf/PdfVerifier.h"
#include "duly/pdf/SigningIdentity.h"

#include <benchmark/benchmark.h>

using namespace duly::pdf;
using duly::pdf::test::TestPki;

namespace {

const SigningIdentity& identity(int kind) {
    static const SigningIdentity rsa = SigningIdentity::fromFiles(TestPki::file("rsa.p12"), TestPki::file("password.txt"));
    static const SigningIdentity ec = SigningIdentity::fromFiles(TestPki::file("ec.p12"), TestPki::file("password.txt"));
    return kind == 0 ? rsa : ec;
}

const std::string& letter() {
    static const std::string pdf = [] {
        duly::pdf::test::TestPdfOptions o;
        o.text.clear();
        while (o.text.size() < 24'000) o.text += "We will repair the back door on Tuesday 8 December between 8am and 1pm. ";
        return duly::pdf::test::makeTestPdf(o);
    }();
    return pdf;
}

SignatureRequest request() {
    SignatureRequest r;
    r.time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    r.reason = "Letter from Progress Housing Group";
    return r;
}

void BM_Sign(benchmark::State& state) {
    const PdfSigner signer(identity(static_cast<int>(state.range(0))));
    const SignatureRequest r = request();
    std::size_t added = 0;
    for (auto _ : state) {
        std::string out = signer.sign(letter(), r);
        added = out.size() - letter().size();
        benchmark::DoNotOptimize(out);
    }
    state.SetLabel(signer.identity().keyDescription() + ", letter " + std::to_string(letter().size()) + " bytes");
    state.counters["bytes_added"] = benchmark::Counter(static_cast<double>(added), benchmark::Counter::kAvgThreads);
    state.counters["letters_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sign)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Sign)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(2);

void BM_Verify(benchmark::State& state) {
    const PdfSigner signer(identity(static_cast<int>(state.range(0))));
    const std::string signedPdf = signer.sign(letter(), request());
    const PdfVerifier verifier(TrustAnchors::fromPemFile(TestPki::file("ca.pem")));
    for (auto _ : state) {
        auto report = verifier.verify(signedPdf);
        if (!report.valid()) state.SkipWithError("signature not valid");
        benchmark::DoNotOptimize(report);
    }
    state.SetLabel(signer.identity().keyDescription());
}
BENCHMARK(BM_Verify)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_LoadPkcs12(benchmark::State& state) {
    const std::string der = TestPki::read(TestPki::file(state.range(0) == 0 ? "rsa.p12" : "ec.p12"));
    for (auto _ : state) {
        auto id = SigningIdentity::fromPkcs12(der, TestPki::password(), "bench");
        benchmark::DoNotOptimize(id);
    }
}
BENCHMARK(BM_LoadPkcs12)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
