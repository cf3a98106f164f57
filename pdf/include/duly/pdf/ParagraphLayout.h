// ParagraphLayout: sets one line of a Document (a paragraph, a heading, a
// list item, an address line) as printed lines no wider than a measure.
//   1. the runs are joined, each value from data wrapped in FSI…PDI;
//   2. ICU's bidi algorithm (UAX #9) gives each character its level, with the
//      paragraph direction of the line (Urdu right to left);
//   3. the text is cut into items of one level, one face (by script) and one
//      language, each shaped by HarfBuzz, so the glyphs are HarfBuzz's;
//   4. ICU's line breaker (UAX #14) gives the break opportunities (Chinese
//      between characters); none is taken inside a value from data (a
//      reference, a postcode), none inside an email or web address, and
//      lines are filled greedily; a stretch wider than the measure is cut
//      where it overflows, an address only after its '@', '.' or '/';
//   5. each printed line is reordered (ubidi_setLine, visual runs) and its
//      glyphs placed left to right, with the words of the line kept in
//      visual order for the PDF's invisible text layer, so that text
//      extraction gives the words in logical order.
// Not thread-safe per instance (it caches ICU break iterators); use one per
// thread. Throws nothing for any text: a character no face has is set with
// the preferred face's .notdef glyph.
#pragma once

#include "duly/engine/Document.h"
#include "duly/pdf/FontSet.h"

#include <unicode/brkiter.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace duly::pdf {

struct PlacedGlyph {
    std::uint32_t gid = 0;  // in the face's full font
    double x = 0, y = 0;    // points from the line's left end, y up from the baseline
};

// Glyphs of one face and size, in visual order.
struct GlyphRun {
    const Face* face = nullptr;
    double size = 0;
    std::vector<PlacedGlyph> glyphs;
};

// A word of the text layer: its characters in visual order (as they would
// be read off the page left to right) spread over [x0, x1].
struct TextWord {
    std::u32string text;
    double x0 = 0, x1 = 0;
};

struct LaidLine {
    std::vector<GlyphRun> runs;
    std::vector<TextWord> words;
    double width = 0;        // points, from the left end of the first glyph's pen
    double ascent = 0;       // points above the baseline (largest face used)
    double descent = 0;      // points below it, positive
    double lineHeightEm = 1; // largest face line height used, multiple of the size
    bool rtl = false;        // paragraph direction
};

struct TextStyle {
    double size = 11;
    bool bold = false;
};

class ParagraphLayout {
public:
    explicit ParagraphLayout(const FontSet& fonts);
    ~ParagraphLayout();

    // Lays out `line` in lines at most `maxWidth` points wide. `direction`
    // overrides the line's own when not Auto.
    std::vector<LaidLine> layout(const engine::Line& line, const TextStyle& style, double maxWidth,
                                 engine::Direction direction = engine::Direction::Auto);

    // One line, never broken (a page number, a reference in a header).
    LaidLine layoutSingle(const engine::Line& line, const TextStyle& style);

private:
    icu::BreakIterator& breaker(const std::string& lang);
    const FontSet& _fonts;
    std::map<std::string, std::unique_ptr<icu::BreakIterator>> _breakers;
    // Shaped items by face, direction, language and text (with a character
    // of context each side): letters repeat their template text, and
    // shaping Nastaliq is the costly part of a line.
    struct ShapeCache;
    std::unique_ptr<ShapeCache> _shapes;
    // Whole lines already laid out, by their runs, style, measure and
    // direction: most of a letter is its template's text (letterhead,
    // charter paragraphs, footer), the same in every letter of a run, and
    // the letter writer measures a block before it places it.
    struct LineCache;
    std::unique_ptr<LineCache> _lines;
    std::vector<LaidLine> layoutUncached(const engine::Line& line, const TextStyle& style, double maxWidth,
                                         engine::Direction direction);
};

}  // namespace duly::pdf
