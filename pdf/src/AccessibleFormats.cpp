// AccessibleFormats: the substitution rules for a customer's formats (see
// AccessibleFormats.h). Owns nothing but the rules: BrailleWriter and
// AudioWriter make the bytes; a writer's refusal (no table, no voice)
// becomes a Shortfall with its message and the best format that can be made.
#include "duly/pdf/AccessibleFormats.h"

#include "duly/engine/InputError.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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
        const std::filesystem::path path = dir / rel, tmp = path.string() + ".tmp";
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd < 0) throw engine::InputError(tmp.string() + ": cannot be written: " + std::strerror(errno));
        size_t done = 0;
        bool ok = true;
        while (ok && done < f.bytes.size()) {
            const ssize_t n = ::write(fd, f.bytes.data() + done, f.bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            ok = n > 0;
            if (ok) done += size_t(n);
        }
        ok = ok && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
            std::filesystem::remove(tmp, ec);
            throw engine::InputError(path.string() + ": cannot be written: " + std::strerror(errno));
        }
        out.push_back(rel);
    }
    return out;
}

}  // namespace duly::pdf
