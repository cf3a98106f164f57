// PlainEnglishLint: `duly templates lint`. Scores the English wording of a
// template (rendered in en-GB with the sample data; values count as one
// short word each) for plain English:
// - Flesch reading ease (goal at least 60), average sentence length (at
//   most 20 words), no sentence over 30 words;
// - jargon: phrases from config/jargon.toml with their plainer words;
// - abbreviations in capitals that are neither listed as known nor
//   explained in brackets, e.g. "anti-social behaviour (ASB)";
// - passive voice, reported as hints (warnings) only.
// Limits come from config/jargon.toml. loadLintConfig throws InputError for
// a malformed file; the lint functions never throw on wording.
#pragma once

#include "duly/engine/Renderer.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace duly::engine {

struct JargonEntry {
    std::string phrase;   // "in accordance with" (matched whole words, any case)
    std::string plainer;  // "under"
};

struct LintConfig {
    double minReadingEase = 60;
    double maxAverageSentenceWords = 20;
    int maxSentenceWords = 30;
    std::vector<JargonEntry> jargon;
    std::set<std::string> knownAbbreviations;  // "UK", "PDF"
};

LintConfig loadLintConfig(const std::filesystem::path& file);

struct LintFinding {
    std::string where;    // "templates/acknowledgement.tmpl:12"
    std::string message;
    bool error = true;    // false: a hint
};

struct LintReport {
    std::string name;
    double readingEase = 0;
    double averageSentenceWords = 0;
    int sentences = 0;
    int words = 0;
    std::vector<LintFinding> findings;
    bool passed() const;
};

struct LintText {
    std::string where;    // reported with each finding
    std::string text;     // one paragraph, heading or list item
};

// Scores paragraphs of English text.
LintReport lintTexts(const std::string& name, const std::vector<LintText>& texts, const LintConfig& config);

// Renders template `name` in en-GB with the sample data and scores its
// English words (values replaced by a one-syllable word). Throws InputError
// when the template does not render.
LintReport lintTemplate(const Renderer& renderer, const std::string& name, const LintConfig& config);

// Syllables in an English word, by vowel groups (exposed for tests).
int countSyllables(std::string_view word);

}  // namespace duly::engine
