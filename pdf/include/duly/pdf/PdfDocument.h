// PdfDocument: writes laid-out pages as one PDF 1.7 file. Each face used is
// embedded once as a Type 0 / CIDFontType2 font, cut down by hb-subset to
// the glyphs the document uses (its name carries the subset tag,
// "ABCDEF+NotoSans-Regular"); glyphs are addressed by glyph id (Identity-H),
// so exactly the glyphs HarfBuzz chose reach the page, drawn inside an empty
// /ActualText span. The words of each line are written again in an
// invisible text layer (render mode 3) of a font that maps codes to Unicode,
// in visual order, which is what text extraction (pdftotext, screen readers)
// reads. Streams are deflated. A tagged document (setTagged) also carries a
// structure tree — Document, headings, paragraphs, the address, the
// signature block, the logo as a Figure with alternative text, /Lang on
// every element — with the words marked as its content and everything else
// (rules, glyph drawing, page numbers) marked as artifacts, so a screen
// reader reads the letter in order. Output is deterministic: the same pages and
// info give the same bytes. Throws InputError when a font cannot be
// subset or an image cannot be read (naming the file).
#pragma once

#include "duly/pdf/FontSet.h"
#include "duly/pdf/PageContent.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace duly::pdf {

struct DocumentInfo {
    std::string title, author, subject, lang;  // UTF-8; lang is the catalog's /Lang
    std::string creationDate;                  // "D:20261110093000Z"; empty for none
};

// One element of the structure tree, in reading order among its siblings.
struct StructElement {
    std::string type;    // standard structure type: Document, Sect, Div, H1, H2, P, L, LI, Figure
    std::string lang;    // BCP 47, the element's /Lang
    std::string title;   // /T, naming the part for people: "Address", "Signature"
    std::string alt;     // /Alt, for a Figure
    int parent = -1;     // index of the parent element; -1: a child of the tree's root
};

// An image decoded from PNG, ready to embed.
struct Image {
    int width = 0, height = 0;
    int components = 3;        // 1 grey, 3 RGB
    std::string pixels;        // 8 bits per component, rows top to bottom
    std::string alpha;         // empty when opaque
};

// Reads a PNG (8 or fewer bits per sample, not interlaced). Throws
// InputError "FILE: …" for a file that is missing, not PNG or not supported.
Image readPng(const std::filesystem::path& file);

class PdfDocument {
public:
    // `printRun`: each page is written (deflated) as it is added and its
    // layout freed, and fonts keep their glyph numbers (hb-subset's
    // retain-gids) — for print runs of thousands of pages. Otherwise pages
    // are kept until write() and glyphs renumbered into the smallest subset.
    explicit PdfDocument(const FontSet& fonts, bool printRun = false) : _fonts(fonts), _printRun(printRun) {}

    int addImage(Image image);  // index for PlacedImage::image
    // The index of the image read from `file`: `image` is added the first
    // time the file is named, and the same index returned after.
    int addImage(const std::filesystem::path& file, const Image& image);
    // Tagging: only for documents written whole (not print runs: pages
    // written as they are added are not tagged).
    void setTagged(bool tagged) { _tagged = tagged && !_printRun; }
    bool tagged() const { return _tagged; }
    int addElement(StructElement element);  // index for PlacedWords::element and PlacedImage::element
    void addPage(PageContent page);
    std::size_t pageCount() const { return _pages.size() + _written.size(); }

    // The whole file.
    std::string write(const DocumentInfo& info) const;

private:
    struct Used {
        const Face* face = nullptr;
        std::set<std::uint32_t> gids;  // in the full font
        std::vector<bool> seen;        // by glyph id: in gids
        std::string resource;          // "F0"
    };
    void note(const PageContent& page);
    // The content stream of a page; `remap` renumbers glyphs by face id (none: kept).
    std::string content(const PageContent& page,
                        const std::map<int, const std::map<std::uint32_t, std::uint32_t>*>* remap) const;

    const FontSet& _fonts;
    bool _printRun = false;
    std::vector<PageContent> _pages;    // kept until write()
    std::vector<std::string> _written;  // deflated content streams (print runs)
    std::map<int, Used> _used;          // by face id
    std::map<char32_t, unsigned> _textCid;  // text layer codes, in order of first use
    std::vector<Image> _images;
    std::map<std::filesystem::path, int> _imageFiles;
    bool _tagged = false;
    std::vector<StructElement> _elements;
};

}  // namespace duly::pdf
