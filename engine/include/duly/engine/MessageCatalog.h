// MessageCatalog: every locale's messages, read from locales/<tag>.toml, each
// compiled once into an icu::MessageFormat and kept for the life of the
// catalog (compiling is the slow part; formatting a cached one is cheap).
// Also keeps, per locale, the ICU date formatter used for dates in letters
// ("22 November 2026", "22 نومبر، 2026", "2026年11月22日"), in Europe/London.
//
// File format (docs/templates.md):
//   [locale]
//   tag = "ur"                 # must match the file name
//   name = "اردو"
//   direction = "rtl"          # "ltr" or "rtl"
//   icu = "ur"                 # ICU locale for dates and plural rules (optional)
//   format-fallback = "zh-Hant"  # used when ICU has no data for `icu` (optional)
//   english-only = ["digest."] # en-GB only: id prefixes other locales need not have
//   [messages]
//   ack.heading = "…ICU MessageFormat pattern…"
// Dotted keys and sub-tables are flattened into message ids ("ack.heading").
//
// Loading throws InputError (file:line: what) for unreadable or malformed
// TOML or a bad [locale] table. A pattern that does not compile does NOT
// throw: it is kept with its error, so rendering falls back (and records
// it) and `duly templates check` reports it.
#pragma once

#include "duly/engine/Document.h"
#include "duly/engine/Time.h"

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace duly::engine {

struct Message {
    std::string id;                 // "ack.heading"
    std::string pattern;            // the ICU MessageFormat text as written
    int line = 0;                   // where in the locale file
    std::unique_ptr<icu::MessageFormat> format;  // null when the pattern is broken
    std::string error;              // why it does not compile; empty when it does
    std::vector<std::string> arguments;  // argument names, sorted, unique
    std::vector<icu::UnicodeString> argumentNames;  // the same, for formatting
    // Per argument: true when it is only ever a plain {name} placeholder.
    // Only those may be wrapped in bidi isolates; a select or plural
    // argument must reach ICU unchanged to match its keywords.
    std::vector<bool> plainArguments;
    std::uint64_t serial = 0;       // unique in the process: keys caches of formatted text
};

struct LocaleCatalog {
    std::string tag;                // "yue-Hant"
    std::string name;               // "廣東話 (繁體中文)"
    Direction dir = Direction::Ltr;
    icu::Locale icuLocale;          // for dates, numbers and plural rules
    std::filesystem::path file;     // "…/locales/yue-Hant.toml"
    std::vector<std::string> englishOnly;  // message id prefixes (en-GB only)
    std::unordered_map<std::string, Message> messages;
    std::unique_ptr<icu::DateFormat> longDate;  // Europe/London
    std::uint64_t serial = 0;       // unique in the process: keys the date cache

    const Message* find(const std::string& id) const;
    // The long date of `at` in Europe/London, in this locale's form (kept in
    // a small per-thread cache: letters repeat the same few dates).
    icu::UnicodeString formatDate(Instant at) const;
};

class MessageCatalog {
public:
    MessageCatalog() = default;
    MessageCatalog(MessageCatalog&&) noexcept = default;
    MessageCatalog& operator=(MessageCatalog&&) noexcept = default;

    // Reads every *.toml in `dir`. Throws InputError as described above, and
    // when en-GB.toml (the reference locale) is missing.
    static MessageCatalog load(const std::filesystem::path& dir);

    // The locale file for exactly `tag`; nullptr when there is none.
    const LocaleCatalog* locale(std::string_view tag) const;

    // Where to look for `tag`'s messages, best first: the tag itself, then
    // shorter tags ("ur-PK" → "ur"), then en-GB; only locales that exist.
    // Throws InputError for a tag that is not BCP 47 shaped.
    std::vector<const LocaleCatalog*> chain(std::string_view tag) const;

    // Every locale tag, sorted.
    std::vector<std::string> tags() const;

    static constexpr const char* kReference = "en-GB";

private:
    std::map<std::string, std::unique_ptr<LocaleCatalog>, std::less<>> _locales;
};

// Reads one locale file (exposed for tests and `templates check`).
std::unique_ptr<LocaleCatalog> loadLocaleFile(const std::filesystem::path& file);

// UTF-8 ↔ ICU strings.
icu::UnicodeString toUnicode(std::string_view utf8);
std::string toUtf8(const icu::UnicodeString& text);

}  // namespace duly::engine
