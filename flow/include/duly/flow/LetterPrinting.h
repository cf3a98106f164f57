// LetterPrinting: what `duly render --to pdf` and the print run (PrintRun)
// share to turn a rendered Document into a PDF letter: the letter settings
// of the home folder (config/letters.toml), the fonts (loaded once), the
// page label in the letter's language, document information (officer, case
// reference), and the signature when a signing identity is given (the
// config file's [signing] table, which app/ reads; PAdES B-B by
// pdf/PdfSigner). The identity is loaded once, here. Throws InputError for
// a bad config/letters.toml, a font or image that cannot be read, or a
// signing certificate that cannot be loaded or is not valid at the signing
// time. options() uses the Renderer's ICU formatters: call it from one
// thread; sign() and the FontSet may be shared between threads.
#pragma once

#include "duly/engine/Document.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/Time.h"
#include "duly/pdf/FontSet.h"
#include "duly/pdf/LetterSettings.h"
#include "duly/pdf/LetterWriter.h"
#include "duly/pdf/PdfSigner.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace duly::flow {

// Who signs letters: a PKCS#12 file with the key and certificate chain, the
// file holding its password on the first line, and the /Reason written in
// each signature (may be empty).
struct LetterSigning {
    std::filesystem::path p12;
    std::filesystem::path passwordFile;
    std::string reason;
};

// Who and what a letter is about, for its document information.
struct LetterFacts {
    std::string reference;   // the case reference
    std::string officerId;   // for the signature image
    std::string officerName; // the PDF's author
    std::string brand;       // the brand, else the charter's name: whose logo (flow::CaseDocuments::organisation)
    engine::Instant date{};  // the letter's date (creation date)
};

class LetterPrinting {
public:
    // `signing`: none, letters are not signed.
    LetterPrinting(const engine::Renderer& renderer, const std::filesystem::path& home,
                   const std::optional<LetterSigning>& signing);

    pdf::LetterOptions options(const engine::Document& doc, const LetterFacts& facts) const;
    // One letter as its own PDF file, signed at `signedAt` when a
    // certificate is configured.
    std::string write(const engine::Document& doc, const LetterFacts& facts, engine::Instant signedAt,
                      bool windowOutline = false);
    // Signs a finished PDF (unchanged when no certificate is configured).
    std::string sign(std::string pdf, engine::Instant signedAt) const;
    bool signs() const { return _signer.has_value(); }
    // Readies the fonts for many letters (pdf::FontSet::prepareForSubsetting):
    // about a second once, then each letter's font subsets cost less. Call
    // before other threads use fonts().
    void prepareForSubsetting() { _fonts->prepareForSubsetting(); }

    pdf::LetterWriter& writer() { return *_writer; }
    const pdf::FontSet& fonts() const { return *_fonts; }
    const pdf::LetterSettings& settings() const { return _settings; }

private:
    const engine::Renderer& _renderer;
    pdf::LetterSettings _settings;
    std::unique_ptr<pdf::FontSet> _fonts;
    std::unique_ptr<pdf::LetterWriter> _writer;
    std::optional<pdf::PdfSigner> _signer;
    std::string _reason;
};

}  // namespace duly::flow
