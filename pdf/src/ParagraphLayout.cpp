// ParagraphLayout: bidi (ICU ubidi), itemisation by script and face,
// shaping (HarfBuzz), line breaking (ICU BreakIterator) and visual
// reordering of one Document line. Owns a cache of ICU line breakers per
// language. Never throws for odd text (unassigned characters, lone
// surrogates become U+FFFD by ICU's rules); allocation failure aside.
#include "duly/pdf/ParagraphLayout.h"

#include <hb.h>
#include <unicode/brkiter.h>
#include <unicode/ubidi.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <cassert>

namespace duly::pdf {

namespace {

constexpr char16_t FSI = 0x2068, PDI = 0x2069;

bool ignorable(char32_t cp) {
    return cp == 0x2066 || cp == 0x2067 || cp == 0x2068 || cp == 0x2069 || cp == 0x200E || cp == 0x200F ||
           cp == 0x202A || cp == 0x202B || cp == 0x202C || cp == 0x202D || cp == 0x202E;
}

bool isSpace(char32_t cp) { return cp == 0x20 || cp == 0xA0 || cp == 0x3000 || cp == 0x09; }

FontScript scriptOfLang(const std::string& lang) {
    if (lang.rfind("ur", 0) == 0 || lang.rfind("ar", 0) == 0) return FontScript::Urdu;
    if (lang.rfind("yue", 0) == 0 || lang.rfind("zh", 0) == 0) return FontScript::Chinese;
    return FontScript::Latin;
}

hb_script_t hbScript(FontScript s) {
    switch (s) {
        case FontScript::Urdu: return HB_SCRIPT_ARABIC;
        case FontScript::Chinese: return HB_SCRIPT_HAN;
        default: return HB_SCRIPT_LATIN;
    }
}

struct Glyph {
    std::uint32_t gid;
    std::uint32_t cluster;  // UTF-16 index into the paragraph text
    int xAdvance, xOffset, yOffset;  // font units
};

struct Item {
    std::size_t start, end;  // UTF-16 indices
    int level;
    const Face* face;
    FontScript script;
    std::string lang;
    std::vector<Glyph> glyphs;  // visual order within the item
};

// The paragraph as ICU and HarfBuzz see it.
struct Para {
    std::u16string text;
    std::vector<std::string> lang;   // per UTF-16 unit
    std::vector<bool> noBreak;       // per UTF-16 unit: a break before it is not allowed
    std::vector<double> advance;     // points, at the first unit of each cluster
    std::vector<Item> items;
};

}  // namespace

struct ParagraphLayout::ShapeCache {
    std::unordered_map<std::string, std::vector<Glyph>> items;  // clusters relative to the item's start
    hb_buffer_t* buffer = hb_buffer_create();
    ~ShapeCache() { hb_buffer_destroy(buffer); }
};

struct ParagraphLayout::LineCache {
    std::unordered_map<std::string, std::vector<LaidLine>> lines;
    std::string key;  // reused: no allocation for a line seen before
};

// Bounded: lines holding a name or a reference are new in each letter, and
// a full cache is emptied (the template's lines come back within a letter).
constexpr std::size_t kMaxCachedLines = 1024;

ParagraphLayout::ParagraphLayout(const FontSet& fonts)
    : _fonts(fonts), _shapes(std::make_unique<ShapeCache>()), _lines(std::make_unique<LineCache>()) {}
ParagraphLayout::~ParagraphLayout() = default;

icu::BreakIterator& ParagraphLayout::breaker(const std::string& lang) {
    auto it = _breakers.find(lang);
    if (it != _breakers.end()) return *it->second;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createLineInstance(icu::Locale::forLanguageTag(lang, status), status));
    if (U_FAILURE(status) || !bi) {
        status = U_ZERO_ERROR;
        bi.reset(icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status));
    }
    assert(bi && "ICU has no line breaker for the root locale");
    return *_breakers.emplace(lang, std::move(bi)).first->second;
}

namespace {

Para buildPara(const engine::Line& line) {
    Para p;
    for (const auto& run : line.runs) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(run.text);
        const std::string lang = run.lang.empty() || run.lang == "und" ? line.lang : run.lang;
        const std::size_t from = p.text.size();
        if (run.isolate) p.text.push_back(FSI);
        p.text.append(reinterpret_cast<const char16_t*>(u.getBuffer()), std::size_t(u.length()));
        if (run.isolate) p.text.push_back(PDI);
        p.lang.resize(p.text.size(), lang);
        p.noBreak.resize(p.text.size(), false);
        // No break inside a value from data: "PHG-2026-00042", "PR25 3AB".
        if (run.isolate)
            for (std::size_t i = from + 2; i < p.text.size() - 1; ++i) p.noBreak[i] = true;
    }
    p.advance.assign(p.text.size() + 1, 0.0);
    return p;
}

void itemise(Para& p, const FontSet& fonts, const std::vector<UBiDiLevel>& levels, const engine::Line& line, bool bold) {
    const std::size_t n = p.text.size();
    const FontScript lineScript = scriptOfLang(line.lang);
    // Resolve each character's face: strong scripts pick theirs; common
    // characters take the previous strong one in the same value, or the
    // next, or (in a value from data with none) Latin.
    std::vector<const Face*> face(n, nullptr);
    std::vector<FontScript> script(n, lineScript);
    auto strong = [](char32_t cp, FontScript& out) {
        const FontScript s = FontSet::scriptOf(cp, FontScript(-1));
        if (s == FontScript(-1)) return false;
        out = s;
        return true;
    };
    std::size_t i = 0;
    FontScript previous = lineScript;
    bool havePrevious = false, inIsolate = false;
    while (i < n) {
        const std::size_t at = i;
        UChar32 cp;
        U16_NEXT(p.text.data(), i, n, cp);
        if (cp == FSI || cp == PDI) {
            inIsolate = cp == FSI;
            havePrevious = false;
            continue;
        }
        FontScript s = lineScript;
        if (strong(char32_t(cp), s)) {
            previous = s, havePrevious = true;
        } else if (havePrevious) {
            s = previous;
        } else {
            // Common before any strong character: look ahead in the same stretch.
            s = inIsolate ? FontScript::Latin : lineScript;
            std::size_t j = i;
            while (j < n) {
                UChar32 c2;
                U16_NEXT(p.text.data(), j, n, c2);
                if (c2 == FSI || c2 == PDI) break;
                if (strong(char32_t(c2), s)) break;
            }
        }
        // ASCII digits and punctuation among Chinese are set in the Latin
        // face: UMing's are monospaced and read as spaced out.
        if (s == FontScript::Chinese && cp < 0x80 && !strong(char32_t(cp), s)) s = FontScript::Latin;
        script[at] = s;
        face[at] = ignorable(char32_t(cp)) ? nullptr : &fonts.faceFor(char32_t(cp), s, bold);
    }
    // Items: maximal stretches of one level, face and language.
    i = 0;
    while (i < n) {
        if (!face[i]) { ++i; continue; }
        Item it{i, i, levels[i], face[i], script[i], p.lang[i], {}};
        std::size_t j = i;
        while (j < n) {
            std::size_t k = j;
            UChar32 cp;
            U16_NEXT(p.text.data(), k, n, cp);
            if (!face[j] && ignorable(char32_t(cp))) break;
            if (face[j] != it.face || levels[j] != it.level || p.lang[j] != it.lang) break;
            j = k;
        }
        it.end = j;
        p.items.push_back(std::move(it));
        i = j;
    }
}

using ShapeMap = std::unordered_map<std::string, std::vector<Glyph>>;

void shape(Para& p, double size, hb_buffer_t* buf, ShapeMap& cache) {
    for (auto& it : p.items) {
        const double scale = size / it.face->unitsPerEm;
        std::string key;
        key.reserve(16 + it.lang.size() + 2 * (it.end - it.start + 2));
        key += std::to_string(it.face->id) + ((it.level & 1) ? "r" : "l") + it.lang + "|";
        const std::size_t from = it.start > 0 ? it.start - 1 : 0, to = std::min(p.text.size(), it.end + 1);
        key += std::to_string(it.start - from) + "|";
        key.append(reinterpret_cast<const char*>(p.text.data() + from), 2 * (to - from));
        auto found = cache.find(key);
        if (found != cache.end()) {
            it.glyphs = found->second;
            for (auto& g : it.glyphs) {
                g.cluster += std::uint32_t(it.start);
                p.advance[g.cluster] += g.xAdvance * scale;
            }
            continue;
        }
        hb_buffer_clear_contents(buf);
        hb_buffer_add_utf16(buf, reinterpret_cast<const uint16_t*>(p.text.data()), int(p.text.size()), unsigned(it.start),
                            int(it.end - it.start));
        hb_buffer_set_direction(buf, (it.level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        hb_buffer_set_script(buf, hbScript(it.face == nullptr ? it.script : it.script));
        hb_buffer_set_language(buf, hb_language_from_string(it.lang.c_str(), int(it.lang.size())));
        hb_shape(it.face->font, buf, nullptr, 0);
        unsigned count = 0;
        const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &count);
        const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &count);
        it.glyphs.reserve(count);
        for (unsigned g = 0; g < count; ++g) {
            it.glyphs.push_back({info[g].codepoint, info[g].cluster, pos[g].x_advance, pos[g].x_offset, pos[g].y_offset});
            p.advance[info[g].cluster] += pos[g].x_advance * scale;
        }
        if (cache.size() >= 4096) cache.clear();
        std::vector<Glyph> relative = it.glyphs;
        for (auto& g : relative) g.cluster -= std::uint32_t(it.start);
        cache.emplace(std::move(key), std::move(relative));
    }
}

double widthOf(const Para& p, std::size_t from, std::size_t to) {
    double w = 0;
    for (std::size_t i = from; i < to; ++i) w += p.advance[i];
    return w;
}

std::size_t trimEnd(const Para& p, std::size_t from, std::size_t to) {
    while (to > from && (isSpace(p.text[to - 1]) || p.text[to - 1] == PDI || p.text[to - 1] == FSI)) {
        if (p.text[to - 1] == PDI || p.text[to - 1] == FSI) {
            // keep an isolate's closing mark with its text; only trim spaces
            std::size_t k = to - 1;
            while (k > from && (p.text[k - 1] == PDI || p.text[k - 1] == FSI)) --k;
            if (k > from && isSpace(p.text[k - 1])) { to = k - 1 + 0; continue; }
            break;
        }
        --to;
    }
    return to;
}

// Email and web addresses: [start, end) stretches of the characters an
// address is written with that hold an '@' between two letters or digits,
// "://" or start with "www.". A full stop ending a sentence is not part of
// one. Inside an address a line breaks only after '@', '.' or '/' (not
// between the two of "//"), and only when the address is wider than the
// measure: otherwise it moves whole to the next line.
bool addressCharacter(char16_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::u16string_view(u"._%+-@/:?=&#~").find(c) != std::u16string_view::npos;
}

bool isAlnum(char16_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::vector<std::pair<std::size_t, std::size_t>> addressSpans(const std::u16string& text) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        if (!addressCharacter(text[i])) { ++i; continue; }
        std::size_t j = i;
        while (j < n && addressCharacter(text[j])) ++j;
        std::size_t end = j;
        while (end > i && (text[end - 1] == '.' || text[end - 1] == ':' || text[end - 1] == '?')) --end;
        const std::u16string_view word(text.data() + i, end - i);
        bool address = word.find(u"://") != std::u16string_view::npos || word.substr(0, 4) == u"www." ||
                       word.substr(0, 4) == u"WWW.";
        for (std::size_t k = 1; !address && k + 1 < word.size(); ++k)
            address = word[k] == '@' && isAlnum(word[k - 1]) && isAlnum(word[k + 1]);
        if (address) spans.emplace_back(i, end);
        i = j;
    }
    return spans;
}

// A break after text[at - 1] inside an address: after '@', '.' or a '/'
// that does not start "//".
bool addressBreakAfter(const std::u16string& text, std::size_t at) {
    const char16_t c = text[at - 1];
    if (c == '/') return text[at] != '/';
    return c == '@' || c == '.';
}

// Greedy filling: [start, end) ranges of the paragraph text.
std::vector<std::pair<std::size_t, std::size_t>> breakLines(const Para& p, icu::BreakIterator& bi, double maxWidth) {
    std::vector<std::pair<std::size_t, std::size_t>> lines;
    const std::size_t n = p.text.size();
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUChars(nullptr, reinterpret_cast<const UChar*>(p.text.data()), int64_t(n), &status);
    bi.setText(ut, status);
    const auto addresses = addressSpans(p.text);
    auto inAddress = [&](std::size_t at) -> const std::pair<std::size_t, std::size_t>* {
        for (const auto& span : addresses)
            if (span.first < at && at < span.second) return &span;
        return nullptr;
    };
    std::vector<std::size_t> opportunities;
    for (int32_t b = bi.following(0); b != icu::BreakIterator::DONE; b = bi.next())
        if (std::size_t(b) >= n || (!p.noBreak[std::size_t(b)] && (addresses.empty() || !inAddress(std::size_t(b)))))
            opportunities.push_back(std::size_t(b));
    utext_close(ut);
    if (opportunities.empty() || opportunities.back() != n) opportunities.push_back(n);
    std::size_t start = 0, lastFit = 0;
    for (std::size_t k = 0; k < opportunities.size(); ++k) {
        const std::size_t end = opportunities[k];
        const double w = widthOf(p, start, trimEnd(p, start, end));
        if (w <= maxWidth || lastFit == start) {
            if (w > maxWidth && lastFit == start) {
                // One unbreakable stretch wider than the measure: cut it
                // where it overflows (between clusters), never lose text.
                std::size_t cut = start;
                double acc = 0;
                while (cut < end && acc + p.advance[cut] <= maxWidth) acc += p.advance[cut++];
                while (cut > start + 1 && cut < end && p.advance[cut] == 0 && U16_IS_TRAIL(p.text[cut])) --cut;
                // An address is cut after its last '@', '.' or '/' that fits.
                if (const auto* span = addresses.empty() ? nullptr : inAddress(cut)) {
                    for (std::size_t at = cut; at > std::max(start, span->first); --at) {
                        if (addressBreakAfter(p.text, at)) {
                            cut = at;
                            break;
                        }
                    }
                } else if (cut < end) {
                    // A value from data too wide for the line (a long
                    // organisation name in a right-to-left letter) breaks
                    // after its last space that fits, not inside a word.
                    for (std::size_t at = cut; at > start + 1; --at) {
                        if (p.text[at - 1] == u' ') {
                            cut = at;
                            break;
                        }
                    }
                }
                if (cut <= start) cut = end;
                if (cut < end) {
                    lines.emplace_back(start, cut);
                    start = lastFit = cut;
                    --k;
                    continue;
                }
            }
            lastFit = end;
            continue;
        }
        lines.emplace_back(start, lastFit);
        start = lastFit;
        --k;  // measure this opportunity again from the new start
    }
    if (start < n || lines.empty()) lines.emplace_back(start, n);
    return lines;
}

}  // namespace

std::vector<LaidLine> ParagraphLayout::layout(const engine::Line& line, const TextStyle& style, double maxWidth,
                                              engine::Direction direction) {
    // The key holds everything the layout reads: each run's text, language,
    // direction and isolation, the line's language and direction, the size,
    // weight, measure and the direction asked for. Numbers go in as their
    // bytes and each string after its length, so no two lines share a key
    // whatever their text holds.
    std::string& key = _lines->key;
    key.clear();
    auto bytes = [&](const auto& v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
    auto text = [&](const std::string& t) {
        bytes(t.size());
        key += t;
    };
    bytes(style.size);
    bytes(maxWidth);
    key += style.bold ? 'b' : 'r';
    key += char('0' + int(direction));
    key += char('0' + int(line.dir));
    text(line.lang);
    bytes(line.runs.size());
    for (const auto& run : line.runs) {
        key += char('0' + int(run.dir));
        key += run.isolate ? 'i' : '-';
        text(run.lang);
        text(run.text);
    }
    auto found = _lines->lines.find(key);
    if (found != _lines->lines.end()) return found->second;
    auto laid = layoutUncached(line, style, maxWidth, direction);
    if (_lines->lines.size() >= kMaxCachedLines) _lines->lines.clear();
    _lines->lines.emplace(key, laid);
    return laid;
}

std::vector<LaidLine> ParagraphLayout::layoutUncached(const engine::Line& line, const TextStyle& style,
                                                      double maxWidth, engine::Direction direction) {
    Para p = buildPara(line);
    std::vector<LaidLine> out;
    const engine::Direction dir = direction != engine::Direction::Auto ? direction : line.dir;
    const bool rtl = dir == engine::Direction::Rtl;
    if (p.text.empty()) {
        LaidLine empty;
        empty.rtl = rtl;
        const Face& f = _fonts.face(scriptOfLang(line.lang), style.bold);
        empty.ascent = f.ascender * style.size / f.unitsPerEm;
        empty.descent = -f.descender * style.size / f.unitsPerEm;
        empty.lineHeightEm = f.lineHeightEm();
        out.push_back(empty);
        return out;
    }

    UErrorCode status = U_ZERO_ERROR;
    UBiDi* para = ubidi_openSized(int32_t(p.text.size()), 0, &status);
    UBiDi* lineBidi = ubidi_openSized(int32_t(p.text.size()), 0, &status);
    const UBiDiLevel paraLevel = dir == engine::Direction::Rtl ? 1 : dir == engine::Direction::Ltr ? 0 : UBIDI_DEFAULT_LTR;
    ubidi_setPara(para, reinterpret_cast<const UChar*>(p.text.data()), int32_t(p.text.size()), paraLevel, nullptr, &status);
    std::vector<UBiDiLevel> levels(p.text.size(), rtl ? 1 : 0);
    if (U_SUCCESS(status)) {
        const UBiDiLevel* lv = ubidi_getLevels(para, &status);
        if (U_SUCCESS(status)) levels.assign(lv, lv + p.text.size());
    }
    const bool paraRtl = (ubidi_getParaLevel(para) & 1) != 0;

    itemise(p, _fonts, levels, line, style.bold);
    shape(p, style.size, _shapes->buffer, _shapes->items);

    const auto ranges = maxWidth > 0 ? breakLines(p, breaker(line.lang), maxWidth)
                                     : std::vector<std::pair<std::size_t, std::size_t>>{{0, p.text.size()}};
    for (auto [start, endRaw] : ranges) {
        const std::size_t end = std::max(start, trimEnd(p, start, endRaw));
        LaidLine ll;
        ll.rtl = paraRtl;
        ll.lineHeightEm = 0;
        if (end == start) {
            const Face& base = _fonts.face(scriptOfLang(line.lang), style.bold);
            ll.ascent = base.ascender * style.size / base.unitsPerEm;
            ll.descent = -base.descender * style.size / base.unitsPerEm;
            ll.lineHeightEm = base.lineHeightEm();
            out.push_back(std::move(ll));
            continue;
        }
        status = U_ZERO_ERROR;
        ubidi_setLine(para, int32_t(start), int32_t(end), lineBidi, &status);
        const int32_t runs = U_SUCCESS(status) ? ubidi_countRuns(lineBidi, &status) : 0;
        double x = 0;
        for (int32_t r = 0; r < runs; ++r) {
            int32_t ls = 0, len = 0;
            const UBiDiDirection rd = ubidi_getVisualRun(lineBidi, r, &ls, &len);
            const std::size_t a = start + std::size_t(ls), b = a + std::size_t(len);
            const bool runRtl = rd == UBIDI_RTL;
            // Items overlapping [a, b), in visual order.
            std::vector<const Item*> its;
            for (const auto& it : p.items)
                if (it.end > a && it.start < b) its.push_back(&it);
            if (runRtl) std::reverse(its.begin(), its.end());
            const double runX0 = x;
            for (const Item* it : its) {
                GlyphRun gr;
                gr.face = it->face;
                gr.size = style.size;
                const double scale = style.size / it->face->unitsPerEm;
                for (const Glyph& g : it->glyphs) {
                    if (g.cluster < a || g.cluster >= b) continue;
                    gr.glyphs.push_back({g.gid, x + g.xOffset * scale, g.yOffset * scale});
                    x += g.xAdvance * scale;
                }
                ll.ascent = std::max(ll.ascent, it->face->ascender * scale);
                ll.descent = std::max(ll.descent, -it->face->descender * scale);
                ll.lineHeightEm = std::max(ll.lineHeightEm, it->face->lineHeightEm());
                if (!gr.glyphs.empty()) ll.runs.push_back(std::move(gr));
            }
            // Words of this run for the text layer: the pen extent of each
            // word's clusters, the characters in visual order.
            std::vector<std::pair<double, double>> extent(b - a, {1e30, -1e30});
            {
                double px = runX0;
                for (const Item* it : its) {
                    const double scale = style.size / it->face->unitsPerEm;
                    for (const Glyph& g : it->glyphs) {
                        if (g.cluster < a || g.cluster >= b) continue;
                        auto& e = extent[g.cluster - a];
                        e.first = std::min(e.first, px);
                        e.second = std::max(e.second, px + g.xAdvance * scale);
                        px += g.xAdvance * scale;
                    }
                }
            }
            std::size_t i = a;
            while (i < b) {
                while (i < b && (isSpace(p.text[i]) || ignorable(p.text[i]))) ++i;
                if (i >= b) break;
                std::size_t j = i;
                TextWord w;
                w.x0 = 1e30, w.x1 = -1e30;
                while (j < b && !isSpace(p.text[j])) {
                    const std::size_t at = j;
                    UChar32 cp;
                    U16_NEXT(p.text.data(), j, b, cp);
                    if (!ignorable(char32_t(cp))) w.text.push_back(char32_t(cp));
                    w.x0 = std::min(w.x0, extent[at - a].first);
                    w.x1 = std::max(w.x1, extent[at - a].second);
                }
                if (!w.text.empty() && w.x1 > w.x0) {
                    if (runRtl) std::reverse(w.text.begin(), w.text.end());
                    ll.words.push_back(std::move(w));
                }
                i = j;
            }
        }
        // Words left to right across the line.
        std::sort(ll.words.begin(), ll.words.end(), [](const TextWord& l, const TextWord& r) { return l.x0 < r.x0; });
        ll.width = x;
        if (ll.lineHeightEm == 0) ll.lineHeightEm = _fonts.referenceLineHeightEm();
        out.push_back(std::move(ll));
    }
    ubidi_close(lineBidi);
    ubidi_close(para);
    return out;
}

LaidLine ParagraphLayout::layoutSingle(const engine::Line& line, const TextStyle& style) {
    auto lines = layout(line, style, 0);
    return lines.front();
}

}  // namespace duly::pdf
