// WorkingDayCalendar: working days from bank holidays, office hours and
// closures, with a lazily filled day table for speed (the deadline
// benchmark asks a million questions a second).
#include "duly/engine/WorkingDayCalendar.h"

#include <algorithm>
#include <cassert>

namespace duly::engine {
namespace {

using namespace std::chrono;

constexpr const char* kWeekdayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};

}  // namespace

WorkingDayCalendar::WorkingDayCalendar(BankHolidays holidays, std::array<std::optional<OfficeHours>, 7> hours,
                                       std::vector<Closure> closures)
    : _holidays(std::move(holidays)), _hours(hours), _closures(std::move(closures)) {
    const auto first = sys_days{year{kFirstYear} / January / 1};
    const auto last = sys_days{year{kLastYear} / December / 31};
    _table.assign(static_cast<std::size_t>((last - first).count() + 1), 0);
    _yearFilled.assign(kLastYear - kFirstYear + 1, 0);
    // Filling every year up front (about a millisecond) makes the calendar
    // read-only afterwards, so threads may share it.
    warm(kFirstYear, kLastYear);
}

WorkingDayCalendar WorkingDayCalendar::standard(Region region) {
    std::array<std::optional<OfficeHours>, 7> hours;
    for (int i = 0; i < 5; ++i) hours[static_cast<std::size_t>(i)] = OfficeHours{};
    return WorkingDayCalendar(BankHolidays(region), hours);
}

std::optional<OfficeHours> WorkingDayCalendar::hoursOn(Date date) const {
    return _hours[isoWeekday(date) - 1];
}

bool WorkingDayCalendar::computeIsWorkingDay(Date date) const { return !whyClosed(date).has_value(); }

std::optional<std::string> WorkingDayCalendar::whyClosed(Date date) const {
    const unsigned wd = isoWeekday(date);
    if (wd >= 6) return std::string(kWeekdayNames[wd - 1]);
    if (!_hours[wd - 1]) return std::string("the office does not open on ") + kWeekdayNames[wd - 1];
    for (const auto& c : _closures)
        if (date >= c.from && date <= c.to) return c.reason.empty() ? std::string("closure day") : c.reason;
    const int y = static_cast<int>(civil(date).year());
    for (const auto& h : _holidays.forYear(y))
        if (h.date == date) return h.name;
    return std::nullopt;
}

void WorkingDayCalendar::fillYear(int y) const {
    const auto epoch = sys_days{year{kFirstYear} / January / 1};
    const auto first = sys_days{year{y} / January / 1};
    const auto last = sys_days{year{y} / December / 31};
    // Weekdays with hours are working unless a holiday or closure says not.
    for (auto d = first; d <= last; d += days{1})
        _table[static_cast<std::size_t>((d - epoch).count())] = _hours[isoWeekday(d) - 1] ? 1 : 0;
    for (const auto& h : _holidays.forYear(y))
        _table[static_cast<std::size_t>((h.date - epoch).count())] = 0;
    for (const auto& c : _closures) {
        for (auto d = std::max(c.from, first); d <= std::min(c.to, last); d += days{1})
            _table[static_cast<std::size_t>((d - epoch).count())] = 0;
    }
    _yearFilled[static_cast<std::size_t>(y - kFirstYear)] = 1;
}

void WorkingDayCalendar::warm(int fromYear, int toYear) const {
    for (int y = std::max(fromYear, kFirstYear); y <= std::min(toYear, kLastYear); ++y)
        if (!_yearFilled[static_cast<std::size_t>(y - kFirstYear)]) fillYear(y);
}

bool WorkingDayCalendar::isWorkingDay(Date date) const {
    const auto epoch = sys_days{year{kFirstYear} / January / 1};
    const auto index = (date - epoch).count();
    if (index < 0 || index >= static_cast<long>(_table.size())) return computeIsWorkingDay(date);
    return _table[static_cast<std::size_t>(index)] != 0;
}

Date WorkingDayCalendar::nextWorkingDay(Date date) const {
    // A calendar with no open weekday would loop for ever: stop after ten years.
    for (int i = 1; i <= 3660; ++i) {
        Date d = date + days{i};
        if (isWorkingDay(d)) return d;
    }
    assert(false && "calendar has no working day in ten years");
    return date + days{1};
}

Date WorkingDayCalendar::previousWorkingDay(Date date) const {
    for (int i = 1; i <= 3660; ++i) {
        Date d = date - days{i};
        if (isWorkingDay(d)) return d;
    }
    assert(false && "calendar has no working day in ten years");
    return date - days{1};
}

Date WorkingDayCalendar::addWorkingDays(Date date, int n) const {
    Date d = date;
    for (int i = 0; i < n; ++i) d = nextWorkingDay(d);
    for (int i = 0; i > n; --i) d = previousWorkingDay(d);
    return d;
}

int WorkingDayCalendar::workingDaysBetween(Date from, Date to) const {
    int count = 0;
    for (Date d = from + days{1}; d <= to; d += days{1})
        if (isWorkingDay(d)) ++count;
    return count;
}

}  // namespace duly::engine
