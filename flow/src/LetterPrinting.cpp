// LetterPrinting: loads config/letters.toml and the fonts once, and fills a
// letter's options (page label from the locale's page.number message,
// document information). Owns the FontSet and LetterWriter. Fails with
// InputError for bad settings, fonts or images (naming the file).
#include "duly/flow/LetterPrinting.h"

#include "duly/engine/MessageCatalog.h"

#include <unicode/msgfmt.h>

#include <chrono>
#include <cstdio>

namespace duly::flow {

LetterPrinting::LetterPrinting(const engine::Renderer& renderer, const std::filesystem::path& home,
                               const std::optional<LetterSigning>& signing)
    : _renderer(renderer), _settings(pdf::loadLetterSettings(home / "config" / "letters.toml", home)),
      _fonts(std::make_unique<pdf::FontSet>(_settings.fonts)),
      _writer(std::make_unique<pdf::LetterWriter>(*_fonts, _settings)) {
    if (signing) {
        _signer.emplace(pdf::SigningIdentity::fromFiles(signing->p12, signing->passwordFile));
        _reason = signing->reason;
    }
}

std::string LetterPrinting::sign(std::string pdfBytes, engine::Instant signedAt) const {
    if (!_signer) return pdfBytes;
    pdf::SignatureRequest request;
    request.time = signedAt;
    request.reason = _reason;
    return _signer->sign(pdfBytes, request);
}

pdf::LetterOptions LetterPrinting::options(const engine::Document& doc, const LetterFacts& facts) const {
    pdf::LetterOptions o;
    o.brand = facts.brand;
    o.officerId = facts.officerId;
    o.author = facts.officerName;
    o.reference = facts.reference;
    // "Page {page} of {pages}" in the letter's language (its fallback chain).
    for (const auto* locale : _renderer.catalog().chain(doc.lang)) {
        const engine::Message* m = locale->find("page.number");
        if (!m || !m->format) continue;
        icu::UnicodeString names[] = {"page", "pages"};
        icu::Formattable values[] = {icu::Formattable(icu::UnicodeString("{page}")),
                                     icu::Formattable(icu::UnicodeString("{pages}"))};
        icu::UnicodeString out;
        UErrorCode status = U_ZERO_ERROR;
        m->format->format(names, values, 2, out, status);
        if (U_SUCCESS(status)) {
            o.pageOfPattern = engine::toUtf8(out);
            break;
        }
    }
    if (facts.date.time_since_epoch().count() != 0) {
        const auto secs = std::chrono::floor<std::chrono::seconds>(facts.date);
        const auto day = std::chrono::floor<std::chrono::days>(secs);
        const std::chrono::year_month_day ymd{day};
        const std::chrono::hh_mm_ss hms{secs - day};
        char buf[64];
        std::snprintf(buf, sizeof buf, "D:%04d%02u%02u%02ld%02ld%02ldZ", int(ymd.year()), unsigned(ymd.month()),
                      unsigned(ymd.day()), long(hms.hours().count()), long(hms.minutes().count()),
                      long(hms.seconds().count()));
        o.creationDate = buf;
    }
    return o;
}

std::string LetterPrinting::write(const engine::Document& doc, const LetterFacts& facts, engine::Instant signedAt,
                                  bool windowOutline) {
    pdf::LetterOptions o = options(doc, facts);
    o.windowOutline = windowOutline;
    return sign(_writer->write(doc, o), signedAt);
}

}  // namespace duly::flow
