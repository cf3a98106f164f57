// BankHolidays: UK bank holidays by rule. The rules are those in force since
// the early May holiday began in 1978; earlier years get the same rules.
// Substitute days: a holiday that falls on a Saturday or Sunday moves to the
// next weekday that is not already a holiday, taking the weekend holidays in
// date order (so Christmas on a Sunday gives Boxing Day on Monday 26 and the
// Christmas substitute on Tuesday 27).
#include "duly/engine/BankHolidays.h"

#include "duly/engine/InputError.h"

#include <algorithm>
#include <set>

namespace duly::engine {
namespace {

using namespace std::chrono;

struct RuleHoliday {
    std::string id;
    std::string name;
    Date date;
    bool substitutable;
};

Date dateOf(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

Date firstMonday(int y, unsigned m) { return sys_days{year{y} / month{m} / Monday[1]}; }

Date lastMonday(int y, unsigned m) { return sys_days{year{y} / month{m} / Monday[last]}; }

bool weekend(Date d) { return isoWeekday(d) >= 6; }

std::vector<RuleHoliday> ruleHolidays(Region region, int y) {
    const Date easter = easterSunday(y);
    std::vector<RuleHoliday> out;
    out.push_back({"new-year", "New Year’s Day", dateOf(y, 1, 1), true});
    if (region == Region::Scotland) out.push_back({"second-january", "2nd January", dateOf(y, 1, 2), true});
    if (region == Region::NorthernIreland)
        out.push_back({"st-patrick", "St Patrick’s Day", dateOf(y, 3, 17), true});
    out.push_back({"good-friday", "Good Friday", easter - days{2}, false});
    if (region != Region::Scotland) out.push_back({"easter-monday", "Easter Monday", easter + days{1}, false});
    out.push_back({"early-may", "Early May bank holiday", firstMonday(y, 5), false});
    out.push_back({"spring", "Spring bank holiday", lastMonday(y, 5), false});
    if (region == Region::NorthernIreland)
        out.push_back({"battle-of-the-boyne", "Battle of the Boyne (Orangemen’s Day)", dateOf(y, 7, 12), true});
    out.push_back({"summer", "Summer bank holiday",
                   region == Region::Scotland ? firstMonday(y, 8) : lastMonday(y, 8), false});
    if (region == Region::Scotland) out.push_back({"st-andrew", "St Andrew’s Day", dateOf(y, 11, 30), true});
    out.push_back({"christmas", "Christmas Day", dateOf(y, 12, 25), true});
    out.push_back({"boxing-day", "Boxing Day", dateOf(y, 12, 26), true});
    return out;
}

}  // namespace

std::string_view regionName(Region region) {
    switch (region) {
        case Region::EnglandAndWales: return "england-and-wales";
        case Region::Scotland: return "scotland";
        case Region::NorthernIreland: return "northern-ireland";
    }
    return "?";
}

Region parseRegion(std::string_view name, std::string_view what) {
    for (auto r : {Region::EnglandAndWales, Region::Scotland, Region::NorthernIreland})
        if (regionName(r) == name) return r;
    throw InputError("unknown " + std::string(what) + " \"" + std::string(name) +
                     "\" (accepted: england-and-wales, scotland, northern-ireland)");
}

Date easterSunday(int y) {
    // The anonymous Gregorian computus (Meeus/Jones/Butcher).
    const int a = y % 19;
    const int b = y / 100;
    const int c = y % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = ((h + l - 7 * m + 114) % 31) + 1;
    return dateOf(y, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

BankHolidays::BankHolidays(Region region, std::vector<HolidayChange> changes)
    : _region(region), _changes(std::move(changes)) {}

std::vector<std::string> BankHolidays::ruleIds() const {
    std::vector<std::string> ids;
    for (const auto& h : ruleHolidays(_region, 2000)) ids.push_back(h.id);
    return ids;
}

std::vector<Holiday> BankHolidays::forYear(int y) const {
    auto rules = ruleHolidays(_region, y);
    // One-off changes first: they replace the rule's date before substitution.
    for (const auto& change : _changes) {
        if (change.year != y) continue;
        if (change.action == HolidayChange::Action::Add) {
            rules.push_back({"", change.name, change.date, false});
            continue;
        }
        auto it = std::find_if(rules.begin(), rules.end(), [&](const RuleHoliday& r) { return r.id == change.rule; });
        if (it == rules.end()) continue;  // CalendarFile refuses unknown rule ids
        if (change.action == HolidayChange::Action::Remove) {
            rules.erase(it);
        } else {
            it->date = change.date;
            it->substitutable = false;  // a moved holiday is taken on the day given
        }
    }
    std::sort(rules.begin(), rules.end(), [](const RuleHoliday& a, const RuleHoliday& b) { return a.date < b.date; });

    std::set<Date> taken;
    for (const auto& r : rules)
        if (!weekend(r.date)) taken.insert(r.date);

    std::vector<Holiday> out;
    for (const auto& r : rules) {
        if (!weekend(r.date)) {
            out.push_back({r.date, r.name});
        } else if (r.substitutable) {
            Date d = r.date;
            do d += days{1};
            while (weekend(d) || taken.count(d));
            taken.insert(d);
            out.push_back({d, r.name + " (substitute day)"});
        }
        // A non-substitutable holiday on a weekend (only possible by a
        // one-off change) simply falls on that day, which is closed anyway.
    }
    std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    return out;
}

}  // namespace duly::engine
