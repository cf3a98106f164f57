// BrailleWriter: a rendered letter (engine Document) as a BRF file — ASCII
// Braille, the form embossers and Braille displays take — translated with
// liblouis: English in Unified English Braille grade 2, Urdu in liblouis's
// uncontracted (grade 1) Urdu table, Cantonese in its Hong Kong Cantonese table (see
// docs/letters.md for what each table is). Owns the choice of table for a
// language, line breaking and pagination in cells, and the conversion from
// Braille dots to BRF characters.
//
// Layout: the parts in the order a Braille reader expects — sender
// (letterhead), date, reference, then the body (headings, paragraphs,
// lists), the signature and the footer. The recipient's address is left
// out: it is printed in print on the covering sheet for the post. Lines are
// at most `cellsPerLine` cells; each page has `linesPerPage` lines, the last
// of which carries the page number in Braille at the right margin. Lines end
// in CR LF and pages in a form feed, as embossers expect.
//
// Values from data in a language other than the letter's (a Latin name or
// reference in an Urdu or Cantonese letter) are written in uncontracted UEB,
// since the Urdu and Cantonese tables have no Latin letters.
//
// Failures: a language with no table is BrailleUnavailable (the caller
// offers another format and tells an officer); settings out of range are
// InputError. Characters liblouis cannot translate are never silently lost:
// they are listed in BrailleLetter::untranslated (the templates lint fails
// on them). liblouis keeps global state, so calls are serialised inside.
#pragma once

#include "duly/engine/Document.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace duly::pdf {

struct BrailleSettings {
    int cellsPerLine = 40;   // a standard embosser line
    int linesPerPage = 25;   // a standard embosser page (11 inches)
    bool operator==(const BrailleSettings&) const = default;
};

// The liblouis table for a language, and what it is.
struct BrailleTable {
    std::string table;   // "en-ueb-g2.ctb"
    std::string grade;   // "Unified English Braille, grade 2 (contracted)"
};

class BrailleUnavailable : public std::runtime_error {
public:
    explicit BrailleUnavailable(const std::string& message) : std::runtime_error(message) {}
};

// The table for a BCP 47 tag (en, en-GB → UEB grade 2; ur, ur-PK → Urdu
// grade 1; yue, yue-Hant, zh-HK → Hong Kong Cantonese), or nullopt for a
// language Duly has none for. Does not check the table is installed.
std::optional<BrailleTable> brailleTableFor(std::string_view lang);

struct BrailleLetter {
    std::string brf;                       // the file's bytes
    int pages = 0;
    std::string table;                     // the table of the letter's language
    std::vector<std::string> untranslated; // "U+2603 ☃ in templates/x.tmpl:4", one per character and block
};

// Throws BrailleUnavailable when the letter's language has no table or the
// table does not load; InputError for settings out of range (lines under 10
// cells or pages under 5 lines).
BrailleLetter writeBraille(const engine::Document& doc, const BrailleSettings& settings = {});

// BRF text back to print with the given liblouis table (page-number lines
// and form feeds dropped, lines joined with '\n'). For tests and the lint:
// it is how a reader's words are checked. Throws BrailleUnavailable when the
// table does not load.
std::string backTranslateBrf(std::string_view brf, const std::string& table, const BrailleSettings& settings = {});

// Unicode Braille (U+2800…U+283F) ↔ BRF (North American ASCII Braille).
// Dots 7 and 8 have no BRF character: brfFromDots drops them.
std::string brfFromDots(std::u32string_view dots);
std::u32string dotsFromBrf(std::string_view brf);

}  // namespace duly::pdf
