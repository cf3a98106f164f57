// Bank holidays by rule plus the one-off changes in config/calendars/,
// checked against the published lists for England and Wales 2019–2027 and
// the days where Scotland and Northern Ireland differ.
#include "duly/engine/BankHolidays.h"
#include "duly/engine/CharterFile.h"
#include "duly/engine/InputError.h"
#include "duly/engine/WorkingDayCalendar.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace duly::engine;

namespace {

const std::filesystem::path kCalendars = std::filesystem::path(DULY_SOURCE_HOME) / "config" / "calendars";

std::vector<std::string> datesOf(Region region, int year) {
    std::vector<std::string> out;
    for (const auto& h : loadBankHolidays(region, kCalendars).forYear(year)) out.push_back(formatDate(h.date));
    return out;
}

using Dates = std::vector<std::string>;

}  // namespace

TEST(Easter, KnownSundays) {
    EXPECT_EQ(formatDate(easterSunday(2019)), "2019-04-21");
    EXPECT_EQ(formatDate(easterSunday(2024)), "2024-03-31");
    EXPECT_EQ(formatDate(easterSunday(2027)), "2027-03-28");
    EXPECT_EQ(formatDate(easterSunday(2038)), "2038-04-25");  // latest possible
    EXPECT_EQ(formatDate(easterSunday(2285)), "2285-03-22");  // earliest possible
}

// The published England and Wales lists, entered by hand.
TEST(EnglandAndWales, PublishedLists2019To2027) {
    const std::map<int, Dates> published = {
        {2019, {"2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26", "2019-12-25", "2019-12-26"}},
        {2020, {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"}},
        {2021, {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"}},
        {2022, {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"}},
        {2023, {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
        {2024, {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"}},
        {2025, {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"}},
        {2026, {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}},
        {2027, {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"}},
    };
    for (const auto& [year, dates] : published) EXPECT_EQ(datesOf(Region::EnglandAndWales, year), dates) << year;
}

TEST(EnglandAndWales, HolidayNamesIncludeSubstitutes) {
    auto h = loadBankHolidays(Region::EnglandAndWales, kCalendars).forYear(2022);
    ASSERT_EQ(h.size(), 10u);
    EXPECT_EQ(h[0].name, "New Year’s Day (substitute day)");
    EXPECT_EQ(h[7].name, "Bank Holiday for the State Funeral of Queen Elizabeth II");
    EXPECT_EQ(h[8].name, "Boxing Day");
    EXPECT_EQ(h[9].name, "Christmas Day (substitute day)");
}

TEST(EnglandAndWales, RulesAloneWithoutTheOneOffChanges) {
    // Without config/calendars the 2020 early May holiday stays on its Monday.
    BankHolidays rules(Region::EnglandAndWales);
    auto h = rules.forYear(2020);
    EXPECT_EQ(formatDate(h[3].date), "2020-05-04");
}

TEST(Scotland, DifferingDays) {
    EXPECT_EQ(datesOf(Region::Scotland, 2026),
              (Dates{"2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03",
                     "2026-11-30", "2026-12-25", "2026-12-28"}));
    EXPECT_EQ(datesOf(Region::Scotland, 2027),
              (Dates{"2027-01-01", "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02",
                     "2027-11-30", "2027-12-27", "2027-12-28"}));
    EXPECT_EQ(datesOf(Region::Scotland, 2022),
              (Dates{"2022-01-03", "2022-01-04", "2022-04-15", "2022-05-02", "2022-06-02", "2022-06-03",
                     "2022-08-01", "2022-09-19", "2022-11-30", "2022-12-26", "2022-12-27"}));
    EXPECT_EQ(datesOf(Region::Scotland, 2023),
              (Dates{"2023-01-02", "2023-01-03", "2023-04-07", "2023-05-01", "2023-05-08", "2023-05-29",
                     "2023-08-07", "2023-11-30", "2023-12-25", "2023-12-26"}));
    // St Andrew's Day on a Saturday moves to Monday 2 December.
    auto h2024 = datesOf(Region::Scotland, 2024);
    EXPECT_NE(std::find(h2024.begin(), h2024.end(), "2024-12-02"), h2024.end());
}

TEST(NorthernIreland, DifferingDays) {
    EXPECT_EQ(datesOf(Region::NorthernIreland, 2026),
              (Dates{"2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                     "2026-07-13", "2026-08-31", "2026-12-25", "2026-12-28"}));
    EXPECT_EQ(datesOf(Region::NorthernIreland, 2027),
              (Dates{"2027-01-01", "2027-03-17", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
                     "2027-07-12", "2027-08-30", "2027-12-27", "2027-12-28"}));
    EXPECT_EQ(datesOf(Region::NorthernIreland, 2023),
              (Dates{"2023-01-02", "2023-03-17", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
                     "2023-05-29", "2023-07-12", "2023-08-28", "2023-12-25", "2023-12-26"}));
}

TEST(WorkingDays, ClosuresAndHours) {
    std::array<std::optional<OfficeHours>, 7> hours;
    for (std::size_t i = 0; i < 5; ++i) hours[i] = OfficeHours{};
    WorkingDayCalendar cal(loadBankHolidays(Region::EnglandAndWales, kCalendars), hours,
                           {{parseDate("2026-12-29"), parseDate("2026-12-31"), "Christmas shutdown"}});
    EXPECT_FALSE(cal.isWorkingDay(parseDate("2026-12-30")));
    EXPECT_EQ(cal.whyClosed(parseDate("2026-12-30")).value(), "Christmas shutdown");
    EXPECT_EQ(cal.whyClosed(parseDate("2026-12-28")).value(), "Boxing Day (substitute day)");
    EXPECT_EQ(cal.whyClosed(parseDate("2026-11-22")).value(), "Sunday");
    EXPECT_FALSE(cal.whyClosed(parseDate("2026-11-23")).has_value());
    EXPECT_EQ(formatDate(cal.nextWorkingDay(parseDate("2026-12-24"))), "2027-01-04");
    EXPECT_EQ(formatDate(cal.addWorkingDays(parseDate("2027-01-04"), -1)), "2026-12-24");
    EXPECT_EQ(cal.workingDaysBetween(parseDate("2026-12-24"), parseDate("2027-01-05")), 2);
}

TEST(CalendarFile, BadChangesAreNamed) {
    auto message = [](const std::string& text) {
        try {
            parseCalendarChanges(text, "cal.toml");
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("region = \"scotland\"\n[[change]]\nyear = 2020\nmove = \"easter-monday\"\nto = 2020-05-08\n"),
              "cal.toml:4: change[1].move: expected a holiday rule of this region (new-year, second-january, "
              "good-friday, early-may, spring, summer, st-andrew, christmas, boxing-day), found \"easter-monday\"");
    EXPECT_EQ(message("region = \"england-and-wales\"\n[[change]]\nyear = 2021\nadd = 2020-05-08\nname = \"x\"\n"),
              "cal.toml:2: change[1]: the date is not in year 2021");
    EXPECT_EQ(message("region = \"england-and-wales\"\n[[change]]\nyear = 2021\nadd = 2021-05-08\n"),
              "cal.toml:2: change[1].name: missing (expected a text value)");
    EXPECT_EQ(message("[[change]]\nyeer = 2021\n"),
              "cal.toml:2: change[1].yeer: unknown key (accepted: year, move, to, remove, add, name, reason)");
}
