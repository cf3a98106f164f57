// FontSet: loads the letter fonts with HarfBuzz (whole file mapped once per
// process), prepares them for subsetting, and chooses a face per character
// by Unicode script (ICU). Owns the HarfBuzz blobs, faces and fonts; they are
// only read after construction. Fails with InputError naming the font file
// and the config key (fonts.urdu, …) for a missing or unusable font.
#include "duly/pdf/FontSet.h"

#include "duly/engine/InputError.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <unicode/uscript.h>

#include <atomic>
#include <filesystem>

namespace duly::pdf {

using engine::InputError;

int Face::advance(std::uint32_t gid) const { return hb_font_get_glyph_h_advance(font, gid); }

std::uint32_t Face::nominalGlyph(char32_t cp) const {
    hb_codepoint_t g = 0;
    return hb_font_get_nominal_glyph(font, cp, &g) ? g : 0;
}

namespace {

std::string postscriptNameOf(hb_face_t* face, const std::filesystem::path& path) {
    char buf[128];
    unsigned len = sizeof buf;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, buf);
    std::string name(buf, len < sizeof buf ? len : sizeof buf - 1);
    if (name.empty()) name = path.stem().string();
    // PDF names: keep letters, digits and hyphens only.
    std::string clean;
    for (char c : name)
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') clean += c;
    return clean.empty() ? "Font" : clean;
}

}  // namespace

std::unique_ptr<Face> FontSet::load(const FontFile& file, bool bold) {
    const std::string where = file.path.string() + " (" + file.key + ")";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file.path, ec))
        throw InputError(where + ": font file not found; install it (scripts/setup) or set " + file.key +
                         " in config/letters.toml");
    auto f = std::make_unique<Face>();
    f->file = file;
    f->bold = bold;
    f->blob = hb_blob_create_from_file_or_fail(file.path.c_str());
    if (!f->blob) throw InputError(where + ": font file cannot be read");
    const unsigned count = hb_face_count(f->blob);
    if (count == 0) {
        hb_blob_destroy(f->blob);
        throw InputError(where + ": not an OpenType or TrueType font");
    }
    if (file.index >= count) {
        hb_blob_destroy(f->blob);
        throw InputError(where + ": the collection has " + std::to_string(count) + " faces (0 to " +
                         std::to_string(count - 1) + "), not face " + std::to_string(file.index));
    }
    f->face = hb_face_create(f->blob, file.index);
    hb_blob_t* glyf = hb_face_reference_table(f->face, HB_TAG('g', 'l', 'y', 'f'));
    const bool hasGlyf = hb_blob_get_length(glyf) > 0;
    hb_blob_destroy(glyf);
    if (!hasGlyf) {
        hb_face_destroy(f->face);
        hb_blob_destroy(f->blob);
        throw InputError(where + ": has no TrueType outlines (glyf table); PDF letters need a TrueType font, "
                                 "not a CFF one such as Noto Sans CJK");
    }
    f->font = hb_font_create(f->face);
    f->unitsPerEm = hb_face_get_upem(f->face);
    hb_font_set_scale(f->font, int(f->unitsPerEm), int(f->unitsPerEm));
    // Shared by every thread that lays out letters: no changes from here on.
    hb_font_make_immutable(f->font);
    hb_font_extents_t ext{};
    hb_font_get_h_extents(f->font, &ext);
    f->ascender = ext.ascender;
    f->descender = ext.descender;
    hb_position_t cap = 0;
    f->capHeight = hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) ? cap : ext.ascender * 7 / 10;
    // Font bounding box from the head table (xMin, yMin, xMax, yMax at 36).
    hb_blob_t* head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len = 0;
    const char* d = hb_blob_get_data(head, &len);
    if (len >= 44) {
        auto s16 = [&](unsigned o) { return int(std::int16_t((std::uint8_t(d[o]) << 8) | std::uint8_t(d[o + 1]))); };
        f->bboxXMin = s16(36), f->bboxYMin = s16(38), f->bboxXMax = s16(40), f->bboxYMax = s16(42);
    }
    hb_blob_destroy(head);
    f->postscriptName = postscriptNameOf(f->face, file.path);
    return f;
}

FontSet::FontSet(const FontFiles& files) {
    const FontFile* regular[3] = {&files.latin, &files.urdu, &files.chinese};
    const FontFile* bolds[3] = {&files.latinBold, &files.urduBold, &files.chineseBold};
    try {
        for (int s = 0; s < 3; ++s) {
            _faces.push_back(load(*regular[s], false));
            _byScript[s][0] = _faces.back().get();
            if (!bolds[s]->path.empty()) {
                _faces.push_back(load(*bolds[s], true));
            } else {
                // No bold face: the regular one, drawn with a stroked outline
                // (same font program, embedded once).
                auto b = std::make_unique<Face>(*_faces.back());
                b->blob = hb_blob_reference(b->blob);
                b->face = hb_face_reference(b->face);
                b->font = hb_font_reference(b->font);
                b->bold = b->syntheticBold = true;
                b->regular = _faces.back().get();
                _faces.push_back(std::move(b));
            }
            _byScript[s][1] = _faces.back().get();
        }
    } catch (...) {
        release();
        throw;
    }
    for (std::size_t i = 0; i < _faces.size(); ++i) _faces[i]->id = int(i);
}

FontSet::~FontSet() { release(); }

namespace {

// Face::subsetSource is set once, possibly while other threads cut subsets
// of the same face: it is read and written atomically.
hb_face_t* preparedOf(const Face& f) {
    return std::atomic_ref<hb_face_t*>(const_cast<Face&>(f).subsetSource).load(std::memory_order_acquire);
}

}  // namespace

void FontSet::prepare(const Face& face) const {
    if (preparedOf(face) || face.regular != &face) return;
    std::lock_guard lock(_prepareMutex);
    if (preparedOf(face)) return;
    hb_face_t* prepared = hb_subset_preprocess(face.face);
    std::atomic_ref<hb_face_t*>(const_cast<Face&>(face).subsetSource).store(prepared, std::memory_order_release);
}

void FontSet::prepareForSubsetting() {
    for (auto& f : _faces) prepare(*f);
}

hb_face_t* FontSet::subsetSourceOf(const Face& f) {
    hb_face_t* prepared = preparedOf(f);
    return prepared ? prepared : f.face;
}

void FontSet::release() {
    for (auto& f : _faces) {
        if (!f) continue;
        hb_font_destroy(f->font);
        if (f->subsetSource) hb_face_destroy(f->subsetSource);
        hb_face_destroy(f->face);
        hb_blob_destroy(f->blob);
        f->font = nullptr, f->subsetSource = nullptr, f->face = nullptr, f->blob = nullptr;
    }
}

std::shared_ptr<const FontSubset> FontSet::subset(const Face& face, const std::vector<std::uint32_t>& gids,
                                                  const std::function<FontSubset()>& make) const {
    auto key = std::make_pair(face.id, gids);
    bool prepareNow = false;
    {
        std::lock_guard lock(_subsetMutex);
        auto it = _subsets.find(key);
        if (it != _subsets.end()) return it->second;
        prepareNow = ++_newSubsets[face.id] == kPrepareAfterNewSubsets;
    }
    // Outside the cache's lock: the other threads go on with their letters.
    if (prepareNow) prepare(face);
    auto made = std::make_shared<const FontSubset>(make());
    std::lock_guard lock(_subsetMutex);
    // Bounded: letters with names in them keep making new Latin subsets.
    if (_subsets.size() >= 512) _subsets.clear();
    _subsets.emplace(std::move(key), made);
    return made;
}

const Face& FontSet::face(FontScript script, bool bold) const { return *_byScript[int(script)][bold ? 1 : 0]; }

FontScript FontSet::scriptOf(char32_t cp, FontScript previous) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(UChar32(cp), &status);
    if (U_FAILURE(status)) return previous;
    switch (sc) {
        case USCRIPT_ARABIC: return FontScript::Urdu;
        case USCRIPT_HAN:
        case USCRIPT_BOPOMOFO:
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_HANGUL: return FontScript::Chinese;
        case USCRIPT_COMMON:
        case USCRIPT_INHERITED:
            // CJK punctuation and full-width forms belong with Chinese text.
            if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF)) return FontScript::Chinese;
            return previous;
        default: return FontScript::Latin;
    }
}

const Face& FontSet::faceFor(char32_t cp, FontScript preferred, bool bold) const {
    const Face& want = face(preferred, bold);
    if (want.nominalGlyph(cp) || cp == 0x20) return want;
    for (int s = 0; s < 3; ++s) {
        const Face& other = face(FontScript(s), bold);
        if (other.nominalGlyph(cp)) return other;
    }
    return want;
}

}  // namespace duly::pdf
