// fuzz_pdf_sign: libFuzzer target for the signer's reading of a foreign PDF:
// PdfSigner::sign over arbitrary bytes with the test PKI's ECDSA identity
// (made once by make-test-pki.sh, as the unit tests do). Refusing the input
// with InputError (PdfFormatError is one) is expected; a crash, sanitizer
// report or any other exception is a bug. When the signer accepts a file,
// the signature it added must verify: the verifier must find a signature
// whose byte range ends at the end of the output, covering everything but
// its /Contents, with a matching digest and a valid CMS signature.
#include "TestPki.h"

#include "duly/engine/InputError.h"
#include "duly/pdf/PdfSigner.h"
#include "duly/pdf/PdfVerifier.h"
#include "duly/pdf/SigningIdentity.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

const duly::pdf::SigningIdentity& identity() {
    using duly::pdf::test::TestPki;
    static const duly::pdf::SigningIdentity id =
        duly::pdf::SigningIdentity::fromFiles(TestPki::file("ec.p12"), TestPki::file("password.txt"));
    return id;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)identity();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    duly::pdf::SignatureRequest request;
    request.reason = "Fuzzing";
    request.time = identity().notBefore() + std::chrono::hours(1);
    std::string out;
    try {
        out = duly::pdf::PdfSigner(identity()).sign(bytes, request);
    } catch (const duly::engine::InputError&) {
        return 0;
    }
    const auto report = duly::pdf::PdfVerifier().verify(out);
    for (const auto& s : report.signatures) {
        if (s.byteRange[2] + s.byteRange[3] != out.size()) continue;
        if (s.byteRangeCoversAllButContents && s.bytesAfter == 0 && s.digestMatches && s.signatureValid) return 0;
        std::fprintf(stderr, "the signature added does not verify:\n");
        for (const auto& p : s.problems) std::fprintf(stderr, "  %s\n", p.c_str());
        std::abort();
    }
    if (!report.unreadable) {
        // The verifier read the signed file but found no signature ending at its end.
        std::fprintf(stderr, "the signed file has no signature covering it: %s\n", report.structureError.c_str());
        std::abort();
    }
    return 0;
}
