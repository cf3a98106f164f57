// `templates check` catches a missing message, a broken ICU pattern and a
// placeholder mismatch; `templates lint` passes the shipped English
// templates and fails a jargon-filled one with useful messages.
#include "duly/engine/PlainEnglishLint.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/TemplateCheck.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>

using namespace duly::engine;
namespace fs = std::filesystem;

namespace {

// A small home folder written for one test and removed after it.
class TempHome {
public:
    explicit TempHome(const std::string& name)
        : _dir(fs::temp_directory_path() / ("duly-templates-test-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(_dir);
        fs::create_directories(_dir / "locales");
        fs::create_directories(_dir / "templates");
    }
    ~TempHome() { fs::remove_all(_dir); }
    void write(const std::string& rel, const std::string& text) const { std::ofstream(_dir / rel) << text; }
    const fs::path& dir() const { return _dir; }

private:
    fs::path _dir;
};

const std::string kEnglish =
    "[locale]\ntag = \"en-GB\"\ndirection = \"ltr\"\n[messages]\n"
    "hello = \"Hello {name}.\"\n"
    "count = \"{n, plural, one {# case} other {# cases}}\"\n"
    "bye = \"Goodbye.\"\n";

const std::string kTemplate = "@paragraph\n{{t hello name=customer.name}} {{t count n=3}} {{t bye}}\n";

std::vector<CheckFinding> check(const std::string& name, const std::string& urdu) {
    TempHome home(name);
    home.write("locales/en-GB.toml", kEnglish);
    home.write("locales/ur.toml", "[locale]\ntag = \"ur\"\ndirection = \"rtl\"\n[messages]\n" + urdu);
    home.write("templates/t.tmpl", kTemplate);
    auto findings = checkTemplates(home.dir());
    for (auto& f : findings) f.where = fs::path(f.where).filename().string();
    return findings;
}

TEST(TemplateCheck, CompleteLocalesPass) {
    auto f = check("ok", "hello = \"سلام {name}۔\"\ncount = \"{n, plural, one {# معاملہ} other {# معاملات}}\"\nbye = \"خدا حافظ۔\"\n");
    EXPECT_TRUE(f.empty()) << f.front().message;
}

TEST(TemplateCheck, CatchesAMissingMessage) {
    auto f = check("missing", "hello = \"سلام {name}۔\"\ncount = \"{n, plural, other {# معاملات}}\"\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].where, "ur.toml");
    EXPECT_EQ(f[0].message, "message bye is missing (English at locales/en-GB.toml:7)");
    EXPECT_TRUE(f[0].error);
}

TEST(TemplateCheck, CatchesABrokenPattern) {
    auto f = check("broken", "hello = \"سلام {name۔\"\ncount = \"{n, plural, other {# معاملات}}\"\nbye = \"خدا حافظ۔\"\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].where, "ur.toml:5");
    EXPECT_EQ(f[0].message.rfind("message hello: pattern does not compile (U_", 0), 0u) << f[0].message;
}

TEST(TemplateCheck, CatchesAPlaceholderMismatch) {
    auto f = check("mismatch", "hello = \"سلام {naam}۔\"\ncount = \"{n, plural, other {# معاملات}}\"\nbye = \"خدا حافظ۔\"\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].where, "ur.toml:5");
    EXPECT_EQ(f[0].message, "message hello: placeholders {naam} do not match the English {name} (locales/en-GB.toml:5)");
}

TEST(TemplateCheck, CatchesATemplateThatForgetsAnArgument) {
    TempHome home("arg");
    home.write("locales/en-GB.toml", kEnglish);
    home.write("templates/t.tmpl", "@paragraph\n{{t hello}} {{t nothere}}\n{{#if x}}\n");
    auto f = checkTemplates(home.dir());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("t.tmpl:3:1: {{#if}} is never closed"), std::string::npos) << f[0].message;
    home.write("templates/t.tmpl", "@paragraph\n{{t hello}} {{t nothere}}\n");
    f = checkTemplates(home.dir());
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].message, "message hello needs {name} but the template passes no name=");
    EXPECT_EQ(f[1].message, "uses message nothere, which en-GB.toml does not have");
}

TEST(TemplateCheck, ShippedLocalesAreComplete) {
    auto f = checkTemplates(DULY_SOURCE_HOME);
    for (const auto& x : f) ADD_FAILURE() << x.where << ": " << x.message;
}

TEST(Render, MissingMessageFallsBackToEnglishAndIsRecorded) {
    TempHome home("fallback");
    home.write("locales/en-GB.toml", kEnglish);
    home.write("locales/ur.toml",
               "[locale]\ntag = \"ur\"\ndirection = \"rtl\"\n[messages]\nhello = \"سلام {name}۔\"\nbye = \"{broken\"\n");
    home.write("templates/t.tmpl", kTemplate);
    Renderer r(home.dir());
    Value ctx = Value::map();
    ctx.set("customer.name", "Nasreen");
    Document doc = r.render("t", "ur-PK", "standard", ctx);
    ASSERT_EQ(doc.fallbacks.size(), 3u);
    EXPECT_EQ(doc.fallbacks[0], (Fallback{"locale", "ur-PK", "ur", "no locale file for ur-PK"}));
    EXPECT_EQ(doc.fallbacks[1], (Fallback{"count", "ur", "en-GB", "missing in ur.toml"}));
    EXPECT_EQ(doc.fallbacks[2].what, "bye");
    EXPECT_EQ(doc.fallbacks[2].reason.rfind("pattern does not compile", 0), 0u);
    ASSERT_EQ(doc.blocks.size(), 1u);
    const Line& line = doc.blocks[0].lines.at(0);
    EXPECT_EQ(line.plainText(), "سلام Nasreen۔ 3 cases Goodbye.");
    // The English words keep their own language tag inside the Urdu line.
    EXPECT_EQ(line.runs.back().lang, "en-GB");
}

TEST(PlainEnglishLint, ShippedTemplatesPass) {
    Renderer r(DULY_SOURCE_HOME);
    auto config = loadLintConfig(fs::path(DULY_SOURCE_HOME) / "config" / "jargon.toml");
    for (const auto& name : r.templates().names()) {
        auto report = lintTemplate(r, name, config);
        EXPECT_TRUE(report.passed()) << name;
        EXPECT_GE(report.readingEase, 60) << name;
        EXPECT_LE(report.averageSentenceWords, 20) << name;
        for (const auto& f : report.findings)
            if (f.error) ADD_FAILURE() << name << ": " << f.where << ": " << f.message;
    }
}

TEST(PlainEnglishLint, JargonFilledTemplateFailsWithUsefulMessages) {
    Renderer r(fs::path(DULY_TEST_DATA) / "lint-home");
    auto config = loadLintConfig(fs::path(DULY_SOURCE_HOME) / "config" / "jargon.toml");
    auto report = lintTemplate(r, "jargon-filled", config);
    EXPECT_FALSE(report.passed());
    std::vector<std::string> messages;
    for (const auto& f : report.findings) messages.push_back(fs::path(f.where).filename().string() + ": " + f.message);
    auto has = [&](const std::string& m) {
        return std::find(messages.begin(), messages.end(), m) != messages.end();
    };
    EXPECT_TRUE(has("jargon-filled.tmpl:4: \"in accordance with\" is jargon: write \"under\""));
    EXPECT_TRUE(has("jargon-filled.tmpl:4: \"commence\" is jargon: write \"start\""));
    EXPECT_TRUE(has("jargon-filled.tmpl:4: \"prior to\" is jargon: write \"before\""));
    EXPECT_TRUE(has("jargon-filled.tmpl:4: \"utilise\" is jargon: write \"use\""));
    EXPECT_TRUE(has("jargon-filled.tmpl:4: abbreviation ASB is not explained: write it out, with the letters in "
                    "brackets the first time, e.g. \"anti-social behaviour (ASB)\""));
    EXPECT_TRUE(std::any_of(messages.begin(), messages.end(), [](const std::string& m) {
        return m.find("jargon-filled.tmpl:4: sentence of 48 words (at most 30)") == 0;
    })) << ::testing::PrintToString(messages);
    EXPECT_TRUE(std::any_of(messages.begin(), messages.end(), [](const std::string& m) {
        return m.find("jargon-filled: Flesch reading ease") == 0;
    }));
    EXPECT_TRUE(has("jargon-filled.tmpl:6: passive voice? \"are discontinued\": say who does it (\"we will send\", not \"it will be sent\")"));
}

TEST(PlainEnglishLint, Scores) {
    EXPECT_EQ(countSyllables("cat"), 1);
    EXPECT_EQ(countSyllables("make"), 1);
    EXPECT_EQ(countSyllables("table"), 2);
    EXPECT_EQ(countSyllables("received"), 2);
    EXPECT_EQ(countSyllables("wanted"), 2);
    EXPECT_EQ(countSyllables("information"), 4);
    LintConfig c;
    auto r = lintTexts("t", {{"x", "The cat sat on the mat. It was happy."}}, c);
    EXPECT_EQ(r.sentences, 2);
    EXPECT_EQ(r.words, 9);
    EXPECT_TRUE(r.passed());
    EXPECT_GT(r.readingEase, 100);
}

}  // namespace
