// PrintRun: prints every letter queued for the post. It claims the queued
// letters as Deliver claims email (held for the run, so two runs at once
// never print the same letter; a run that dies leaves them due again when
// the hold ends), renders each from its LetterOrder in its customer's
// language and format, lays it out once, and from that one layout makes
// both the letter's own PDF (signed when LetterPrinting signs; kept on the
// case) and its pages in the run's print file of its format (standard,
// large print), in postcode order, each letter starting on a new sheet (a
// blank back page after an odd page count, unless simplex). Braille and
// audio files are made beside the print as the customer's formats ask. It
// writes a manifest CSV (sequence, format, case, customer, document, pages,
// first page, postcode, file).
//
// The store, the Renderer (its ICU formatters) and the print files stay on
// the caller's thread: it reads what each letter needs to be sorted, then
// renders the letters in print order a window ahead of `threads` worker
// threads that lay them out and make and sign their own PDFs, and adds
// their pages to the print files as they come back, in order. Every file is written durably
// (engine::writePrivateFileAtomically) before any letter is marked printed,
// so a crash prints a letter twice rather than never; the marks are written
// a hundred to a transaction.
//
// A letter that cannot be printed (its case gone, an order that cannot be
// read, a reply with no text, a template that cannot be rendered) is put
// back for 24 hours with the reason and reported; the others are printed.
// Throws InputError when a file cannot be written, and passes on store
// errors; letters claimed then are due again when the hold ends.
#pragma once

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/Time.h"
#include "duly/flow/LetterPrinting.h"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace duly::flow {

struct PrintRunSettings {
    std::filesystem::path output;           // the folder the run's files go to
    std::size_t limit = 100000;             // letters taken in one run at most
    bool simplex = false;                   // single-sided printers: no blank back pages
    std::chrono::minutes hold{30};          // how long the claimed letters are held
    unsigned threads = 2;                   // threads laying out and signing
};

// A letter printed, as its manifest line says.
struct PrintedLetter {
    std::string caseReference;
    std::string customer;     // the customer's reference
    std::string documentKey;  // "acknowledgement", "holding-reply", ...
    std::string format;       // "standard", "large-print"
    std::string postcode;     // where it goes (a representative's copy: theirs)
    std::size_t pages = 0;
    std::size_t firstPage = 0;  // in its format's print file, from 1
};

// A letter left queued, and why.
struct NotPrinted {
    std::string messageKey;  // "REF/document"
    std::string reason;
};

// A Braille or audio file not made for a letter, noted on its case.
struct FormatShortfall {
    std::string caseReference;
    std::string note;  // "braille not made (…); send large print instead"
};

struct PrintRunReport {
    std::string run;                              // "print-run-20261123-160000"; empty when nothing was waiting
    std::vector<PrintedLetter> printed;           // in print order
    std::vector<NotPrinted> notPrinted;
    std::vector<FormatShortfall> shortfalls;
    std::size_t pages = 0;                        // the letters' pages (blank backs not counted)
    std::vector<std::filesystem::path> files;     // the print files, standard first
    std::filesystem::path manifest;
    bool signedLetters = false;                   // each letter kept on its case signed
};

// "20261123-160000": the stamp in a run's file names.
std::string printRunStamp(engine::Instant t);

// The sort key of a UK postcode, as the post sorts: area letters, district
// number as a number (PR5 before PR25), the rest of the outward code, then
// the inward code. "pr25 3ab" and "PR253AB" give the same key; anything not
// shaped like a postcode sorts after every postcode, by its own letters.
std::string postcodeKey(const std::string& postcode);

class PrintRun {
public:
    // `store` and `ledger` are usually one SqliteCaseStore.
    PrintRun(engine::CaseStore& store, engine::MailLedger& ledger, engine::CharterBook& charters,
             const engine::Renderer& renderer, LetterPrinting& printing, PrintRunSettings settings);

    // Claims the letters due at `now` and prints them, dated `now` and
    // signed at `signedAt`.
    PrintRunReport run(engine::Instant now, engine::Instant signedAt);

private:
    engine::CaseStore& _store;
    engine::MailLedger& _ledger;
    engine::CharterBook& _charters;
    const engine::Renderer& _renderer;
    LetterPrinting& _printing;
    PrintRunSettings _settings;
};

}  // namespace duly::flow
