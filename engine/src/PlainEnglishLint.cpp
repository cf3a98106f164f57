// PlainEnglishLint: readability scores, jargon, abbreviations and passive
// hints for English template wording. See PlainEnglishLint.h.
#include "duly/engine/PlainEnglishLint.h"

#include "duly/engine/InputError.h"
#include "duly/engine/SampleData.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace duly::engine {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool isAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool isWordByte(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '-' ||
           (static_cast<unsigned char>(c) & 0x80) != 0;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !isWordByte(s[i])) ++i;
        std::size_t j = i;
        while (j < s.size() && isWordByte(s[j])) ++j;
        if (j > i) {
            std::string w(s.substr(i, j - i));
            while (!w.empty() && (w.back() == '-' || w.back() == '\'')) w.pop_back();
            while (!w.empty() && (w.front() == '-' || w.front() == '\'')) w.erase(0, 1);
            if (!w.empty()) out.push_back(w);
        }
        i = j;
    }
    return out;
}

// Splits at . ! ? followed by a space or the end.
std::vector<std::string> sentences(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ')) {
            out.push_back(text.substr(start, i + 1 - start));
            start = i + 1;
        }
    }
    if (start < text.size()) out.push_back(text.substr(start));
    out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& s) { return words(s).empty(); }), out.end());
    return out;
}

bool containsPhrase(const std::string& haystackLower, const std::string& phraseLower) {
    std::size_t at = 0;
    while ((at = haystackLower.find(phraseLower, at)) != std::string::npos) {
        bool before = at == 0 || !isWordByte(haystackLower[at - 1]);
        std::size_t end = at + phraseLower.size();
        bool after = end >= haystackLower.size() || !isWordByte(haystackLower[end]);
        if (before && after) return true;
        ++at;
    }
    return false;
}

const std::set<std::string> kBe = {"am", "is", "are", "was", "were", "be", "been", "being"};
const std::set<std::string> kIrregular = {"sent", "given", "taken", "made", "done", "seen", "written", "known",
                                          "shown", "told", "paid", "held", "kept", "found", "brought", "put", "set"};

std::string shorten(const std::string& s) { return s.size() > 90 ? s.substr(0, 87) + "..." : s; }

}  // namespace

int countSyllables(std::string_view word) {
    std::string w;
    for (char c : word)
        if (isAlpha(c)) w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (w.empty()) return 1;
    auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; };
    int count = 0;
    bool prev = false;
    for (char c : w) {
        bool v = vowel(c);
        if (v && !prev) ++count;
        prev = v;
    }
    // A final silent e ("make"), but not "-le" ("table") or "-ee".
    if (w.size() > 2 && w.back() == 'e' && w[w.size() - 2] != 'l' && w[w.size() - 2] != 'e' && count > 1) --count;
    // "-ed" after anything but t or d is not a syllable ("received").
    if (w.size() > 3 && w.ends_with("ed") && w[w.size() - 3] != 't' && w[w.size() - 3] != 'd' && count > 1) --count;
    return std::max(count, 1);
}

LintConfig loadLintConfig(const std::filesystem::path& file) {
    LintConfig cfg;
    toml::table root;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw InputError(file.string() + ": not found (lint reads its limits and jargon list from it)");
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw InputError(file.string() + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
    cfg.minReadingEase = root["limits"]["reading-ease"].value_or(cfg.minReadingEase);
    cfg.maxAverageSentenceWords = root["limits"]["average-sentence-words"].value_or(cfg.maxAverageSentenceWords);
    cfg.maxSentenceWords = root["limits"]["longest-sentence-words"].value_or(cfg.maxSentenceWords);
    if (const auto* known = root["abbreviations"]["known"].as_array())
        for (const auto& n : *known)
            if (auto s = n.value<std::string>()) cfg.knownAbbreviations.insert(*s);
    if (const auto* list = root["jargon"].as_array()) {
        for (const auto& n : *list) {
            const auto* t = n.as_table();
            if (!t)
                throw InputError(file.string() + ":" + std::to_string(n.source().begin.line) +
                                 ": expected [[jargon]] tables with phrase and plainer");
            auto phrase = t->get_as<std::string>("phrase");
            auto plainer = t->get_as<std::string>("plainer");
            if (!phrase || !plainer || phrase->get().empty())
                throw InputError(file.string() + ":" + std::to_string(n.source().begin.line) +
                                 ": each [[jargon]] needs phrase and plainer");
            cfg.jargon.push_back({phrase->get(), plainer->get()});
        }
    }
    return cfg;
}

bool LintReport::passed() const {
    return std::none_of(findings.begin(), findings.end(), [](const LintFinding& f) { return f.error; });
}

LintReport lintTexts(const std::string& name, const std::vector<LintText>& texts, const LintConfig& config) {
    LintReport r;
    r.name = name;
    int syllables = 0;
    std::string all;
    for (const auto& t : texts) all += " " + t.text;
    for (const auto& t : texts) {
        std::string low = lower(t.text);
        for (const auto& j : config.jargon)
            if (containsPhrase(low, lower(j.phrase)))
                r.findings.push_back({t.where, "\"" + j.phrase + "\" is jargon: write \"" + j.plainer + "\"", true});
        for (const auto& s : sentences(t.text)) {
            auto ws = words(s);
            ++r.sentences;
            r.words += static_cast<int>(ws.size());
            for (const auto& w : ws) syllables += countSyllables(w);
            if (static_cast<int>(ws.size()) > config.maxSentenceWords)
                r.findings.push_back({t.where, "sentence of " + std::to_string(ws.size()) + " words (at most " +
                                                   std::to_string(config.maxSentenceWords) + "): \"" + shorten(s) + "\"",
                                      true});
            for (std::size_t i = 0; i < ws.size(); ++i) {
                const std::string& w = ws[i];
                bool caps = w.size() >= 2 && std::all_of(w.begin(), w.end(), [](char c) {
                                return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
                            }) && std::any_of(w.begin(), w.end(), [](char c) { return isAlpha(c); });
                if (caps && !config.knownAbbreviations.count(w) && all.find("(" + w + ")") == std::string::npos)
                    r.findings.push_back({t.where, "abbreviation " + w +
                                                       " is not explained: write it out, with the letters in brackets the "
                                                       "first time, e.g. \"anti-social behaviour (ASB)\"",
                                          true});
                if (kBe.count(lower(w)) && i + 1 < ws.size()) {
                    std::size_t k = i + 1;
                    std::string next = lower(ws[k]);
                    if ((next == "not" || next.ends_with("ly")) && k + 1 < ws.size()) next = lower(ws[++k]);
                    if ((next.size() > 3 && next.ends_with("ed")) || kIrregular.count(next))
                        r.findings.push_back({t.where, "passive voice? \"" + ws[i] + " " + ws[k] +
                                                           "\": say who does it (\"we will send\", not \"it will be sent\")",
                                              false});
                }
            }
        }
    }
    if (r.sentences > 0 && r.words > 0) {
        r.averageSentenceWords = static_cast<double>(r.words) / r.sentences;
        r.readingEase = 206.835 - 1.015 * r.averageSentenceWords - 84.6 * (static_cast<double>(syllables) / r.words);
        char buf[160];
        if (r.readingEase < config.minReadingEase) {
            std::snprintf(buf, sizeof buf, "Flesch reading ease %.1f is under %.0f: use shorter words and sentences",
                          r.readingEase, config.minReadingEase);
            r.findings.push_back({name, buf, true});
        }
        if (r.averageSentenceWords > config.maxAverageSentenceWords) {
            std::snprintf(buf, sizeof buf, "sentences average %.1f words (at most %.0f)", r.averageSentenceWords,
                          config.maxAverageSentenceWords);
            r.findings.push_back({name, buf, true});
        }
    }
    return r;
}

LintReport lintTemplate(const Renderer& renderer, const std::string& name, const LintConfig& config) {
    RenderOptions options;
    options.markValues = true;
    Document doc = renderer.render(name, MessageCatalog::kReference, "standard", sampleContext(name), options);
    std::vector<LintText> texts;
    for (const auto& b : doc.blocks) {
        if (b.kind != BlockKind::Heading && b.kind != BlockKind::Paragraph && b.kind != BlockKind::List &&
            b.kind != BlockKind::Footer)
            continue;
        for (const auto& l : b.lines) {
            if (l.lang != MessageCatalog::kReference) continue;
            std::string text;
            for (const auto& r : l.runs) text += r.isolate ? "Sam" : r.text;
            // Headings and list items are sentences of their own.
            if (b.kind != BlockKind::Paragraph && !text.empty() && text.back() != '.' && text.back() != '?') text += '.';
            texts.push_back({b.source, text});
        }
    }
    return lintTexts(name, texts, config);
}

}  // namespace duly::engine
