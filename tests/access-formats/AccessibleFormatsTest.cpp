// Tests of planFormats: a customer's formats list gives the files to make,
// once each, in the order asked; a format that cannot be made is a
// shortfall naming why and what is sent instead (never silently dropped);
// file names cannot leave the print run's folder.
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/Template.h"
#include "duly/engine/InputError.h"
#include "duly/pdf/AccessibleFormats.h"
#include "duly/pdf/LetterSettings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace duly::pdf;
using duly::engine::Document;

namespace {

Document sample(const std::string& locale) {
    static duly::engine::Renderer r{DULY_SOURCE_HOME};
    return r.render("acknowledgement", locale, "standard", duly::engine::sampleContext("acknowledgement"));
}

TEST(FormatPlans, EachFormatAskedForIsMadeOnce) {
    const FormatPlan plan = planFormats(sample("en-GB"), {"large-print", "audio", "braille", "audio"});
    EXPECT_TRUE(plan.largePrint);
    ASSERT_EQ(plan.files.size(), 2u);
    EXPECT_EQ(plan.files[0].format, "audio");
    EXPECT_EQ(plan.files[0].extension, "ogg");
    EXPECT_EQ(plan.files[0].bytes.substr(0, 4), "OggS");
    EXPECT_EQ(plan.files[1].format, "braille");
    EXPECT_EQ(plan.files[1].extension, "brf");
    EXPECT_NE(plan.files[1].bytes.find("\r\n\f"), std::string::npos);
    EXPECT_TRUE(plan.shortfalls.empty());
}

TEST(FormatPlans, StandardPrintOnlyMakesNothing) {
    const FormatPlan plan = planFormats(sample("ur"), {});
    EXPECT_FALSE(plan.largePrint);
    EXPECT_TRUE(plan.files.empty());
    EXPECT_TRUE(plan.shortfalls.empty());
}

TEST(FormatPlans, WavForACd) {
    FormatSettings s;
    s.audioContainer = AudioContainer::Wav;
    const FormatPlan plan = planFormats(sample("yue-Hant"), {"audio"}, s);
    ASSERT_EQ(plan.files.size(), 1u);
    EXPECT_EQ(plan.files[0].extension, "wav");
    EXPECT_EQ(plan.files[0].bytes.substr(0, 4), "RIFF");
}

TEST(FormatPlans, WhatCannotBeMadeIsAShortfallWithTheBestSubstitute) {
    Document doc = sample("en-GB");
    doc.lang = "fr";  // no Braille table, no voice
    const FormatPlan plan = planFormats(doc, {"braille", "audio", "easy-read"});
    EXPECT_TRUE(plan.files.empty());
    ASSERT_EQ(plan.shortfalls.size(), 3u);
    EXPECT_EQ(plan.shortfalls[0].format, "braille");
    EXPECT_EQ(plan.shortfalls[0].reason, "no Braille table for language fr");
    EXPECT_EQ(plan.shortfalls[0].substitute, "large-print");
    EXPECT_EQ(plan.shortfalls[1].format, "audio");
    EXPECT_EQ(plan.shortfalls[1].reason, "no espeak-ng voice for language fr");
    EXPECT_EQ(plan.shortfalls[1].substitute, "large-print");
    EXPECT_EQ(plan.shortfalls[2].format, "easy-read");
    EXPECT_EQ(plan.shortfalls[2].substitute, "large-print");
    EXPECT_TRUE(plan.largePrint) << "the substitute is printed";
}

TEST(FormatPlans, EasyReadAloneFallsBackToStandardPrint) {
    const FormatPlan plan = planFormats(sample("en-GB"), {"easy-read"});
    ASSERT_EQ(plan.shortfalls.size(), 1u);
    EXPECT_EQ(plan.shortfalls[0].substitute, "standard");
    EXPECT_FALSE(plan.largePrint);
}

TEST(FormatLint, EveryLetterTemplateComesThroughInBrailleAndSpeech) {
    static duly::engine::Renderer r{DULY_SOURCE_HOME};
    for (const std::string locale : {"en-GB", "ur", "yue-Hant"})
        for (const auto& kind : duly::engine::documentKinds()) {
            if (kind.rfind("officer-", 0) == 0) continue;
            const auto findings = accessibleFormatFindings(r.render(kind, locale, "standard", duly::engine::sampleContext(kind)));
            EXPECT_TRUE(findings.empty()) << kind << " " << locale << ": " << findings.front();
        }
}

TEST(FormatLint, ASymbolWithNoBrailleOrReadingIsNamedWithItsTemplateLine) {
    Document doc = sample("en-GB");
    for (auto& b : doc.blocks)
        if (b.kind == duly::engine::BlockKind::Paragraph) {
            b.lines.front().runs.push_back({" \u2603 \u2603", "en-GB"});
            b.source = "templates/acknowledgement.tmpl:14";
            break;
        }
    const auto findings = accessibleFormatFindings(doc);
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_EQ(findings[0], "braille: U+2603 \u2603 (en-ueb-g2.ctb) in templates/acknowledgement.tmpl:14");
    EXPECT_EQ(findings[1], "audio: U+2603 \u2603 in templates/acknowledgement.tmpl:14: not read aloud");
    doc.lang = "fr";
    const auto french = accessibleFormatFindings(doc);
    ASSERT_GE(french.size(), 2u);
    EXPECT_EQ(french[0], "braille: no Braille table for language fr");
    EXPECT_EQ(french[1], "audio: no espeak-ng voice for language fr");
}

TEST(FormatSettingsFile, BrailleAndAudioFromLettersToml) {
    const auto dir = std::filesystem::temp_directory_path() / ("duly-letters-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "letters.toml";
    std::ofstream(file) << "[braille]\ncells-per-line = 32\nlines-per-page = 28\n[audio]\nwords-per-minute = 140\n";
    const auto s = loadLetterSettings(file, dir);
    EXPECT_EQ(s.braille, (BrailleSettings{32, 28}));
    EXPECT_EQ(s.audio, (AudioSettings{140, 24000}));
    for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
             {"[braille]\ncells-per-line = 8\n", ":2: braille.cells-per-line: expected a number of cells from 10 to 100"},
             {"[braille]\nlines-per-page = \"25\"\n", ":2: braille.lines-per-page: expected a whole number of lines"},
             {"[audio]\nbitrate = 1000000\n", ":2: audio.bitrate: expected a number of bits a second from 6000 to 256000"},
             {"[audio]\nvoice = \"en-us\"\n", ":2: audio.voice: unknown key (accepted: words-per-minute, bitrate)"}}) {
        std::ofstream(file) << text;
        try {
            loadLetterSettings(file, dir);
            ADD_FAILURE() << text;
        } catch (const duly::engine::InputError& e) {
            EXPECT_NE(std::string(e.what()).find(file.string() + message), std::string::npos) << e.what();
        }
    }
    std::filesystem::remove_all(dir);
}

TEST(FormatFileNames, SequenceAndReferenceNeverAPath) {
    EXPECT_EQ(formatFileName(7, "PHG-2026-00042", "brf"), "0007-PHG-2026-00042.brf");
    EXPECT_EQ(formatFileName(12345, "PHG-1", "ogg"), "12345-PHG-1.ogg");
    EXPECT_EQ(formatFileName(1, "../../etc/passwd", "wav"), "0001-______etc_passwd.wav");
    EXPECT_EQ(formatFileName(1, "", "brf"), "0001-_.brf");
}

TEST(FormatFiles, WrittenBesideThePrintRunInAFolderPerFormat) {
    const auto dir = std::filesystem::temp_directory_path() / ("duly-formats-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const FormatPlan plan = planFormats(sample("en-GB"), {"braille", "audio"});
    const auto written = writeFormatFiles(dir, "print-run-20261207-1300", 3, "PHG-2026-00042", plan);
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(written[0], "print-run-20261207-1300-braille/0003-PHG-2026-00042.brf");
    EXPECT_EQ(written[1], "print-run-20261207-1300-audio/0003-PHG-2026-00042.ogg");
    for (size_t i = 0; i < 2; ++i) {
        std::ifstream in(dir / written[i], std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        EXPECT_EQ(bytes, plan.files[i].bytes) << written[i];
        EXPECT_FALSE(std::filesystem::exists(dir / (written[i] + ".tmp")));
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
