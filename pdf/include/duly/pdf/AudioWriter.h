// AudioWriter: a rendered letter (engine Document) read aloud by espeak-ng
// in the letter's language (voices en-gb, ur, yue), as Ogg Opus — small
// enough to email — or as WAV for a CD. Owns the language → voice map, the
// text that is spoken (speechText: the parts in a listener's order, the
// reference and phone numbers spelled digit by digit, English dates read as
// dates) and the two containers.
//
// Failures: a language with no voice, or a voice espeak-ng does not have,
// is AudioUnavailable (the caller offers another format and tells an
// officer); an encoder failure is AudioUnavailable with libopusenc's words.
// espeak-ng keeps global state: calls are serialised inside. The Ogg serial
// number is derived from the text, but espeak-ng's samples vary slightly
// from one reading to the next (see XXX in AudioWriter.cpp).
#pragma once

#include "duly/engine/Document.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace duly::pdf {

enum class AudioContainer { OggOpus, Wav };

struct AudioSettings {
    int wordsPerMinute = 160;   // espeak-ng's rate; 175 is its default, slower is clearer
    int bitrate = 24000;        // Opus bits a second: clear speech, about 180 KB a minute
    bool operator==(const AudioSettings&) const = default;
};

class AudioUnavailable : public std::runtime_error {
public:
    explicit AudioUnavailable(const std::string& message) : std::runtime_error(message) {}
};

// espeak-ng's voice for a BCP 47 tag (en*, → "en-gb", ur* → "ur", yue* and
// zh-HK → "yue"), or nullopt.
std::optional<std::string> voiceFor(std::string_view lang);

// The words spoken for `doc`, one part a line: sender, date, reference,
// body, signature and footer (the address is left out). References and
// phone numbers are spelled out character by character ("A B C 1 2 3");
// Eastern Arabic digits become ASCII (espeak-ng's Urdu voice reads those);
// an English date "7 December 2026" becomes "7th of December 2026".
std::string speechText(const engine::Document& doc);

// The same, line by line with each line's language (the footer's lines are
// in English, Urdu and Chinese whatever the letter's language): each is read
// with its language's voice.
struct SpokenLine {
    std::string lang;
    std::string text;
};
std::vector<SpokenLine> speechLines(const engine::Document& doc);

struct AudioLetter {
    std::string bytes;         // the .ogg or .wav file
    std::string voice;         // espeak-ng's identifier of the voice used: "gmw/en-GB"… as it reports
    std::string voiceLanguage; // the voice's first language: "en-gb", "ur", "yue"
    int sampleRate = 0;        // of the speech (espeak-ng: 22050)
    long samples = 0;          // of speech
    double seconds() const { return sampleRate ? double(samples) / sampleRate : 0.0; }
};

// Throws AudioUnavailable (see above); InputError for settings out of range
// (80–450 words a minute, 6–256 kbit/s).
AudioLetter writeAudio(const engine::Document& doc, AudioContainer container, const AudioSettings& settings = {});

}  // namespace duly::pdf
