// Document: a rendered letter, email or digest as neutral blocks, before any
// writer turns it into text, HTML, JSON or PDF. Plain structs, no behaviour
// beyond small helpers, so every writer (engine TextWriter and HtmlWriter,
// pdf/ layout) reads the same thing.
//
// Shape: Document → Blocks (letterhead, recipient, date, reference, heading,
// paragraph, list, signature, footer) → Lines → Runs. A paragraph or heading
// has one line; a list has one line per item; address-like blocks
// (letterhead, recipient, signature, footer) have one line per printed line.
// Every run carries its language tag and direction. A run with isolate=true
// is a value inserted from data (a name, a reference, an email, a date): a
// writer must isolate it from the text around it (Unicode FSI…PDI in text,
// <bdi> in HTML, a separate bidi paragraph-level run in PDF) so that a Latin
// name inside Urdu text keeps its order.
#pragma once

#include "duly/engine/RenderProfile.h"

#include <string>
#include <string_view>
#include <vector>

namespace duly::engine {

enum class Direction { Ltr, Rtl, Auto };
std::string_view directionName(Direction dir);  // "ltr", "rtl", "auto"

struct Run {
    std::string text;            // UTF-8, no line breaks
    std::string lang;            // BCP 47 tag; "und" for isolated values
    Direction dir = Direction::Ltr;
    bool isolate = false;        // a value from data: isolate it (see above)
    bool operator==(const Run&) const = default;
};

struct Line {
    std::vector<Run> runs;
    std::string lang;            // the language of the line's own text
    Direction dir = Direction::Ltr;
    // The runs' text joined, without isolation marks.
    std::string plainText() const;
    bool operator==(const Line&) const = default;
};

enum class BlockKind { Letterhead, Recipient, DateLine, Reference, Heading, Paragraph, List, Signature, Footer };
// "letterhead", "recipient", "date", "reference", "heading", "paragraph",
// "list", "signature", "footer"
std::string_view blockKindName(BlockKind kind);
bool blockKindFromName(std::string_view name, BlockKind& out);

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    std::string lang;            // language of the block (the document's, or
    Direction dir = Direction::Ltr;  //  English in the second half of a bilingual one)
    std::vector<Line> lines;
    std::string source;          // "templates/acknowledgement.tmpl:12", for messages about it
    bool operator==(const Block&) const = default;
};

// A message (or a whole template or locale) that was not available in the
// locale asked for, and what was used instead. Callers record these on the
// case: a fallback is never silent.
struct Fallback {
    std::string what;            // message id, or "template NAME", or "locale"
    std::string requested;       // "ur-PK"
    std::string used;            // "ur" or "en-GB"
    std::string reason;          // "missing", "pattern does not compile: …"
    bool operator==(const Fallback&) const = default;
};

struct Document {
    std::string templateName;    // "acknowledgement"
    std::string lang;            // BCP 47 tag of the locale used: "ur", "en-GB"
    std::string requestedLang;   // what the caller asked for: "ur-PK"
    Direction dir = Direction::Ltr;
    std::string subject;         // one line, already header-safe (no CR/LF)
    RenderProfile profile;
    bool bilingual = false;      // English blocks follow the translation
    std::vector<Block> blocks;
    std::vector<Fallback> fallbacks;
};

// The blocks of `doc` in the order someone who hears or feels a letter
// expects them, not as a page places them: sender (letterhead), date,
// reference, the body, signature, footer. The recipient's address is left
// out: it is for the envelope. Used by the Braille and audio letters.
std::vector<const Block*> readingOrder(const Document& doc);

}  // namespace duly::engine
