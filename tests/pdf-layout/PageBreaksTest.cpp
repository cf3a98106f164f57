// PageBreaks: how many of a paragraph's lines stay on the page, as a table
// (advances of 10 points each unless said otherwise).
#include "duly/pdf/PageBreaks.h"

#include <gtest/gtest.h>

using namespace duly::pdf;

namespace {

struct Row {
    const char* what;
    std::size_t lines;
    double room;
    bool pageIsEmpty;
    std::size_t expected;
};

}  // namespace

TEST(PageBreaks, WidowAndOrphanControl) {
    const Row rows[] = {
        {"all fit", 6, 60, false, 6},
        {"all fit exactly", 3, 30, false, 3},
        {"two here, four there", 6, 25, false, 2},
        {"three here, three there", 6, 35, false, 3},
        {"one would be an orphan: move whole", 6, 15, false, 0},
        {"none fits: move whole", 6, 5, false, 0},
        {"one would be a widow: bring one more over", 6, 55, false, 4},
        {"three lines, two fit: keep together", 3, 25, false, 0},
        {"two lines, one fits: keep together", 2, 15, false, 0},
        {"one line that does not fit moves", 1, 5, false, 0},
        {"four lines, three fit: two and two", 4, 35, false, 2},
        {"empty page, taller than the page: as many as fit", 30, 100, true, 10},
        {"empty page, one would be a widow", 11, 100, true, 9},
        {"empty page, nothing fits: one anyway", 3, 5, true, 1},
        {"empty page, one fits of two", 2, 15, true, 1},
    };
    for (const auto& r : rows)
        EXPECT_EQ(linesOnThisPage(std::vector<double>(r.lines, 10.0), r.room, r.pageIsEmpty), r.expected) << r.what;
}

TEST(PageBreaks, LinesOfDifferentHeights) {
    // Urdu lines are taller than English ones in the same paragraph.
    EXPECT_EQ(linesOnThisPage({10, 24, 10, 24, 10}, 50, false), 3u);
    EXPECT_EQ(linesOnThisPage({10, 24, 10, 24, 10}, 30, false), 0u);  // one line here would be an orphan
    EXPECT_EQ(linesOnThisPage({24, 24, 24, 10}, 75, false), 2u);      // three fit, leaving a widow
}
