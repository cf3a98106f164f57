// WorkingDayCalendar: which days an organisation works and when each working
// day closes. A working day is Monday to Friday with office hours set, not a
// bank holiday of the organisation's region and not one of its closure days
// (a Christmas shutdown). Holidays for 1970–2199 are computed once, at
// construction, into a day table, so the questions below cost an array
// look-up and a calendar can be shared between threads.
#pragma once

#include "duly/engine/BankHolidays.h"
#include "duly/engine/Time.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

struct OfficeHours {
    Minutes opens{9 * 60};
    Minutes closes{17 * 60};
};

struct Closure {
    Date from;
    Date to;  // inclusive
    std::string reason;
};

class WorkingDayCalendar {
public:
    // `hours` is indexed by ISO weekday - 1 (Monday = 0); an empty entry means
    // the office does not open that day.
    WorkingDayCalendar(BankHolidays holidays, std::array<std::optional<OfficeHours>, 7> hours,
                       std::vector<Closure> closures = {});

    // A Monday-to-Friday 09:00–17:00 calendar for `region` with no closures.
    static WorkingDayCalendar standard(Region region);

    bool isWorkingDay(Date date) const;

    // The office hours of `date`'s weekday (ignores holidays).
    std::optional<OfficeHours> hoursOn(Date date) const;

    // The first working day strictly after / before `date`.
    Date nextWorkingDay(Date date) const;
    Date previousWorkingDay(Date date) const;

    // The `n`-th working day after `date` (n = 0 is `date` itself, which need
    // not be a working day); a negative `n` counts back before `date`.
    Date addWorkingDays(Date date, int n) const;

    // Working days in (from, to]: 0 when to <= from.
    int workingDaysBetween(Date from, Date to) const;

    // Why `date` is not a working day ("Christmas Day", "Saturday",
    // "Christmas shutdown"), or nothing when it is one.
    std::optional<std::string> whyClosed(Date date) const;

    const BankHolidays& holidays() const { return _holidays; }
    const std::vector<Closure>& closures() const { return _closures; }


private:
    static constexpr int kFirstYear = 1970;
    static constexpr int kLastYear = 2199;
    bool computeIsWorkingDay(Date date) const;
    void fillYear(int year) const;
    void warm(int fromYear, int toYear) const;

    BankHolidays _holidays;
    std::array<std::optional<OfficeHours>, 7> _hours;
    std::vector<Closure> _closures;
    // One entry per day since 1970-01-01: 1 working, 0 closed. Dates outside
    // 1970–2199 are computed directly.
    mutable std::vector<unsigned char> _table;
    mutable std::vector<unsigned char> _yearFilled;
};

}  // namespace duly::engine
