// AsciiText: the small ASCII helpers the mail parsers share — case folding
// and trimming white space — kept in one place so that every parser folds
// and trims alike. Internal to duly::mail. Nothing here throws.
#pragma once

#include <string>
#include <string_view>

namespace duly::mail::ascii {

// `s` with A-Z folded to a-z (other bytes as they are).
inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // whatever the C locale says
    return out;
}

// `s` without leading and trailing spaces, tabs, CRs and LFs.
inline std::string_view trim(std::string_view s) {
    auto white = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && white(s.front())) s.remove_prefix(1);
    while (!s.empty() && white(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace duly::mail::ascii
