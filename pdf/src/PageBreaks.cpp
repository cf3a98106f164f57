// PageBreaks: see PageBreaks.h. Plain arithmetic on line advances, so it is
// tested as a table.
#include "duly/pdf/PageBreaks.h"

namespace duly::pdf {

std::size_t linesOnThisPage(const std::vector<double>& advances, double room, bool pageIsEmpty) {
    const std::size_t n = advances.size();
    std::size_t fit = 0;
    double used = 0;
    while (fit < n && used + advances[fit] <= room) used += advances[fit++];
    if (fit == n) return n;
    if (pageIsEmpty) {
        // Nothing to gain by moving: fill the page, but leave two lines
        // for the next when that still sets one here.
        if (fit == 0) return 1;
        if (n - fit < 2 && fit > 2) return n - 2;
        return fit;
    }
    if (fit < 2) return 0;             // an orphan: one line alone at the foot
    if (n - fit >= 2) return fit;      // two or more on each page
    if (n >= 4) return n - 2;          // a widow: bring one more line over
    return 0;                          // two or three lines: keep them together
}

}  // namespace duly::pdf
