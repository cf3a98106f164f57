// RenderProfile: the print rules of a format ("standard", "large-print") as
// data, for the writers that lay out a Document (HTML here, PDF in pdf/).
// The large-print numbers follow clear-print guidance: 18pt by default and
// never under 16pt, a sans-serif face, text aligned left, line spacing of
// at least 1.5, no italics, no text set in capitals, bold headings.
// Values can be changed in config/render.toml (see docs/templates.md).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace duly::engine {

struct RenderProfile {
    std::string name = "standard";     // "standard" or "large-print"
    double fontSizePt = 11.0;          // body text
    double minFontSizePt = 9.0;        // nothing (footers included) smaller
    double headingSizePt = 14.0;
    std::string fontFamily = "sans";   // generic family: "sans" or "serif"
    std::string align = "left";        // never justified: uneven gaps hurt reading
    double lineSpacing = 1.3;          // multiple of the font size
    bool italics = false;              // may writers set anything in italics?
    bool capitals = false;             // may writers set text in capitals?
    bool boldHeadings = true;
    double marginMm = 20.0;            // page margin for paged writers

    bool operator==(const RenderProfile&) const = default;
};

// The built-in profile named `name` ("standard" or "large-print"), changed
// by the [profile.NAME] table of `configFile` when that file exists. Throws
// InputError for an unknown name, a malformed file, or numbers that break
// the rules above (large print under 16pt, line spacing under 1.5).
RenderProfile loadRenderProfile(std::string_view name, const std::filesystem::path& configFile = {});

// "standard, large-print"
std::string acceptedFormats();

}  // namespace duly::engine
