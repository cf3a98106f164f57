// FontSet: the fonts letters are set in, loaded once and shared by every
// letter a process writes (read-only after construction, so threads may
// share it). One face per script and weight — Latin, Urdu (Arabic script),
// Chinese (Han) — chosen for each character by its script, with the others
// as fallbacks for characters a face lacks. Each face keeps its HarfBuzz
// font (for shaping and glyph widths) and a face prepared for hb-subset (so
// cutting a font down to a letter's glyphs is cheap). Construction throws
// InputError naming the font file and the config key that chose it when the
// file is missing, unreadable or not a TrueType-outline font.
#pragma once

#include "duly/pdf/LetterSettings.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct hb_face_t;
struct hb_font_t;
struct hb_blob_t;

namespace duly::pdf {

enum class FontScript { Latin = 0, Urdu = 1, Chinese = 2 };

struct Face {
    std::string postscriptName;  // "NotoSans-Regular", no spaces
    FontFile file;
    hb_blob_t* blob = nullptr;
    hb_face_t* face = nullptr;
    hb_face_t* subsetSource = nullptr;  // hb_subset_preprocess(face), after FontSet::prepareForSubsetting
    const Face* regular = this;         // for a synthetic bold: the face whose outlines it strokes
    hb_font_t* font = nullptr;          // scale = units per em
    unsigned unitsPerEm = 1000;
    int ascender = 0, descender = 0;    // font units, descender negative
    int capHeight = 0;
    int bboxXMin = 0, bboxYMin = 0, bboxXMax = 0, bboxYMax = 0;
    bool bold = false;
    bool syntheticBold = false;         // bold asked, no bold face: stroke the outline
    int id = 0;                          // index in FontSet::faces()

    // Advance of glyph `gid` in font units.
    int advance(std::uint32_t gid) const;
    // The glyph the font's cmap gives `cp`, 0 when it has none.
    std::uint32_t nominalGlyph(char32_t cp) const;
    // Line height as a multiple of the font size (ascender − descender).
    double lineHeightEm() const { return double(ascender - descender) / unitsPerEm; }
};

// A face cut down to some glyphs, ready to embed.
struct FontSubset {
    std::string deflated;                           // the font program, deflated
    std::size_t length = 0;                         // its size before deflating (/Length1)
    std::map<std::uint32_t, std::uint32_t> newGid;  // full font glyph id → subset glyph id
};

class FontSet {
public:
    explicit FontSet(const FontFiles& files);
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    const Face& face(FontScript script, bool bold) const;

    // Prepares every face for many subsets (hb_subset_preprocess): slow once
    // (about a second for the Chinese face), then each letter's subset is
    // quicker. Not needed for speed: subset() prepares a face itself once
    // its subsets keep changing (see kPrepareAfterNewSubsets). Call before
    // sharing the set between threads.
    void prepareForSubsetting();

    // A face is prepared for subsetting by subset() when it is cut down for
    // the this-many-th different glyph set: a print run's Latin face
    // changes with every customer's name, while its Urdu and Chinese faces
    // often serve only the same footer (whose one subset is kept), and
    // preparing the Chinese face costs as much as 60 letters.
    static constexpr int kPrepareAfterNewSubsets = 4;
    const std::vector<std::unique_ptr<Face>>& faces() const { return _faces; }

    // The script whose face should set `cp`; Common and Inherited characters
    // (digits, spaces, punctuation) give `previous`.
    static FontScript scriptOf(char32_t cp, FontScript previous);

    // The face for `cp` in `preferred` script, or a fallback face that has
    // it (Latin first), or `preferred`'s face when none has it.
    const Face& faceFor(char32_t cp, FontScript preferred, bool bold) const;

    // The face hb-subset reads: the prepared one when there is one.
    static hb_face_t* subsetSourceOf(const Face& f);

    // The subset of `face` with exactly `gids` (sorted), made by `make` the
    // first time and kept (a few hundred per set): letters repeat the same
    // glyphs (footers, letterheads), and cutting and deflating a font is
    // most of the cost of a small PDF. Thread-safe.
    std::shared_ptr<const FontSubset> subset(const Face& face, const std::vector<std::uint32_t>& gids,
                                             const std::function<FontSubset()>& make) const;

    // Line height (multiple of the size) of the Latin face: the page's
    // reference for spacing.
    double referenceLineHeightEm() const { return face(FontScript::Latin, false).lineHeightEm(); }

private:
    std::unique_ptr<Face> load(const FontFile& file, bool bold);
    void release();
    std::vector<std::unique_ptr<Face>> _faces;
    const Face* _byScript[3][2] = {};
    // Prepares `face` for subsetting unless it is already; thread-safe.
    void prepare(const Face& face) const;
    mutable std::mutex _subsetMutex;
    mutable std::map<std::pair<int, std::vector<std::uint32_t>>, std::shared_ptr<const FontSubset>> _subsets;
    mutable std::map<int, int> _newSubsets;  // by face id: glyph sets cut (under _subsetMutex)
    mutable std::mutex _prepareMutex;        // one hb_subset_preprocess at a time
};

}  // namespace duly::pdf
