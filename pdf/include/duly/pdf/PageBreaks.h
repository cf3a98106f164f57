// PageBreaks: where a paragraph's lines are split between two pages, with
// widow and orphan control. A paragraph is split only so that at least two
// of its lines stay on each page; when it cannot be, it moves whole to the
// next page. On a page with nothing above it the lines go where they fit,
// since moving would not help.
#pragma once

#include <cstddef>
#include <vector>

namespace duly::pdf {

// How many of the lines (their advances, in points, in order) to set on the
// current page, which has `room` points left: all of them when they fit,
// else at least 2 leaving at least 2, else 0 (start the next page).
// `pageIsEmpty`: nothing is set on the page yet, so 0 is never the answer
// (at least 1, as many as fit, keeping 2 for the next page when it can).
std::size_t linesOnThisPage(const std::vector<double>& advances, double room, bool pageIsEmpty);

}  // namespace duly::pdf
