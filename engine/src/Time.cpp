// Time: parsing and printing of civil dates and clock times.
#include "duly/engine/Time.h"

#include "duly/engine/InputError.h"

#include <cstdio>

namespace duly::engine {
namespace {

bool digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
    if (from + count > text.size()) return false;
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

}  // namespace

Date parseDate(std::string_view text, std::string_view what) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, y) ||
        !digits(text, 5, 2, m) || !digits(text, 8, 2, d)) {
        throw InputError(std::string(what) + ": expected a date as YYYY-MM-DD, found \"" +
                         std::string(text) + "\"");
    }
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        throw InputError(std::string(what) + ": \"" + std::string(text) + "\" is not a date in the calendar");
    return std::chrono::sys_days{ymd};
}

std::string formatDate(Date date) {
    auto ymd = civil(date);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

Minutes parseClockTime(std::string_view text, std::string_view what) {
    int h = 0, m = 0;
    if (text.size() != 5 || text[2] != ':' || !digits(text, 0, 2, h) || !digits(text, 3, 2, m) || h > 24 ||
        m > 59 || (h == 24 && m != 0)) {
        throw InputError(std::string(what) + ": expected a time of day as HH:MM (24-hour), found \"" +
                         std::string(text) + "\"");
    }
    return Minutes{h * 60 + m};
}

std::string formatClockTime(Minutes minutes) {
    char buf[8];
    auto total = minutes.count();
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(total / 60), static_cast<int>(total % 60));
    return buf;
}

unsigned isoWeekday(Date date) { return std::chrono::weekday{date}.iso_encoding(); }

std::chrono::year_month_day civil(Date date) { return std::chrono::year_month_day{date}; }

}  // namespace duly::engine
