// make_test_pdf OUT [classic|xref-stream|object-stream|acroform|hybrid|libharu]: writes one
// of TestPdf.h's test letters for the integration test. Exit 2 on bad use.
#include "HaruPdf.h"
#include "TestPdf.h"

#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_test_pdf OUT classic|xref-stream|object-stream|acroform|hybrid|libharu\n";
        return 2;
    }
    duly::pdf::test::TestPdfOptions o;
    const std::string shape = argv[2];
    if (shape == "xref-stream") o.xrefStream = true;
    else if (shape == "object-stream") o.objectStream = true;
    else if (shape == "acroform") o.acroForm = true;
    else if (shape == "hybrid") o.hybrid = true;
    else if (shape == "libharu") {
        std::ofstream out(argv[1], std::ios::binary);
        out << duly::pdf::test::makeHaruPdf();
        return out ? 0 : 1;
    }
    else if (shape != "classic") {
        std::cerr << "make_test_pdf: unknown shape " << shape << "\n";
        return 2;
    }
    std::ofstream out(argv[1], std::ios::binary);
    out << duly::pdf::test::makeTestPdf(o);
    return out ? 0 : 1;
}
