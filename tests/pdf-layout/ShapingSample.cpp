// pdf_shaping_sample OUT.pdf SIZE TEXT: writes one line of right-to-left
// Urdu TEXT at SIZE points through ParagraphLayout and PdfDocument, for the
// raster comparison with hb-view in letters.sh. Exit 2 with a message for
// bad arguments.
#include "duly/pdf/FontSet.h"
#include "duly/pdf/PageContent.h"
#include "duly/pdf/ParagraphLayout.h"
#include "duly/pdf/PdfDocument.h"

#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: pdf_shaping_sample OUT.pdf SIZE TEXT\n";
        return 2;
    }
    const double size = std::stod(argv[2]);
    duly::pdf::FontSet fonts{duly::pdf::FontFiles{}};
    duly::pdf::ParagraphLayout layout(fonts);
    duly::engine::Line line;
    line.lang = "ur";
    line.dir = duly::engine::Direction::Rtl;
    line.runs.push_back({argv[3], "ur", duly::engine::Direction::Rtl, false});
    const duly::pdf::LaidLine l = layout.layoutSingle(line, {size, false});
    duly::pdf::PageContent page;
    for (const auto& r : l.runs) page.runs.push_back({r, 40, 500});
    duly::pdf::PdfDocument pdf(fonts);
    pdf.addPage(page);
    const std::string bytes = pdf.write({});
    std::ofstream(argv[1], std::ios::binary) << bytes;
    return 0;
}
