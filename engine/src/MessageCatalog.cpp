// MessageCatalog: reads locales/*.toml, compiles each pattern with ICU and
// keeps the formatters. See MessageCatalog.h for the file format and errors.
#include "duly/engine/MessageCatalog.h"

#include "duly/engine/InputError.h"

#include <toml++/toml.h>
#include <unicode/messagepattern.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <atomic>
#include <set>

namespace duly::engine {
namespace {

constexpr std::size_t kMaxPatternBytes = 8 * 1024;
constexpr std::size_t kMaxMessages = 10'000;
std::atomic<std::uint64_t> gNextSerial{1};

bool validTag(std::string_view tag) {
    if (tag.empty() || tag.size() > 35) return false;
    for (char c : tag)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return tag.front() != '-' && tag.back() != '-';
}

std::string where(const std::filesystem::path& file, const toml::source_region& src) {
    return file.string() + ":" + std::to_string(src.begin.line);
}

bool icuHasData(const icu::Locale& loc) {
    int32_t count = 0;
    const icu::Locale* all = icu::Locale::getAvailableLocales(count);
    std::string_view name = loc.getName();
    for (int32_t i = 0; i < count; ++i)
        if (name == all[i].getName()) return true;
    return false;
}

// The argument names of a pattern, sorted, and for each whether it is only
// used as a plain {name} (no select, plural or format type).
std::vector<std::pair<std::string, bool>> argumentsOf(const icu::UnicodeString& pattern) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe;
    icu::MessagePattern mp(pattern, &pe, status);
    std::map<std::string, bool> names;
    if (U_FAILURE(status)) return {};
    for (int32_t i = 0; i + 1 < mp.countParts(); ++i) {
        const auto& start = mp.getPart(i);
        if (start.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
        const auto& name = mp.getPart(i + 1);
        if (name.getType() != UMSGPAT_PART_TYPE_ARG_NAME && name.getType() != UMSGPAT_PART_TYPE_ARG_NUMBER) continue;
        bool plain = start.getArgType() == UMSGPAT_ARG_TYPE_NONE;
        auto [it, fresh] = names.emplace(toUtf8(mp.getSubstring(name)), plain);
        if (!fresh) it->second = it->second && plain;
    }
    return {names.begin(), names.end()};
}

void flatten(const toml::table& table, const std::string& prefix, LocaleCatalog& into) {
    for (const auto& [key, node] : table) {
        std::string id = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* sub = node.as_table()) {
            flatten(*sub, id, into);
            continue;
        }
        const auto* str = node.as_string();
        if (!str)
            throw InputError(where(into.file, node.source()) + ": message " + id +
                             ": expected a string holding an ICU MessageFormat pattern");
        if (str->get().size() > kMaxPatternBytes)
            throw InputError(where(into.file, node.source()) + ": message " + id + ": longer than " +
                             std::to_string(kMaxPatternBytes) + " bytes");
        if (into.messages.size() >= kMaxMessages)
            throw InputError(into.file.string() + ": more than " + std::to_string(kMaxMessages) + " messages");
        Message m;
        m.id = id;
        m.pattern = str->get();
        m.line = static_cast<int>(node.source().begin.line);
        m.serial = gNextSerial.fetch_add(1, std::memory_order_relaxed);
        icu::UnicodeString upattern = toUnicode(m.pattern);
        UErrorCode status = U_ZERO_ERROR;
        UParseError pe{};
        auto fmt = std::make_unique<icu::MessageFormat>(upattern, into.icuLocale, pe, status);
        if (U_FAILURE(status)) {
            m.error = std::string("pattern does not compile (") + u_errorName(status) + " at character " +
                      std::to_string(pe.offset + 1) + ")";
        } else {
            m.format = std::move(fmt);
            for (const auto& [name, plain] : argumentsOf(upattern)) {
                m.arguments.push_back(name);
                m.argumentNames.push_back(toUnicode(name));
                m.plainArguments.push_back(plain);
            }
        }
        into.messages.emplace(id, std::move(m));
    }
}

}  // namespace

icu::UnicodeString toUnicode(std::string_view utf8) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

std::string toUtf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

const Message* LocaleCatalog::find(const std::string& id) const {
    auto it = messages.find(id);
    return it == messages.end() ? nullptr : &it->second;
}

icu::UnicodeString LocaleCatalog::formatDate(Instant at) const {
    struct Key {
        std::uint64_t serial;
        std::int64_t seconds;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const {
            return std::hash<std::uint64_t>{}(k.serial * 0x9e3779b97f4a7c15ULL ^ static_cast<std::uint64_t>(k.seconds));
        }
    };
    thread_local std::unordered_map<Key, icu::UnicodeString, KeyHash> cache;
    Key key{serial, at.time_since_epoch().count()};
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    icu::UnicodeString out;
    auto ms = static_cast<UDate>(at.time_since_epoch().count()) * 1000.0;
    longDate->format(ms, out);
    if (cache.size() >= 4096) cache.clear();
    cache.emplace(key, out);
    return out;
}

std::unique_ptr<LocaleCatalog> loadLocaleFile(const std::filesystem::path& file) {
    auto cat = std::make_unique<LocaleCatalog>();
    cat->file = file;
    cat->serial = gNextSerial.fetch_add(1, std::memory_order_relaxed);
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw InputError(file.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                         std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
    }
    const auto* meta = root["locale"].as_table();
    if (!meta) throw InputError(file.string() + ": expected a [locale] table with tag and direction");
    cat->tag = (*meta)["tag"].value_or(std::string{});
    std::string stem = file.stem().string();
    if (cat->tag != stem)
        throw InputError(file.string() + ": [locale] tag is \"" + cat->tag + "\" but the file is named for \"" +
                         stem + "\"");
    if (!validTag(cat->tag)) throw InputError(file.string() + ": [locale] tag \"" + cat->tag + "\" is not a BCP 47 tag");
    cat->name = (*meta)["name"].value_or(cat->tag);
    std::string dir = (*meta)["direction"].value_or(std::string("ltr"));
    if (dir == "rtl") cat->dir = Direction::Rtl;
    else if (dir == "ltr") cat->dir = Direction::Ltr;
    else throw InputError(file.string() + ": [locale] direction is \"" + dir + "\", expected \"ltr\" or \"rtl\"");
    std::string icuName = (*meta)["icu"].value_or(cat->tag);
    UErrorCode tagStatus = U_ZERO_ERROR;
    cat->icuLocale = icu::Locale::forLanguageTag(icuName, tagStatus);
    if (U_FAILURE(tagStatus)) throw InputError(file.string() + ": [locale] icu \"" + icuName + "\" is not a locale");
    if (!icuHasData(cat->icuLocale)) {
        // ICU may lack a locale (older data has no yue-Hant): use the
        // declared fallback for dates and plurals (zh-Hant for Cantonese).
        std::string fb = (*meta)["format-fallback"].value_or(std::string("en-GB"));
        UErrorCode st = U_ZERO_ERROR;
        cat->icuLocale = icu::Locale::forLanguageTag(fb, st);
    }
    if (const auto* eo = (*meta)["english-only"].as_array())
        for (const auto& n : *eo)
            if (auto s = n.value<std::string>()) cat->englishOnly.push_back(*s);
    cat->longDate.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, cat->icuLocale));
    if (!cat->longDate) throw InputError(file.string() + ": ICU has no date format for " + icuName);
    cat->longDate->adoptTimeZone(icu::TimeZone::createTimeZone("Europe/London"));
    if (const auto* msgs = root["messages"].as_table()) flatten(*msgs, "", *cat);
    else throw InputError(file.string() + ": expected a [messages] table");
    return cat;
}

MessageCatalog MessageCatalog::load(const std::filesystem::path& dir) {
    MessageCatalog catalog;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw InputError(dir.string() + ": locale folder not found");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        auto cat = loadLocaleFile(f);
        std::string tag = cat->tag;
        catalog._locales.emplace(tag, std::move(cat));
    }
    if (!catalog.locale(kReference))
        throw InputError(dir.string() + ": en-GB.toml not found (the reference locale every other falls back to)");
    return catalog;
}

const LocaleCatalog* MessageCatalog::locale(std::string_view tag) const {
    auto it = _locales.find(tag);
    return it == _locales.end() ? nullptr : it->second.get();
}

std::vector<const LocaleCatalog*> MessageCatalog::chain(std::string_view tag) const {
    if (!validTag(tag))
        throw InputError("locale \"" + std::string(tag) + "\" is not a language tag (expected e.g. en-GB, ur, yue-Hant)");
    std::vector<const LocaleCatalog*> out;
    std::string t(tag);
    while (!t.empty()) {
        if (const auto* c = locale(t)) out.push_back(c);
        auto dash = t.rfind('-');
        t = dash == std::string::npos ? std::string{} : t.substr(0, dash);
    }
    const auto* ref = locale(kReference);
    if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(ref);
    return out;
}

std::vector<std::string> MessageCatalog::tags() const {
    std::vector<std::string> out;
    for (const auto& [t, _] : _locales) out.push_back(t);
    return out;
}

}  // namespace duly::engine
