// Time: the two kinds of time the engine works with. An Instant is a point
// on the UTC time line (stored, compared); a Date is a civil date in the
// organisation's zone (counted in working days). Conversions between them go
// through a ZoneRules (ZoneRules.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace duly::engine {

using Instant = std::chrono::sys_seconds;
using Date = std::chrono::sys_days;
using Minutes = std::chrono::minutes;

// "2026-12-24" → Date; throws InputError naming `what` and the text when it is
// not a valid ISO 8601 calendar date.
Date parseDate(std::string_view text, std::string_view what = "date");

// Date → "2026-12-24".
std::string formatDate(Date date);

// "HH:MM" → minutes after midnight; throws InputError when malformed.
Minutes parseClockTime(std::string_view text, std::string_view what = "time");

// minutes after midnight → "HH:MM".
std::string formatClockTime(Minutes minutes);

// ISO weekday of a date: 1 = Monday … 7 = Sunday.
unsigned isoWeekday(Date date);

// The year, month and day of a date.
std::chrono::year_month_day civil(Date date);

}  // namespace duly::engine
