// AccessibleFormats: the substitution rules for a customer's formats (see
// AccessibleFormats.h). Owns nothing but the rules: BrailleWriter and
// AudioWriter make the bytes; a writer's refusal (no table, no voice)
// becomes a Shortfall with its message and the best format that can be made.
#include "duly/engine/PrivateFiles.h"
#include "duly/pdf/AccessibleFormats.h"

#include "duly/engine/InputError.h"

#include <fcntl.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace duly::pdf {

namespace {

bool has(const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

FormatPlan planFormats(const engine::Document& doc, const std::vector<std::string>& formats,
                       const FormatSettings& settings) {
    FormatPlan plan;
    plan.largePrint = has(formats, "large-print");
    const bool canBraille = brailleTableFor(doc.lang).has_value();
    const bool canSpeak = voiceFor(doc.lang).has_value();
    std::vector<std::string> done;
    auto makeBraille = [&]() -> std::string {  // empty on success, else why not
        try {
            BrailleLetter b = writeBraille(doc, settings.braille);
            plan.untranslated.insert(plan.untranslated.end(), b.untranslated.begin(), b.untranslated.end());
            plan.files.push_back({"braille", "brf", std::move(b.brf)});
            return "";
        } catch (const BrailleUnavailable& e) {
            return e.what();
        }
    };
    auto makeAudio = [&]() -> std::string {
        try {
            AudioLetter a = writeAudio(doc, settings.audioContainer, settings.audio);
            plan.files.push_back({"audio", settings.audioContainer == AudioContainer::Wav ? "wav" : "ogg", std::move(a.bytes)});
            return "";
        } catch (const AudioUnavailable& e) {
            return e.what();
        }
    };
    for (const auto& f : formats) {
        if (has(done, f)) continue;
        done.push_back(f);
        if (f == "braille") {
            const std::string why = makeBraille();
            if (why.empty()) continue;
            // The next best: audio (made once, even when also asked for), else large print.
            if (canSpeak && !has(formats, "audio") && makeAudio().empty()) {
                plan.shortfalls.push_back({"braille", why, "audio"});
                done.push_back("audio");
            } else if (canSpeak && has(formats, "audio")) {
                plan.shortfalls.push_back({"braille", why, "audio"});
            } else {
                plan.shortfalls.push_back({"braille", why, "large-print"});
                plan.largePrint = true;
            }
        } else if (f == "audio") {
            const std::string why = makeAudio();
            if (why.empty()) continue;
            if (canBraille && has(formats, "braille")) {
                plan.shortfalls.push_back({"audio", why, "braille"});
            } else {
                plan.shortfalls.push_back({"audio", why, "large-print"});
                plan.largePrint = true;
            }
        } else if (f == "easy-read") {
            plan.shortfalls.push_back({"easy-read", "Duly has no easy-read letters", plan.largePrint ? "large-print" : "standard"});
        }
    }
    return plan;
}

std::vector<std::string> accessibleFormatFindings(const engine::Document& doc) {
    std::vector<std::string> out;
    try {
        for (const auto& u : writeBraille(doc).untranslated) out.push_back("braille: " + u);
    } catch (const BrailleUnavailable& e) {
        out.push_back(std::string("braille: ") + e.what());
    }
    if (!voiceFor(doc.lang)) out.push_back("audio: no espeak-ng voice for language " + doc.lang);
    // Speech: letters, digits, spaces and the punctuation espeak-ng reads as
    // pauses or by name in every voice (£ € % & @ /) come through; any other
    // symbol is skipped or read out as its Unicode name.
    for (const auto& b : doc.blocks) {
        if (b.kind == engine::BlockKind::Recipient) continue;
        std::vector<UChar32> seen;
        for (const auto& line : b.lines) {
            const icu::UnicodeString text = icu::UnicodeString::fromUTF8(line.plainText());
            for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
                const UChar32 c = text.char32At(i);
                if (u_isalnum(c) || u_isUWhiteSpace(c) || u_charType(c) == U_NON_SPACING_MARK ||
                    u_charType(c) == U_FORMAT_CHAR)
                    continue;
                static const std::u32string kSpoken = U".,:;?!'\"-()[]/&@%£€$+=…–—‘’“”「」『』。，、：；？！（）《》·،؛؟۔٪";
                if (kSpoken.find(char32_t(c)) != std::u32string::npos) continue;
                if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
                seen.push_back(c);
                char hex[16];
                std::snprintf(hex, sizeof hex, "U+%04X", unsigned(c));
                std::string ch;
                icu::UnicodeString(c).toUTF8String(ch);
                out.push_back("audio: " + std::string(hex) + " " + ch + " in " +
                              (b.source.empty() ? std::string(engine::blockKindName(b.kind)) : b.source) +
                              ": not read aloud");
            }
        }
    }
    return out;
}

std::string formatFileName(int sequence, const std::string& reference, const std::string& extension) {
    std::string seq = std::to_string(sequence);
    if (seq.size() < 4) seq.insert(0, 4 - seq.size(), '0');
    std::string ref;
    for (char c : reference)
        ref += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
    if (ref.empty()) ref = "_";
    return seq + "-" + ref + "." + extension;
}

std::vector<std::string> writeFormatFiles(const std::filesystem::path& dir, const std::string& run, int sequence,
                                          const std::string& reference, const FormatPlan& plan) {
    std::vector<std::string> out;
    for (const auto& f : plan.files) {
        const std::string rel = run + "-" + f.format + "/" + formatFileName(sequence, reference, f.extension);
        const std::filesystem::path path = dir / rel;
        // Braille and audio letters hold personal data as the PDFs do: 0600
        // in 0700 folders, written whole or not at all.
        engine::writePrivateFileAtomically(path, f.bytes);
        out.push_back(rel);
    }
    return out;
}

}  // namespace duly::pdf
