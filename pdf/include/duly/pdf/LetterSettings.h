// LetterSettings: what an administrator sets for printed letters, read from
// config/letters.toml: the font files for each script (Debian's paths by
// default), where the envelope window is, one letterhead per brand (a logo
// PNG), each officer's optional signature image, the page of a Braille
// embosser and the speed and bit rate of audio letters. Loading throws
// InputError "FILE:LINE: KEY: expected …" for a malformed file; a font or
// image that cannot be read is reported when it is first loaded (FontSet,
// LetterWriter), naming the file and the key that named it.
#pragma once

#include "duly/pdf/AudioWriter.h"
#include "duly/pdf/BrailleWriter.h"

#include <filesystem>
#include <map>
#include <string>

namespace duly::pdf {

// A font file and, for a TrueType collection (.ttc), the face in it.
struct FontFile {
    std::filesystem::path path;
    unsigned index = 0;
    std::string key;  // "fonts.urdu": named in messages about the file
};

struct FontFiles {
    FontFile latin{"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", 0, "fonts.latin"};
    FontFile latinBold{"/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", 0, "fonts.latin-bold"};
    FontFile urdu{"/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf", 0, "fonts.urdu"};
    FontFile urduBold{"/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Bold.ttf", 0, "fonts.urdu-bold"};
    // AR PL UMing HK (face 1 of uming.ttc): TrueType outlines, Traditional
    // Chinese glyph forms as read in Hong Kong. WenQuanYi Zen Hei
    // (wqy-zenhei.ttc, face 0) is the alternative.
    FontFile chinese{"/usr/share/fonts/truetype/arphic/uming.ttc", 1, "fonts.chinese"};
    FontFile chineseBold{};  // none by default: bold is drawn by stroking the outline
};

// The address window of a standard UK DL window envelope, measured on the
// A4 sheet from its top left corner (a letter folded in three).
struct WindowPosition {
    double leftMm = 20.0;
    double topMm = 50.0;
    double widthMm = 90.0;
    double heightMm = 40.0;
    double paddingMm = 4.0;  // the address keeps this far inside the window
};

struct Letterhead {
    std::filesystem::path logo;   // PNG; empty for none
    double logoWidthMm = 40.0;
};

struct LetterSettings {
    FontFiles fonts;
    WindowPosition window;
    std::map<std::string, Letterhead> letterheads;          // by brand (organisation id)
    std::map<std::string, std::filesystem::path> signatures;  // by officer id
    BrailleSettings braille;   // [braille] cells-per-line, lines-per-page
    AudioSettings audio;       // [audio] words-per-minute, bitrate
    std::filesystem::path file;  // where they were read from; empty for the defaults
};

// Reads `file` (config/letters.toml); the defaults above when it does not
// exist. Relative image paths are taken from `home`.
LetterSettings loadLetterSettings(const std::filesystem::path& file, const std::filesystem::path& home);

}  // namespace duly::pdf
