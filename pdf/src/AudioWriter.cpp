// AudioWriter: Document → speech with espeak-ng → Ogg Opus (libopusenc) or
// WAV (see AudioWriter.h). Owns the text prepared for speaking, espeak-ng's
// process-wide state (initialised once, every call under espeakMutex()),
// and the two file formats. A missing voice or an encoder error is
// AudioUnavailable naming the voice or the libopusenc error. Text goes to
// espeak-ng as plain UTF-8 (never SSML), so a name or a reply's words
// cannot carry markup that changes the voice or what is read.
#include "duly/pdf/AudioWriter.h"

#include "duly/engine/InputError.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <opus/opusenc.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

namespace duly::pdf {

namespace {

std::mutex& espeakMutex() {
    static std::mutex m;
    return m;
}

bool hasPrefix(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(0, p.size()) == p && (s.size() == p.size() || s[p.size()] == '-');
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Eastern Arabic (U+0660…0669) and Extended Arabic-Indic (U+06F0…06F9)
// digits to ASCII: espeak-ng's Urdu voice reads ASCII digits in Urdu and
// skips the others.
std::string asciiDigits(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (i + 1 < s.size() && (b0 == 0xD9 || b0 == 0xDB)) {
            const auto b1 = static_cast<unsigned char>(s[i + 1]);
            if (b0 == 0xD9 && b1 >= 0xA0 && b1 <= 0xA9) { out += char('0' + (b1 - 0xA0)); ++i; continue; }
            if (b0 == 0xDB && b1 >= 0xB0 && b1 <= 0xB9) { out += char('0' + (b1 - 0xB0)); ++i; continue; }
        }
        out += s[i];
    }
    return out;
}

// "A B C, 1 2 3": every letter and digit on its own, hyphens and slashes
// as pauses. Other characters (non-ASCII) are kept as they are.
std::string spellOut(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
            out += char(std::toupper(static_cast<unsigned char>(c)));
        } else if (c == '-' || c == '/' || c == '.' || c == '_') {
            if (!out.empty() && out.back() != ',') out += ",";
        } else if (c == ' ') {
            if (!out.empty() && out.back() != ' ' && out.back() != ',') out += ",";
        } else {
            if (!out.empty() && out.back() != ' ') out += ' ';
            out += c;
        }
    }
    return out;
}

// Codes — ASCII words holding both letters and digits, with their hyphens
// and slashes: references (PHG-2026-00042), postcodes (PR25 2LW) — spelled
// character by character; espeak-ng would read "2026" as a year.
std::string spellCodes(std::string_view s) {
    std::string out;
    size_t i = 0;
    auto codeChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '/'; };
    while (i < s.size()) {
        if (!codeChar(s[i])) {
            out += s[i++];
            continue;
        }
        size_t j = i;
        bool letter = false, digit = false;
        while (j < s.size() && codeChar(s[j])) {
            letter |= std::isalpha(static_cast<unsigned char>(s[j])) != 0;
            digit |= isDigit(s[j]);
            ++j;
        }
        // A hyphen or slash at either end is punctuation, not part of the code.
        size_t a = i, b = j;
        while (a < b && (s[a] == '-' || s[a] == '/')) ++a;
        while (b > a && (s[b - 1] == '-' || s[b - 1] == '/')) --b;
        out.append(s.substr(i, a - i));
        const std::string_view word = s.substr(a, b - a);
        // An ordinal ("7th", from a date) is a word, not a code.
        size_t d = 0;
        while (d < word.size() && isDigit(word[d])) ++d;
        const std::string tail = lower(word.substr(d));
        const bool ordinal = d > 0 && (tail == "st" || tail == "nd" || tail == "rd" || tail == "th");
        out += letter && digit && !ordinal ? spellOut(word) : std::string(word);
        out.append(s.substr(b, j - b));
        i = j;
    }
    return out;
}

// Phone numbers (seven or more digits, with spaces, brackets, hyphens or a
// leading +) spelled digit by digit; other text as it is.
std::string spellPhoneNumbers(std::string_view s) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        const bool starts = isDigit(s[i]) || (s[i] == '+' && i + 1 < s.size() && isDigit(s[i + 1])) ||
                            (s[i] == '(' && i + 1 < s.size() && isDigit(s[i + 1]));
        const bool afterWordChar = i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]));
        if (starts && !afterWordChar) {
            size_t j = i, digits = 0;
            while (j < s.size() && (isDigit(s[j]) || s[j] == ' ' || s[j] == '+' || s[j] == '(' || s[j] == ')' ||
                                    s[j] == '-')) {
                if (isDigit(s[j])) ++digits;
                ++j;
            }
            while (j > i && !isDigit(s[j - 1]) && s[j - 1] != ')') --j;  // trailing spaces stay text
            const bool wordFollows = j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]));
            if (digits >= 7 && !wordFollows) {
                std::string number;
                for (size_t k = i; k < j; ++k) {
                    const char c = s[k];
                    if (isDigit(c)) {
                        if (!number.empty() && number.back() != ' ') number += ' ';
                        number += c;
                    } else if (c == ' ' || c == '-') {
                        if (!number.empty() && number.back() != ',') number += ",";
                    } else if (c == '+') number += "plus ";
                }
                out += number;
                i = j;
                continue;
            }
            out.append(s.substr(i, j - i));
            i = j;
            continue;
        }
        out += s[i++];
    }
    return out;
}

// English "7 December 2026" → "7th of December 2026": espeak-ng reads the
// ordinal as a date is spoken. Anything else is left alone.
std::string englishDate(const std::string& s) {
    size_t k = 0;
    while (k < s.size() && isDigit(s[k])) ++k;
    if (k == 0 || k > 2 || k >= s.size() || s[k] != ' ' || k + 1 >= s.size() ||
        !std::isalpha(static_cast<unsigned char>(s[k + 1])))
        return s;
    const int day = std::stoi(s.substr(0, k));
    const char* suffix = (day % 10 == 1 && day != 11) ? "st"
                         : (day % 10 == 2 && day != 12) ? "nd"
                         : (day % 10 == 3 && day != 13) ? "rd"
                                                        : "th";
    return s.substr(0, k) + suffix + " of" + s.substr(k);
}

// Once per process: espeak-ng with its data from the default place
// (Debian's espeak-ng-data), synchronous output into our callback. Returns
// the sample rate, 0 when it does not start. Caller holds the mutex.
// XXX: espeak-ng 1.51 does not give the same samples twice for the same
// text (a letter read twice differed by a few hundredths of a second), so
// audio letters are not byte for byte reproducible; terminating and starting
// espeak-ng between letters did not help (espeak_ng_Terminate hung).
int initialiseLocked() {
    static int rate = [] {
        espeak_ng_InitializePath(nullptr);
        if (espeak_ng_Initialize(nullptr) != ENS_OK) return 0;
        if (espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr) != ENS_OK) return 0;
        espeak_SetSynthCallback([](short* wav, int count, espeak_EVENT* events) -> int {
            if (wav && count > 0 && events && events->user_data) {
                auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
                out->insert(out->end(), wav, wav + count);
            }
            return 0;  // go on
        });
        return espeak_ng_GetSampleRate();
    }();
    return rate;
}

void put32(std::string& s, uint32_t v) {
    for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xFF);
}
void put16(std::string& s, uint16_t v) {
    s += char(v & 0xFF);
    s += char(v >> 8);
}

std::string wavFile(const std::vector<int16_t>& pcm, int rate) {
    const uint32_t dataBytes = uint32_t(pcm.size() * 2);
    std::string s = "RIFF";
    put32(s, 36 + dataBytes);
    s += "WAVEfmt ";
    put32(s, 16);
    put16(s, 1);                    // PCM
    put16(s, 1);                    // mono
    put32(s, uint32_t(rate));
    put32(s, uint32_t(rate) * 2);   // bytes a second
    put16(s, 2);                    // bytes a frame
    put16(s, 16);                   // bits a sample
    s += "data";
    put32(s, dataBytes);
    for (int16_t v : pcm) put16(s, uint16_t(v));
    return s;
}

uint32_t fnv1a(std::string_view s) {
    uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

std::string oggOpusFile(const std::vector<int16_t>& pcm, int rate, const engine::Document& doc,
                        const std::string& text, const AudioSettings& settings) {
    struct Comments {
        OggOpusComments* p = ope_comments_create();
        ~Comments() { if (p) ope_comments_destroy(p); }
    } comments;
    if (!comments.p) throw AudioUnavailable("libopusenc: cannot create comments");
    ope_comments_add(comments.p, "TITLE", doc.subject.c_str());
    ope_comments_add(comments.p, "LANGUAGE", doc.lang.c_str());
    int error = 0;
    struct Encoder {
        OggOpusEnc* p = nullptr;
        ~Encoder() { if (p) ope_encoder_destroy(p); }
    } enc;
    enc.p = ope_encoder_create_pull(comments.p, rate, 1, 0, &error);
    if (!enc.p) throw AudioUnavailable(std::string("libopusenc: ") + ope_strerror(error));
    // The same letter gives the same bytes: the stream's serial number comes from its words.
    ope_encoder_ctl(enc.p, OPE_SET_SERIALNO(int(fnv1a(text) & 0x7FFFFFFF)));
    ope_encoder_ctl(enc.p, OPUS_SET_BITRATE(settings.bitrate));
    ope_encoder_ctl(enc.p, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    // Complexity 5 of 10: synthetic speech at 24 kbit/s sounds the same, and
    // encoding takes about half the time (a print run may hold many).
    ope_encoder_ctl(enc.p, OPUS_SET_COMPLEXITY(5));
    std::string out;
    auto takePages = [&](int flush) {
        unsigned char* page = nullptr;
        opus_int32 len = 0;
        while (ope_encoder_get_page(enc.p, &page, &len, flush)) out.append(reinterpret_cast<const char*>(page), size_t(len));
    };
    const size_t chunk = size_t(rate);  // a second at a time keeps pages flowing
    for (size_t at = 0; at < pcm.size(); at += chunk) {
        const int n = int(std::min(chunk, pcm.size() - at));
        if ((error = ope_encoder_write(enc.p, pcm.data() + at, n)) != OPE_OK)
            throw AudioUnavailable(std::string("libopusenc: ") + ope_strerror(error));
        takePages(0);
    }
    if ((error = ope_encoder_drain(enc.p)) != OPE_OK) throw AudioUnavailable(std::string("libopusenc: ") + ope_strerror(error));
    takePages(1);
    return out;
}

}  // namespace

std::optional<std::string> voiceFor(std::string_view lang) {
    const std::string tag = lower(lang);
    if (hasPrefix(tag, "en")) return "en-gb";
    if (hasPrefix(tag, "ur")) return "ur";
    if (hasPrefix(tag, "yue") || hasPrefix(tag, "zh-hk") || hasPrefix(tag, "zh-hant-hk")) return "yue";
    return std::nullopt;
}

std::vector<SpokenLine> speechLines(const engine::Document& doc) {
    const std::vector<const engine::Block*> blocks = engine::readingOrder(doc);
    std::vector<SpokenLine> out;
    for (const engine::Block* b : blocks) {
        for (const auto& line : b->lines) {
            const std::string lang = !line.lang.empty() ? line.lang : !b->lang.empty() ? b->lang : doc.lang;
            const bool english = hasPrefix(lower(lang), "en");
            std::string said;
            for (const auto& run : line.runs) said += asciiDigits(run.text);
            if (b->kind == engine::BlockKind::DateLine && english) said = englishDate(said);
            said = spellPhoneNumbers(spellCodes(said));
            // A pause at the end of every line: an address line or a list item
            // is heard as one.
            static const std::string_view kStops[] = {".", ",", ":", "?", "!", "\u3002", "\uFF1F", "\uFF01", "\u06D4", "\u061F"};
            bool stopped = said.empty();
            for (auto stop : kStops) stopped |= said.size() >= stop.size() && said.compare(said.size() - stop.size(), stop.size(), stop) == 0;
            if (!stopped) said += '.';
            out.push_back({lang, said});
        }
    }
    return out;
}

std::string speechText(const engine::Document& doc) {
    std::string out;
    for (const auto& l : speechLines(doc)) out += l.text + "\n";
    return out;
}

AudioLetter writeAudio(const engine::Document& doc, AudioContainer container, const AudioSettings& settings) {
    if (settings.wordsPerMinute < 80 || settings.wordsPerMinute > 450)
        throw engine::InputError("audio.words-per-minute: expected 80 to 450, not " +
                                 std::to_string(settings.wordsPerMinute));
    if (settings.bitrate < 6000 || settings.bitrate > 256000)
        throw engine::InputError("audio.bitrate: expected 6000 to 256000 bits a second, not " +
                                 std::to_string(settings.bitrate));
    const auto voice = voiceFor(doc.lang);
    if (!voice) throw AudioUnavailable("no espeak-ng voice for language " + doc.lang);
    const std::string text = speechText(doc);  // the serial number of the Ogg stream
    AudioLetter letter;
    std::vector<int16_t> pcm;
    {
        std::lock_guard lock(espeakMutex());
        const int rate = initialiseLocked();
        if (rate <= 0) throw AudioUnavailable("espeak-ng does not start (is espeak-ng-data installed?)");
        letter.sampleRate = rate;
        auto setVoice = [&](const std::string& name) {
            // By language, not by name: espeak-ng serves "en-gb" from its voice file "gmw/en".
            espeak_VOICE wanted{};
            wanted.languages = name.c_str();
            if (espeak_ng_SetVoiceByProperties(&wanted) != ENS_OK)
                throw AudioUnavailable("espeak-ng has no voice " + name + " (is espeak-ng-data installed?)");
            espeak_SetParameter(espeakRATE, settings.wordsPerMinute, 0);
        };
        setVoice(*voice);
        const espeak_VOICE* current = espeak_GetCurrentVoice();
        if (current && current->identifier) letter.voice = current->identifier;
        if (current && current->languages) letter.voiceLanguage = current->languages + 1;  // after the priority byte
        std::string currentVoice = *voice;
        for (const auto& line : speechLines(doc)) {
            // Each line in its own language's voice (the footer offers other
            // formats in English, Urdu and Chinese); a language with no voice
            // is read by the letter's.
            const std::string lineVoice = voiceFor(line.lang).value_or(*voice);
            if (lineVoice != currentVoice) {
                setVoice(lineVoice);
                currentVoice = lineVoice;
            }
            const espeak_ng_STATUS status = espeak_ng_Synthesize(line.text.c_str(), line.text.size() + 1, 0,
                                                                 POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &pcm);
            if (status != ENS_OK) {
                char message[512] = {0};
                espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
                throw AudioUnavailable(std::string("espeak-ng: ") + message);
            }
        }
        espeak_ng_Synchronize();
    }
    letter.samples = long(pcm.size());
    letter.bytes = container == AudioContainer::Wav ? wavFile(pcm, letter.sampleRate)
                                                    : oggOpusFile(pcm, letter.sampleRate, doc, text, settings);
    return letter;
}

}  // namespace duly::pdf
