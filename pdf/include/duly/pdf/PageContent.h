// PageContent: what a laid-out page holds before it is written as PDF —
// glyph runs (the glyphs HarfBuzz chose, by face), words of the invisible
// text layer, rules and images — in points from the page's bottom left
// corner. Plain data: LetterWriter fills it, PdfDocument writes it.
#pragma once

#include "duly/pdf/ParagraphLayout.h"

#include <string>
#include <vector>

namespace duly::pdf {

struct PlacedRun {
    GlyphRun run;
    double x = 0, y = 0;  // the line's left end on the baseline
};

struct PlacedWords {
    std::vector<TextWord> words;
    double x = 0, y = 0, size = 11;
    std::string lang;  // BCP 47, marked on the text for screen readers
    int element = -1;  // structure element (PdfDocument::addElement); -1: an artifact (page numbers)
};

struct Rule {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double width = 0.5;
    double grey = 0.0;  // 0 black … 1 white
    bool box = false;   // a rectangle with corners (x0, y0) and (x1, y1)
};

struct PlacedImage {
    int image = -1;  // index into PdfDocument's images
    double x = 0, y = 0, width = 0, height = 0;
    int element = -1;  // a Figure structure element with alternative text; -1: an artifact
};

struct PageContent {
    std::vector<PlacedRun> runs;
    std::vector<PlacedWords> words;
    std::vector<Rule> rules;
    std::vector<PlacedImage> images;
};

}  // namespace duly::pdf
