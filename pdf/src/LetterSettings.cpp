// LetterSettings: reads config/letters.toml (fonts, envelope window,
// letterheads, signature images). Owns nothing beyond the returned value.
// Fails with InputError naming the file, line and key, and what was expected.
#include "duly/pdf/LetterSettings.h"

#include "duly/engine/InputError.h"
#include "duly/engine/TomlReader.h"

#include <charconv>

namespace duly::pdf {

namespace {

using engine::TomlReader;

FontFile fontFile(const TomlReader& reader, const toml::table& fonts, const std::string& key, FontFile fallback) {
    const std::string path = "fonts." + key;
    std::string value = reader.string(fonts, key, path, false);
    if (value.empty()) return fallback;
    FontFile f;
    f.key = path;
    // "file.ttc#1": face 1 of a TrueType collection.
    auto hash = value.rfind('#');
    if (hash != std::string::npos) {
        unsigned index = 0;
        auto tail = std::string_view(value).substr(hash + 1);
        auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), index);
        if (ec != std::errc{} || end != tail.data() + tail.size())
            reader.fail(fonts.get(key), path, "expected a font file, or FILE.ttc#N for face N of a collection, found \"" + value + "\"");
        f.index = index;
        value.resize(hash);
    }
    f.path = value;
    return f;
}

double millimetres(const TomlReader& reader, const toml::table& table, const std::string& key, const std::string& path,
                   double fallback, double max) {
    const toml::node* node = table.get(key);
    if (!node) return fallback;
    double v = 0;
    if (node->is_integer()) v = static_cast<double>(node->as_integer()->get());
    else if (node->is_floating_point()) v = node->as_floating_point()->get();
    else reader.expected(*node, path, "a number of millimetres");
    if (v < 0 || v > max) reader.expected(*node, path, "a number of millimetres from 0 to " + std::to_string(int(max)));
    return v;
}

int wholeNumber(const TomlReader& reader, const toml::table& table, const std::string& key, const std::string& path,
                int fallback, int min, int max, const std::string& unit) {
    const toml::node* node = table.get(key);
    if (!node) return fallback;
    if (!node->is_integer()) reader.expected(*node, path, "a whole number of " + unit);
    const auto v = node->as_integer()->get();
    if (v < min || v > max)
        reader.expected(*node, path, "a number of " + unit + " from " + std::to_string(min) + " to " + std::to_string(max));
    return int(v);
}

std::filesystem::path imagePath(const std::string& value, const std::filesystem::path& home) {
    std::filesystem::path p(value);
    return p.is_relative() ? home / p : p;
}

}  // namespace

LetterSettings loadLetterSettings(const std::filesystem::path& file, const std::filesystem::path& home) {
    LetterSettings s;
    std::error_code ec;
    if (file.empty() || !std::filesystem::exists(file, ec)) return s;
    s.file = file;
    const std::string name = file.string();
    TomlReader reader(name);
    toml::table root = engine::parseToml(engine::readTextFile(file), name);
    reader.onlyKeys(root, "", {"fonts", "window", "letterhead", "signatures", "braille", "audio"});
    if (auto* b = root["braille"].as_table()) {
        reader.onlyKeys(*b, "braille.", {"cells-per-line", "lines-per-page"});
        s.braille.cellsPerLine = wholeNumber(reader, *b, "cells-per-line", "braille.cells-per-line",
                                             s.braille.cellsPerLine, 10, 100, "cells");
        s.braille.linesPerPage = wholeNumber(reader, *b, "lines-per-page", "braille.lines-per-page",
                                             s.braille.linesPerPage, 5, 100, "lines");
    } else if (root.get("braille")) {
        reader.expected(*root.get("braille"), "braille", "a table with cells-per-line and lines-per-page");
    }
    if (auto* a = root["audio"].as_table()) {
        reader.onlyKeys(*a, "audio.", {"words-per-minute", "bitrate"});
        s.audio.wordsPerMinute = wholeNumber(reader, *a, "words-per-minute", "audio.words-per-minute",
                                             s.audio.wordsPerMinute, 80, 450, "words a minute");
        s.audio.bitrate = wholeNumber(reader, *a, "bitrate", "audio.bitrate", s.audio.bitrate, 6000, 256000,
                                      "bits a second");
    } else if (root.get("audio")) {
        reader.expected(*root.get("audio"), "audio", "a table with words-per-minute and bitrate");
    }
    if (auto* fonts = root["fonts"].as_table()) {
        reader.onlyKeys(*fonts, "fonts.", {"latin", "latin-bold", "urdu", "urdu-bold", "chinese", "chinese-bold"});
        s.fonts.latin = fontFile(reader, *fonts, "latin", s.fonts.latin);
        s.fonts.latinBold = fontFile(reader, *fonts, "latin-bold", s.fonts.latinBold);
        s.fonts.urdu = fontFile(reader, *fonts, "urdu", s.fonts.urdu);
        s.fonts.urduBold = fontFile(reader, *fonts, "urdu-bold", s.fonts.urduBold);
        s.fonts.chinese = fontFile(reader, *fonts, "chinese", s.fonts.chinese);
        s.fonts.chineseBold = fontFile(reader, *fonts, "chinese-bold", s.fonts.chineseBold);
    } else if (root.get("fonts")) {
        reader.expected(*root.get("fonts"), "fonts", "a table of font files");
    }
    if (auto* w = root["window"].as_table()) {
        reader.onlyKeys(*w, "window.", {"left-mm", "top-mm", "width-mm", "height-mm", "padding-mm"});
        s.window.leftMm = millimetres(reader, *w, "left-mm", "window.left-mm", s.window.leftMm, 100);
        s.window.topMm = millimetres(reader, *w, "top-mm", "window.top-mm", s.window.topMm, 150);
        s.window.widthMm = millimetres(reader, *w, "width-mm", "window.width-mm", s.window.widthMm, 150);
        s.window.heightMm = millimetres(reader, *w, "height-mm", "window.height-mm", s.window.heightMm, 100);
        s.window.paddingMm = millimetres(reader, *w, "padding-mm", "window.padding-mm", s.window.paddingMm, 20);
        if (s.window.widthMm < 30 || s.window.heightMm < 20)
            reader.fail(w, "window", "the window must be at least 30 mm wide and 20 mm high to hold an address");
    }
    if (auto* heads = root["letterhead"].as_table()) {
        for (const auto& [brand, node] : *heads) {
            const std::string path = "letterhead." + std::string(brand.str());
            auto* t = node.as_table();
            if (!t) reader.expected(node, path, "a table with logo and logo-width-mm");
            reader.onlyKeys(*t, path + ".", {"logo", "logo-width-mm"});
            Letterhead h;
            std::string logo = reader.string(*t, "logo", path + ".logo", false);
            if (!logo.empty()) h.logo = imagePath(logo, home);
            h.logoWidthMm = millimetres(reader, *t, "logo-width-mm", path + ".logo-width-mm", h.logoWidthMm, 120);
            s.letterheads[std::string(brand.str())] = h;
        }
    }
    if (auto* sigs = root["signatures"].as_table()) {
        for (const auto& [officer, node] : *sigs) {
            const std::string path = "signatures." + std::string(officer.str());
            if (!node.is_string()) reader.expected(node, path, "the path of a PNG image in quotes");
            s.signatures[std::string(officer.str())] = imagePath(std::string(*node.as_string()), home);
        }
    }
    return s;
}

}  // namespace duly::pdf
