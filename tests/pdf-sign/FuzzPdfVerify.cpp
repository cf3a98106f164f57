// fuzz_pdf_verify: libFuzzer target for everything that reads untrusted PDF
// bytes on the verifying side: PdfReader (cross-references, hybrid files,
// object streams, Flate, predictors), PdfParser and PdfVerifier. Any crash,
// sanitizer report or exception other than PdfFormatError is a bug, and so
// is a reader that decodes more than its per-file limit allows. Built with
// clang beside the tests (tests/pdf-sign/CMakeLists.txt); scripts/test runs
// it from fuzz-seeds/ for a bounded time:
//   build-fuzz/tests/pdf-sign/fuzz_pdf_verify -max_len=131072 CORPUS_DIR tests/pdf-sign/fuzz-seeds
#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfReader.h"
#include "duly/pdf/PdfVerifier.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)duly::pdf::PdfVerifier().verify(bytes);
    try {
        duly::pdf::PdfReader reader(bytes);
        const duly::pdf::PdfObject* root = reader.trailer().find("Root");
        if (root && root->isReference()) (void)reader.object(root->ref());
        for (std::uint32_t n = 1; n < 16 && n < reader.size(); ++n) {
            (void)reader.object({n, 0});
            try {
                (void)reader.stream({n, 0});
            } catch (const duly::pdf::PdfFormatError&) {
            }
        }
        if (reader.decodedBytes() > duly::pdf::PdfReadLimits{}.maxDecodedBytes) std::abort();
    } catch (const duly::pdf::PdfFormatError&) {
    }
    return 0;
}
