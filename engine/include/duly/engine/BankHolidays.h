// BankHolidays: the bank holidays of one UK region in any year, computed by
// rule (Easter, "first Monday in May", substitute days) and adjusted by
// one-off changes kept as data (a holiday moved for VE Day, a jubilee, a state
// funeral). Pure computation; loading the one-off changes from
// config/calendars/ is CalendarFile's job.
#pragma once

#include "duly/engine/Time.h"

#include <map>
#include <string>
#include <vector>

namespace duly::engine {

enum class Region { EnglandAndWales, Scotland, NorthernIreland };

// "england-and-wales", "scotland", "northern-ireland".
std::string_view regionName(Region region);
Region parseRegion(std::string_view name, std::string_view what = "region");

struct Holiday {
    Date date;
    std::string name;  // "Christmas Day", "Christmas Day (substitute day)"
    bool operator==(const Holiday&) const = default;
};

// A one-off change: a rule-based holiday of `year` moved to another date, or
// removed, or an extra holiday added.
struct HolidayChange {
    enum class Action { Move, Remove, Add };
    Action action;
    int year;           // the year whose holidays change
    std::string rule;   // Move/Remove: the rule's id ("early-may"); Add: empty
    Date date;          // Move: the new date; Add: the extra day
    std::string name;   // Add: the holiday's name; Move: optional reason
};

// Western Easter Sunday of `year` (Gregorian calendar).
Date easterSunday(int year);

class BankHolidays {
public:
    explicit BankHolidays(Region region, std::vector<HolidayChange> changes = {});

    Region region() const { return _region; }

    // The bank holidays of `year`, in date order, with substitute days.
    std::vector<Holiday> forYear(int year) const;

    // Ids of the rules of this region, as used in HolidayChange::rule:
    // new-year, second-january, st-patrick, good-friday, easter-monday,
    // early-may, spring, battle-of-the-boyne, summer, st-andrew, christmas,
    // boxing-day.
    std::vector<std::string> ruleIds() const;

private:
    Region _region;
    std::vector<HolidayChange> _changes;
};

}  // namespace duly::engine
