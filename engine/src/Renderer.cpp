// Renderer: walks a parsed template over a context, formats messages with
// the cached ICU formatters and builds the Document's blocks, lines and
// runs. See Renderer.h for the guarantees and failures.
#include "duly/engine/Renderer.h"

#include "duly/engine/InputError.h"

#include <toml++/toml.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

namespace duly::engine {
namespace {

constexpr UChar32 kFsi = 0x2068;
constexpr UChar32 kPdi = 0x2069;
constexpr std::size_t kMaxIterations = 10'000;  // items of one {{#each}}
constexpr std::size_t kMaxOutputRuns = 200'000;

bool isBidiControl(UChar32 c) {
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
}

// A value as ICU text: bidi controls and control characters other than line
// breaks and tabs removed (they could reorder or hide what is around them).
icu::UnicodeString cleanValue(std::string_view utf8) {
    bool plain = std::all_of(utf8.begin(), utf8.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f;
    });
    icu::UnicodeString s = toUnicode(utf8);
    if (plain) return s;
    icu::UnicodeString out;
    for (int32_t i = 0; i < s.length();) {
        UChar32 c = s.char32At(i);
        i += U16_LENGTH(c);
        if (isBidiControl(c)) continue;
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c <= 0x9f)) continue;
        out.append(c);
    }
    return out;
}

bool hasRtl(const icu::UnicodeString& s) {
    // Right-to-left scripts start at U+0590: most values end here.
    const char16_t* p = s.getBuffer();
    bool below = true;
    for (int32_t i = 0; i < s.length() && below; ++i) below = p[i] < 0x0590;
    if (below) return false;
    for (int32_t i = 0; i < s.length();) {
        UChar32 c = s.char32At(i);
        i += U16_LENGTH(c);
        auto d = u_charDirection(c);
        if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC) return true;
    }
    return false;
}

// Han, kana, CJK punctuation and full-width forms: lines of such text join
// without a space between them.
bool isCjk(UChar32 c) {
    return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) ||
           (c >= 0x20000 && c <= 0x2fa1f);
}

// The first or last code point of UTF-8 text, decoded in place (this runs
// for every joined line, so it avoids a conversion to UTF-16).
UChar32 edgeCodePoint(const std::string& s, bool atEnd) {
    std::size_t i = 0;
    if (atEnd) {
        i = s.size() - 1;
        while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) --i;
    }
    UChar32 c = 0;
    auto len = static_cast<int32_t>(s.size());
    auto at = static_cast<int32_t>(i);
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), at, len, c);
    return c;
}

bool cjkEdge(const std::string& s, bool atEnd) { return !s.empty() && isCjk(edgeCodePoint(s, atEnd)); }

// Formatted messages, per thread, keyed by the message's serial and its
// argument values. Letters repeat most of their arguments (the
// organisation's details, the officer's), and a hit skips ICU's formatting,
// which costs more than everything else in a render. Cleared when full.
struct FormatCache {
    static constexpr std::size_t kMaxEntries = 4096;
    std::unordered_map<std::u16string, icu::UnicodeString> entries;
};

FormatCache& formatCache() {
    thread_local FormatCache cache;
    return cache;
}

void appendKey(std::u16string& key, char16_t tag, const char16_t* text, int32_t length) {
    key += tag;
    key += static_cast<char16_t>(static_cast<std::uint32_t>(length) >> 16);
    key += static_cast<char16_t>(static_cast<std::uint32_t>(length) & 0xffff);
    key.append(text, static_cast<std::size_t>(length));
}

std::string languageOf(std::string_view tag) { return std::string(tag.substr(0, tag.find('-'))); }

// Collects runs and line breaks between block directives, then turns them
// into blocks (see Document.h for which kinds keep their lines).
class Builder {
public:
    Builder(Document& doc, std::string lang, Direction dir) : _doc(doc), _lang(std::move(lang)), _dir(dir) {}

    void start(const std::string& kind, std::string source) {
        flush();
        _kind = kind;
        _source = std::move(source);
    }

    void text(const icu::UnicodeString& s, const std::string& lang, Direction dir, bool isolate) {
        const char16_t* p = s.getBuffer();
        int32_t len = s.length();
        int32_t start = 0;
        for (int32_t i = 0; i <= len; ++i) {
            bool end = i == len;
            char16_t c = end ? 0 : p[i];
            if (end || c == '\n' || c == '\r') {
                if (i > start) {
                    _scratch.clear();
                    if (start == 0 && end) s.toUTF8String(_scratch);
                    else s.tempSubStringBetween(start, i).toUTF8String(_scratch);
                    add(_scratch, lang, dir, isolate);
                }
                if (!end) {
                    if (c == '\r' && i + 1 < len && p[i + 1] == '\n') ++i;
                    newline();
                }
                start = i + 1;
            }
        }
    }

    void text(std::string_view utf8, const std::string& lang, Direction dir) {
        if (utf8.find_first_of("\r\n") == std::string_view::npos) {
            add(utf8, lang, dir, false);
            return;
        }
        text(toUnicode(utf8), lang, dir, false);
    }

    void newline() { _lines.emplace_back(); }

    void flush() {
        if (_kind.empty()) {
            bool any = std::any_of(_lines.begin(), _lines.end(), [](const std::vector<Run>& l) {
                return std::any_of(l.begin(), l.end(), [](const Run& r) {
                    return r.text.find_first_not_of(" \t") != std::string::npos;
                });
            });
            if (!any) {
                _lines.assign(1, {});
                return;
            }
            _kind = "paragraph";
        }
        std::vector<std::vector<Run>> lines;
        std::vector<std::vector<std::vector<Run>>> groups(1);
        bool grouped = _kind == "paragraphs";
        for (auto& l : _lines) {
            auto t = trimmed(std::move(l));
            if (t.empty()) {
                if (grouped && !groups.back().empty()) groups.emplace_back();
                continue;
            }
            if (grouped) groups.back().push_back(std::move(t));
            else lines.push_back(std::move(t));
        }
        if (grouped)
            for (const auto& g : groups)
                if (!g.empty()) lines.push_back({});  // non-empty marker
        _lines.clear();
        _lines.emplace_back();
        if (!lines.empty()) {
            if (_kind == "subject") {
                _doc.subject = headerSafe(plain(join(lines)));
            } else if (_kind == "paragraphs") {
                for (auto& g : groups)
                    if (!g.empty()) emit(BlockKind::Paragraph, {join(g)});
            } else {
                BlockKind kind = BlockKind::Paragraph;
                blockKindFromName(_kind, kind);
                if (kind == BlockKind::Paragraph || kind == BlockKind::Heading) emit(kind, {join(lines)});
                else emit(kind, std::move(lines));
            }
        }
        _kind.clear();
    }

    std::size_t runs() const { return _count; }

private:
    void add(std::string_view text, const std::string& lang, Direction dir, bool isolate) {
        if (text.empty()) return;
        ++_count;
        auto& line = _lines.back();
        if (!isolate && !line.empty() && !line.back().isolate && line.back().lang == lang && line.back().dir == dir) {
            line.back().text += text;
            return;
        }
        if (line.empty()) line.reserve(4);
        line.push_back(Run{std::string(text), isolate ? std::string("und") : lang, isolate ? Direction::Auto : dir, isolate});
    }

    static bool space(char c) { return c == ' ' || c == '\t'; }

    static std::vector<Run> trimmed(std::vector<Run> runs) {
        while (!runs.empty()) {
            auto& t = runs.front().text;
            std::size_t n = 0;
            while (n < t.size() && space(t[n])) ++n;
            t.erase(0, n);
            if (!t.empty()) break;
            runs.erase(runs.begin());
        }
        while (!runs.empty()) {
            auto& t = runs.back().text;
            while (!t.empty() && space(t.back())) t.pop_back();
            if (!t.empty()) break;
            runs.pop_back();
        }
        return runs;
    }

    std::vector<Run> join(const std::vector<std::vector<Run>>& lines) const {
        std::vector<Run> out;
        for (const auto& l : lines) {
            if (!out.empty() && !l.empty() && !cjkEdge(out.back().text, true) && !cjkEdge(l.front().text, false)) {
                if (!out.back().isolate) out.back().text += ' ';
                else out.push_back(Run{" ", _lang, _dir, false});
            }
            for (const auto& r : l) {
                if (!out.empty() && !r.isolate && !out.back().isolate && out.back().lang == r.lang && out.back().dir == r.dir)
                    out.back().text += r.text;
                else out.push_back(r);
            }
        }
        return out;
    }

    static std::string plain(const std::vector<Run>& runs) {
        std::string s;
        for (const auto& r : runs) s += r.text;
        return s;
    }

    void emit(BlockKind kind, std::vector<std::vector<Run>> lines) {
        Block b;
        b.kind = kind;
        b.lang = _lang;
        b.dir = _dir;
        b.source = _source;
        for (auto& runs : lines) {
            Line line;
            line.lang = _lang;
            line.dir = _dir;
            // A line whose own words are all in one other language (the
            // Urdu line of the alternative-formats footer) carries it.
            const Run* first = nullptr;
            bool same = true;
            for (const auto& r : runs) {
                if (r.isolate) continue;
                if (!first) first = &r;
                else if (r.lang != first->lang) same = false;
            }
            if (first && same) {
                line.lang = first->lang;
                line.dir = first->dir;
            }
            line.runs = std::move(runs);
            b.lines.push_back(std::move(line));
        }
        _doc.blocks.push_back(std::move(b));
    }

    Document& _doc;
    std::string _lang;
    Direction _dir;
    std::string _kind;
    std::string _source;
    std::vector<std::vector<Run>> _lines{1};
    std::size_t _count = 0;
    std::string _scratch;
};

using ChainMap = std::unordered_map<std::string, std::vector<const LocaleCatalog*>>;

struct Scope {
    const std::string* name;
    const Value* value;
};

class Walker {
public:
    Walker(const std::vector<const LocaleCatalog*>& chain, const ChainMap& known,
           std::function<std::vector<const LocaleCatalog*>(std::string_view)> chainFor, const Value& root,
           Document& doc, Builder& out, const RenderOptions& options)
        : _chain(chain), _known(known), _chainFor(std::move(chainFor)), _root(root), _doc(doc), _out(out),
          _options(options) {
        const LocaleCatalog* primary = chain.front();
        _locale.set("tag", primary->tag);
        _locale.set("language", languageOf(primary->tag));
        _locale.set("direction", std::string(directionName(primary->dir)));
    }

    void walk(const std::vector<TemplateNode>& nodes) {
        for (const auto& n : nodes) visit(n);
    }
    void templateName(std::string name) { _templateName = std::move(name); }

private:
    const Value* lookup(const std::vector<std::string>& path) const {
        if (path.empty()) return nullptr;
        if (path[0] == ".") return _scopes.empty() ? &_root : _scopes.back().value;
        for (auto it = _scopes.rbegin(); it != _scopes.rend(); ++it) {
            if (*it->name == path[0]) {
                const Value* v = it->value;
                for (std::size_t i = 1; i < path.size() && v; ++i) v = v->get(path[i]);
                return v;
            }
        }
        if (path[0] == "locale") {
            const Value* v = &_locale;
            for (std::size_t i = 1; i < path.size() && v; ++i) v = v->get(path[i]);
            return v;
        }
        return _root.find(path);
    }

    bool isolate(const icu::UnicodeString& s, Direction dir) const {
        if (s.isEmpty()) return false;
        return _options.markValues || dir == Direction::Rtl || hasRtl(s);
    }

    // A value as text in `cat`'s locale (dates in its long form).
    icu::UnicodeString valueText(const Value* v, const LocaleCatalog& cat) const {
        if (!v) return {};
        switch (v->type()) {
            case Value::Type::String: return cleanValue(*v->asString());
            case Value::Type::Number: return toUnicode(std::to_string(*v->asNumber()));
            case Value::Type::Time: return cat.formatDate(*v->asInstant());
            case Value::Type::Bool: return *v->asBool() ? u"true" : u"false";
            default: return {};
        }
    }

    [[noreturn]] void fail(const TemplateNode& n, const std::string& what) const {
        throw InputError(n.file + ":" + std::to_string(n.line) + ":" + std::to_string(n.column) + ": " + what);
    }

    static std::string joinPath(const std::vector<std::string>& path) {
        std::string s;
        for (const auto& p : path) s += (s.empty() ? "" : ".") + p;
        return s;
    }

    // Nothing goes out with an empty value in a sentence: a field or a
    // message's plain argument that is empty stops the render, unless the
    // template marks it as one that may be empty (path?).
    [[noreturn]] void emptyField(const TemplateNode& n, const std::string& field, const std::string& argument) const {
        std::string what = "template " + _templateName + ": ";
        if (field.empty())
            what += "message " + n.messageId + " needs {" + argument + "}, which the template does not give it";
        else if (argument.empty())
            what += field + " is empty";
        else
            what += field + " is empty (argument {" + argument + "} of message " + n.messageId + ")";
        throw EmptyFieldError(n.file + ":" + std::to_string(n.line) + ":" + std::to_string(n.column) + ": " + what +
                                  "; fill it in, or write " + (field.empty() ? argument + "=FIELD" : field + "?") +
                                  " where it may be empty",
                              field == "\"\"" ? "" : field);
    }

    void visit(const TemplateNode& n) {
        if (_out.runs() > kMaxOutputRuns) fail(n, "document grows past " + std::to_string(kMaxOutputRuns) + " runs");
        const LocaleCatalog& primary = *_chain.front();
        switch (n.type) {
            case TemplateNode::Type::Text: _out.text(n.text, primary.tag, primary.dir); break;
            case TemplateNode::Type::Newline: _out.newline(); break;
            case TemplateNode::Type::Block: _out.start(n.text, n.operand); break;
            case TemplateNode::Type::Field: {
                auto s = valueText(lookup(n.path), primary);
                if (s.isEmpty() && !n.optional) emptyField(n, joinPath(n.path), "");
                bool iso = isolate(s, primary.dir);
                _out.text(s, primary.tag, primary.dir, iso);
                break;
            }
            case TemplateNode::Type::If: {
                const Value* v = lookup(n.path);
                bool yes;
                if (n.test == TemplateNode::Test::Truthy) yes = v && v->truthy();
                else {
                    bool eq = v && v->text() == n.operand;
                    yes = n.test == TemplateNode::Test::Equal ? eq : !eq;
                }
                if (n.negate) yes = !yes;
                walk(yes ? n.children : n.otherwise);
                break;
            }
            case TemplateNode::Type::Each: {
                const Value* v = lookup(n.path);
                const Value::List* items = v ? v->asList() : nullptr;
                if (!items) break;
                if (items->size() > kMaxIterations)
                    fail(n, "list has more than " + std::to_string(kMaxIterations) + " items");
                for (const auto& item : *items) {
                    _scopes.push_back({&n.alias, &item});
                    walk(n.children);
                    _scopes.pop_back();
                }
                break;
            }
            case TemplateNode::Type::Message: message(n); break;
        }
    }

    void message(const TemplateNode& n) {
        std::vector<const LocaleCatalog*> ownChain;
        const auto* chain = &_chain;
        if (!n.locale.empty()) {
            if (auto it = _known.find(n.locale); it != _known.end()) {
                chain = &it->second;
            } else {
                ownChain = _chainFor(n.locale);
                chain = &ownChain;
            }
        }
        const LocaleCatalog* wanted = chain->front();
        const Message* msg = nullptr;
        const LocaleCatalog* used = nullptr;
        std::string reason;
        for (const auto* cat : *chain) {
            const Message* m = cat->find(n.messageId);
            if (m && m->format) {
                msg = m;
                used = cat;
                break;
            }
            if (reason.empty()) reason = m ? m->error : "missing in " + cat->file.filename().string();
        }
        if (!msg) fail(n, "message " + n.messageId + " is in no locale file (not even en-GB.toml)");
        if (used != wanted) {
            Fallback fb{n.messageId, wanted->tag, used->tag, reason};
            if (std::find(_doc.fallbacks.begin(), _doc.fallbacks.end(), fb) == _doc.fallbacks.end())
                _doc.fallbacks.push_back(std::move(fb));
        }
        // Only the arguments the pattern names are built; the rest are
        // ignored (and reported by `templates check`).
        std::size_t count = msg->argumentNames.size();
        // Reused across messages: constructing and destroying 16
        // Formattables per message cost more than formatting.
        auto& args = _args;
        bool isolated = false;
        if (count > args.size()) fail(n, "message " + n.messageId + " has more than 16 arguments");
        for (std::size_t i = 0; i < count; ++i) {
            const std::string& name = msg->arguments[i];
            const TemplateArg* a = nullptr;
            for (const auto& ta : n.args)
                if (ta.name == name) a = &ta;
            if (!a) {
                if (msg->plainArguments[i]) emptyField(n, "", name);
                args[i].setString(icu::UnicodeString());
                continue;
            }
            if (a->isNumber) {
                args[i].setInt64(static_cast<int64_t>(std::stoll(a->literal)));
                continue;
            }
            const Value* v = nullptr;
            Value literal;
            if (a->isLiteral) {
                literal = Value(a->literal);
                v = &literal;
            } else {
                v = lookup(a->path);
            }
            if (v && v->asNumber()) {
                args[i].setInt64(static_cast<int64_t>(*v->asNumber()));
                continue;
            }
            icu::UnicodeString s = valueText(v, *used);
            if (s.isEmpty() && msg->plainArguments[i] && !a->optional)
                emptyField(n, a->isLiteral ? "\"\"" : joinPath(a->path), name);
            if (msg->plainArguments[i] && isolate(s, used->dir) && !a->isLiteral) {
                isolated = true;
                s.insert(0, static_cast<char16_t>(kFsi));
                s.append(static_cast<char16_t>(kPdi));
            }
            args[i].setString(s);
        }
        std::u16string& key = _key;
        key.clear();
        for (int shift = 0; shift < 64; shift += 16) key += static_cast<char16_t>((msg->serial >> shift) & 0xffff);
        for (std::size_t i = 0; i < count; ++i) {
            if (args[i].getType() == icu::Formattable::kInt64) {
                auto v = static_cast<std::uint64_t>(args[i].getInt64());
                char16_t digits[4];
                for (int k = 0; k < 4; ++k) digits[k] = static_cast<char16_t>((v >> (16 * k)) & 0xffff);
                appendKey(key, u'n', digits, 4);
            } else {
                icu::UnicodeString tmp;
                const icu::UnicodeString& str = args[i].getString(tmp);
                appendKey(key, u's', str.getBuffer(), str.length());
            }
        }
        auto& cache = formatCache();
        auto hit = cache.entries.find(key);
        if (hit == cache.entries.end()) {
            icu::UnicodeString formatted;
            UErrorCode status = U_ZERO_ERROR;
            msg->format->format(msg->argumentNames.data(), args.data(), static_cast<int32_t>(count), formatted, status);
            if (U_FAILURE(status))
                fail(n, "message " + n.messageId + " (" + used->file.filename().string() + ":" +
                            std::to_string(msg->line) + ") could not be formatted: " + u_errorName(status));
            if (cache.entries.size() >= FormatCache::kMaxEntries) cache.entries.clear();
            hit = cache.entries.emplace(key, std::move(formatted)).first;
        }
        const icu::UnicodeString& result = hit->second;
        // Split at the isolation marks put around values above.
        if (!isolated) {
            _out.text(result, used->tag, used->dir, false);
            return;
        }
        const char16_t* p = result.getBuffer();
        int32_t len = result.length();
        int32_t start = 0;
        bool inside = false;
        for (int32_t i = 0; i <= len; ++i) {
            bool end = i == len;
            char16_t c = end ? 0 : p[i];
            if (end || (c == kFsi && !inside) || (c == kPdi && inside)) {
                if (i > start) _out.text(result.tempSubStringBetween(start, i), used->tag, used->dir, inside);
                if (!end) inside = c == kFsi;
                start = i + 1;
            }
        }
    }

    const std::vector<const LocaleCatalog*>& _chain;
    const ChainMap& _known;
    std::function<std::vector<const LocaleCatalog*>(std::string_view)> _chainFor;
    const Value& _root;
    Document& _doc;
    Builder& _out;
    const RenderOptions& _options;
    Value _locale;
    std::vector<Scope> _scopes;
    std::array<icu::Formattable, 16> _args;
    std::u16string _key;
    std::string _templateName;
};

}  // namespace

Renderer::Renderer(const std::filesystem::path& home)
    : _home(home), _catalog(MessageCatalog::load(home / "locales")), _templates(TemplateLibrary::load(home / "templates")) {
    auto config = home / "config" / "render.toml";
    _standard = loadRenderProfile("standard", config);
    _largePrint = loadRenderProfile("large-print", config);
    std::error_code ec;
    if (std::filesystem::exists(config, ec)) {
        try {
            auto root = toml::parse_file(config.string());
            _bilingual = root["output"]["bilingual"].value_or(false);
        } catch (const toml::parse_error& e) {
            throw InputError(config.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
        }
    }
    for (const auto& tag : _catalog.tags()) _chains[tag] = _catalog.chain(tag);
}

std::vector<const LocaleCatalog*> Renderer::chainFor(std::string_view tag) const {
    if (auto it = _chains.find(std::string(tag)); it != _chains.end()) return it->second;
    return _catalog.chain(tag);
}

Document Renderer::render(std::string_view templateName, std::string_view localeTag, std::string_view format,
                          const Value& context, const RenderOptions& options) const {
    const Template& tpl = _templates.get(templateName);
    const RenderProfile* profile = nullptr;
    if (format == "standard") profile = &_standard;
    else if (format == "large-print") profile = &_largePrint;
    else throw InputError("format \"" + std::string(format) + "\" is not known (formats: " + acceptedFormats() + ")");
    Document doc = renderOne(tpl, localeTag, *profile, context, options);
    if (options.bilingual && languageOf(doc.lang) != "en") {
        Document english = renderOne(tpl, MessageCatalog::kReference, *profile, context, options);
        // The translation, then the English body; the letterhead, address,
        // date and footer are not repeated.
        std::vector<Block> merged;
        std::vector<Block> footer;
        for (auto& b : doc.blocks) (b.kind == BlockKind::Footer ? footer : merged).push_back(std::move(b));
        for (auto& b : english.blocks)
            if (b.kind != BlockKind::Letterhead && b.kind != BlockKind::Recipient && b.kind != BlockKind::DateLine &&
                b.kind != BlockKind::Footer)
                merged.push_back(std::move(b));
        for (auto& b : footer) merged.push_back(std::move(b));
        doc.blocks = std::move(merged);
        doc.bilingual = true;
    }
    return doc;
}

Document Renderer::renderOne(const Template& tpl, std::string_view localeTag, const RenderProfile& profile,
                             const Value& context, const RenderOptions& options) const {
    Document doc;
    doc.templateName = tpl.name;
    doc.requestedLang = std::string(localeTag);
    doc.profile = profile;
    auto chain = chainFor(localeTag);
    if (chain.front()->tag != localeTag)
        doc.fallbacks.push_back({"locale", std::string(localeTag), chain.front()->tag, "no locale file for " + std::string(localeTag)});
    if (!tpl.locales.empty() && std::find(tpl.locales.begin(), tpl.locales.end(), chain.front()->tag) == tpl.locales.end()) {
        std::string use = tpl.locales.front();
        for (const auto* c : chain)
            if (std::find(tpl.locales.begin(), tpl.locales.end(), c->tag) != tpl.locales.end()) {
                use = c->tag;
                break;
            }
        doc.fallbacks.push_back({"template " + tpl.name, chain.front()->tag, use, "the template is written only for " + use});
        chain = chainFor(use);
    }
    doc.lang = chain.front()->tag;
    doc.dir = chain.front()->dir;
    Builder out(doc, doc.lang, doc.dir);
    Walker walker(chain, _chains, [this](std::string_view t) { return chainFor(t); }, context, doc, out, options);
    walker.templateName(tpl.name);
    walker.walk(tpl.nodes);
    out.flush();
    return doc;
}

}  // namespace duly::engine
