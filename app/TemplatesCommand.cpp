// duly templates lint|check: the plain-English check of the English
// templates (and of every letter in Braille and speech, in every locale),
// and the completeness and consistency check of every locale
// and template. Both print one finding per line ("where: what") and exit
// 1 when any finding is an error, 0 otherwise.
#include "Command.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/InputError.h"
#include "duly/engine/PlainEnglishLint.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/TemplateCheck.h"
#include "duly/pdf/AccessibleFormats.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace {

using duly::engine::InputError;

int runLint(duly::app::Context& ctx, const std::optional<std::string>& only, const std::optional<std::string>& jargon) {
    duly::engine::Renderer renderer(ctx.home);
    auto config = duly::engine::loadLintConfig(jargon ? std::filesystem::path(*jargon) : ctx.home / "config" / "jargon.toml");
    std::vector<std::string> names = only ? std::vector<std::string>{*only} : renderer.templates().names();
    bool failed = false;
    for (const auto& name : names) {
        duly::engine::LintReport report;
        try {
            report = duly::engine::lintTemplate(renderer, name, config);
        } catch (const InputError& e) {
            ctx.out << name << ": error: " << e.what() << "\n";
            failed = true;
            continue;
        }
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s: reading ease %.1f, %d sentences, %.1f words a sentence: %s\n", name.c_str(),
                      report.readingEase, report.sentences, report.averageSentenceWords,
                      report.passed() ? "ok" : "FAILED");
        ctx.out << buf;
        for (const auto& f : report.findings)
            ctx.out << "  " << f.where << ": " << (f.error ? "error: " : "hint: ") << f.message << "\n";
        failed = failed || !report.passed();
        // Letters (not officers' mail) also in Braille and speech, in every locale.
        if (name.rfind("officer-", 0) != 0)
            for (const char* locale : {"en-GB", "ur", "yue-Hant"}) {
                std::vector<std::string> findings;
                try {
                    findings = duly::pdf::accessibleFormatFindings(
                        renderer.render(name, locale, "standard", duly::engine::sampleContext(name)));
                } catch (const InputError& e) {
                    findings = {std::string("does not render: ") + e.what()};
                }
                for (const auto& f : findings) ctx.out << "  " << locale << ": error: " << f << "\n";
                failed = failed || !findings.empty();
            }
    }
    return failed ? 1 : 0;
}

int runCheck(duly::app::Context& ctx) {
    auto findings = duly::engine::checkTemplates(ctx.home);
    // Then every letter each shipped charter can send, in every locale and
    // format, assigned and unassigned: none may have an empty field.
    const bool templatesParse = std::none_of(findings.begin(), findings.end(), [](const auto& f) { return f.error; });
    if (templatesParse) {
        duly::engine::Renderer renderer(ctx.home);
        duly::engine::CharterBook charters(ctx.home);
        std::size_t letters = 0;
        for (const auto& name : charters.shipped()) {
            std::vector<duly::engine::CheckFinding> more;
            try {
                more = duly::engine::checkCharterLetters(renderer, charters.get(name), false, &letters);
            } catch (const InputError& e) {
                more = {{"config/charters/" + name + ".toml", e.what(), true}};
            }
            findings.insert(findings.end(), more.begin(), more.end());
        }
        ctx.out << letters << " letters rendered for " << charters.shipped().size() << " charters\n";
    }
    int errors = 0;
    for (const auto& f : findings) {
        ctx.out << f.where << ": " << (f.error ? "error: " : "warning: ") << f.message << "\n";
        errors += f.error ? 1 : 0;
    }
    ctx.out << (errors ? std::to_string(errors) + " errors\n" : std::string("templates and locales: ok\n"));
    return errors ? 1 : 0;
}

int runTemplates(duly::app::Context& ctx) {
    auto& args = ctx.args;
    auto only = args.option("template");
    auto jargon = args.option("jargon");
    std::string what = args.positional(0, "lint or check");
    args.finish();
    if (what == "lint") return runLint(ctx, only, jargon);
    if (what == "check") return runCheck(ctx);
    throw InputError("duly templates " + what + ": expected lint or check");
}

const duly::app::CommandRegistration reg{
    "templates", "check templates and locales (lint: plain English; check: every locale complete)",
    "Usage: duly templates lint [--template NAME] [--jargon FILE]\n"
    "       duly templates check\n\n"
    "lint    scores the English wording of every template (or one) rendered with the sample data:\n"
    "        Flesch reading ease, sentence lengths, jargon and abbreviations from\n"
    "        config/jargon.toml (or --jargon FILE), and passive-voice hints. Exits 1 on\n"
    "        any error.\n"
    "check   every locale has every message, every pattern compiles in ICU, the\n"
    "        placeholders of each translation match the English, and every template\n"
    "        parses and passes each message its arguments; then renders every letter\n"
    "        each charter in config/charters can send (each channel and kind it has a\n"
    "        rule for, each brand, assigned and unassigned, every locale, standard and\n"
    "        large print) and reports any empty field with the charter key to fill\n"
    "        in. Exits 1 on any error.\n",
    runTemplates};

}  // namespace
