// LetterPrinting: what `duly render --to pdf` and `duly print-run` share to
// turn a rendered Document into a PDF letter: the letter settings of the
// home folder (config/letters.toml), the fonts (loaded once), the page
// label in the letter's language, document information (officer, case
// reference). Throws InputError for a bad config/letters.toml or a font or
// image that cannot be read, naming the file.
#pragma once

#include "duly/engine/Document.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/Time.h"
#include "duly/pdf/FontSet.h"
#include "duly/pdf/LetterSettings.h"
#include "duly/pdf/LetterWriter.h"

#include <filesystem>
#include <memory>
#include <string>

namespace duly::app {

// Who and what a letter is about, for its document information.
struct LetterFacts {
    std::string reference;   // the case reference
    std::string officerId;   // for the signature image
    std::string officerName; // the PDF's author
    std::string brand;       // the organisation id: which letterhead
    engine::Instant date{};  // the letter's date (creation date)
};

class LetterPrinting {
public:
    LetterPrinting(const engine::Renderer& renderer, const std::filesystem::path& home);

    pdf::LetterOptions options(const engine::Document& doc, const LetterFacts& facts) const;
    // One letter as its own PDF file.
    std::string write(const engine::Document& doc, const LetterFacts& facts, bool windowOutline = false);

    pdf::LetterWriter& writer() { return *_writer; }
    const pdf::FontSet& fonts() const { return *_fonts; }
    const pdf::LetterSettings& settings() const { return _settings; }

private:
    const engine::Renderer& _renderer;
    pdf::LetterSettings _settings;
    std::unique_ptr<pdf::FontSet> _fonts;
    std::unique_ptr<pdf::LetterWriter> _writer;
};

}  // namespace duly::app
