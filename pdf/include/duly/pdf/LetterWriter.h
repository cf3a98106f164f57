// LetterWriter: lays out a Document (the neutral blocks the engine renders)
// on A4 pages and writes them as PDF. First page: the letterhead at the top
// (logo on the left when the brand has one, name and contact details on the
// right), the recipient's address inside the envelope window, then date,
// reference, heading, paragraphs, lists, signature block and footer in
// reading order. Continuation pages start with the reference and
// "Page 2 of 3" in the letter's language; every page of a letter of more
// than one page carries its page number at the foot. Sizes, spacing and
// margins come from the Document's RenderProfile (standard or large
// print); Urdu paragraphs are set right to left and aligned right. A
// letter written on its own (write) is a tagged PDF: its structure tree
// follows the reading order above, with the logo as a Figure whose
// alternative text is the organisation's name; print runs are not tagged.
// A letter is laid out once (layout) and the same pages can then go both
// into its own file (write) and into a print run's file (addLetter).
// One LetterWriter per thread (its ParagraphLayout caches ICU state); the
// FontSet may be shared. Throws InputError for an image that cannot be read.
#pragma once

#include "duly/engine/Document.h"
#include "duly/pdf/FontSet.h"
#include "duly/pdf/LetterSettings.h"
#include "duly/pdf/PageContent.h"
#include "duly/pdf/ParagraphLayout.h"
#include "duly/pdf/PdfDocument.h"

#include <map>
#include <string>
#include <vector>

namespace duly::pdf {

struct LetterOptions {
    std::string brand;            // whose logo ([letterhead.BRAND]): a brand or a charter's name; none when unknown
    std::string officerId;        // whose signature image to draw, if any
    std::string author;           // document information: the officer's name
    std::string reference;        // the case reference: the document's subject
    std::string pageOfPattern = "Page {page} of {pages}";  // in the letter's language
    std::string creationDate;     // "D:20261110093000Z"; empty for none
    bool windowOutline = false;   // draw the envelope window (a test page)
};

// A letter laid out, in no PDF yet: its pages, the structure elements its
// words and logo belong to (PlacedWords::element, PlacedImage::element and
// StructElement::parent index `elements`), and the image files its pages
// draw (PlacedImage::image indexes `images`). Plain data: it may be laid out
// on one thread and added to a PDF on another.
struct LaidOutLetter {
    std::vector<PageContent> pages;
    std::vector<StructElement> elements;
    std::vector<std::filesystem::path> images;
};

class LetterWriter {
public:
    LetterWriter(const FontSet& fonts, const LetterSettings& settings);

    // Lays out a letter's pages once. Throws InputError for an image that
    // cannot be read.
    LaidOutLetter layout(const engine::Document& doc, const LetterOptions& options);

    // One letter as its own (tagged) PDF file.
    std::string write(const engine::Document& doc, const LetterOptions& options);
    // The same from a letter already laid out for `doc` with `options`.
    std::string write(LaidOutLetter letter, const engine::Document& doc, const LetterOptions& options);

    // Adds a letter's pages to `pdf` (a print run); returns how many.
    std::size_t addLetter(PdfDocument& pdf, const engine::Document& doc, const LetterOptions& options);
    std::size_t addLetter(PdfDocument& pdf, LaidOutLetter letter);

    // The pages of a letter, not yet written; its images (and, when `pdf`
    // is tagged, its structure elements) are added to `pdf`.
    std::vector<PageContent> layoutLetter(const engine::Document& doc, const LetterOptions& options, PdfDocument& pdf);
    std::vector<PageContent> place(PdfDocument& pdf, LaidOutLetter letter);

private:
    const Image& image(const std::filesystem::path& file);

    const FontSet& _fonts;
    const LetterSettings _settings;  // a copy: callers may pass a temporary
    ParagraphLayout _layout;
    std::map<std::filesystem::path, Image> _imageCache;
};

}  // namespace duly::pdf
