// AccessibleFormats: what a customer's `formats` list (large-print, braille,
// audio, easy-read) means for one rendered letter — the Braille and audio
// files to make beside the printed letter, and, for any format that cannot
// be made, what the customer gets instead and what an officer must be told.
// The print run and the mail service call it; it owns the substitution
// rules, not the folders or the tasks (the caller writes the files and
// raises a task for each shortfall). Never throws for a format that cannot
// be made: that is a Shortfall. Settings out of range are InputError.
#pragma once

#include "duly/engine/Document.h"
#include "duly/pdf/AudioWriter.h"
#include "duly/pdf/BrailleWriter.h"

#include <filesystem>
#include <string>
#include <vector>

namespace duly::pdf {

struct FormatFile {
    std::string format;     // "braille" or "audio"
    std::string extension;  // "brf", "ogg" or "wav"
    std::string bytes;
};

// A format asked for and not made: why, and what the customer gets instead.
struct Shortfall {
    std::string format;      // "braille"
    std::string reason;      // "no Braille table for language fr"
    std::string substitute;  // "audio", "large-print" or "standard"
};

struct FormatPlan {
    bool largePrint = false;               // print the letter in large print
    std::vector<FormatFile> files;         // in the order asked for
    std::vector<Shortfall> shortfalls;     // each needs an officer's task
    std::vector<std::string> untranslated; // Braille characters left out (see BrailleLetter)
};

struct FormatSettings {
    BrailleSettings braille;
    AudioSettings audio;
    AudioContainer audioContainer = AudioContainer::OggOpus;  // WAV for a CD
};

// The plan for `doc` (rendered in the standard profile; large print is the
// caller's PDF) and the customer's `formats`. Unknown names and repeats are
// ignored here (the directory import refuses unknown names). Substitutes:
// Braille that cannot be made → audio when a voice exists, else large print;
// audio that cannot be made → Braille when a table exists, else large
// print; easy read (Duly has no easy-read templates) → standard print.
FormatPlan planFormats(const engine::Document& doc, const std::vector<std::string>& formats,
                       const FormatSettings& settings = {});

// What would not come through in Braille or speech, for `duly templates
// lint`: characters the letter's Braille tables leave out ("braille: U+2603 ☃
// (en-ueb-g2.ctb) in templates/x.tmpl:4") and symbols espeak-ng has no
// reading for ("audio: U+2603 ☃ in templates/x.tmpl:4: not read aloud"),
// each once. Empty when everything translates. A language with no table or
// voice is a finding too.
std::vector<std::string> accessibleFormatFindings(const engine::Document& doc);

// "0007-PHG-2026-00042.brf": the sequence in the print run (four digits and
// more when needed) and the case reference, with anything but letters,
// digits and hyphens in the reference replaced by "_" (a reference never
// names a folder).
std::string formatFileName(int sequence, const std::string& reference, const std::string& extension);

// Writes the plan's files as DIR/RUN-braille/NAME and DIR/RUN-audio/NAME
// (NAME from formatFileName), each to a temporary file, flushed and synced,
// then renamed. Returns their paths relative to DIR, in the plan's order.
// Throws InputError naming the file that cannot be written.
std::vector<std::string> writeFormatFiles(const std::filesystem::path& dir, const std::string& run, int sequence,
                                          const std::string& reference, const FormatPlan& plan);

}  // namespace duly::pdf
