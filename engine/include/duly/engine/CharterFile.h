// CharterFile and CalendarFile: read charters and calendars from TOML. A
// mistake is reported as an InputError whose message reads
//   config/charters/x.toml:12: rule[2].respond_within: expected a whole number of working days from 0 to 60, found "five"
// naming file, line, key and what was expected.
#pragma once

#include "duly/engine/BankHolidays.h"
#include "duly/engine/Charter.h"

#include <filesystem>
#include <string>
#include <vector>

namespace duly::engine {

// Loads the one-off holiday changes of config/calendars/REGION.toml.
// `calendarsDir` may not exist, in which case rules alone are used.
BankHolidays loadBankHolidays(Region region, const std::filesystem::path& calendarsDir);

// Parses a calendar file's text; `file` is used in messages.
std::vector<HolidayChange> parseCalendarChanges(const std::string& text, const std::string& file);

// Loads a charter. `nameOrPath` is a shipped charter's name ("progress",
// looked up as HOME/config/charters/progress.toml) or a path to a .toml file.
// Throws InputError for an unknown name (listing the shipped ones) or a bad
// file.
Charter loadCharter(const std::string& nameOrPath, const std::filesystem::path& home);

// Parses a charter's text; `file` is used in messages. Its complaints scheme
// is read from `schemesDir` (default: calendarsDir's sibling "schemes", i.e.
// HOME/config/schemes); a charter without [complaints] takes
// housing-ombudsman.
Charter parseCharter(const std::string& text, const std::string& file,
                     const std::filesystem::path& calendarsDir);
Charter parseCharter(const std::string& text, const std::string& file,
                     const std::filesystem::path& calendarsDir, const std::filesystem::path& schemesDir);

// Parses a scheme file (config/schemes/ID.toml): its id, title, nation and
// ombudsman, and into `rules` its default complaint rules. Throws InputError
// for a bad file, an empty ombudsman detail or a rule for a kind that is not
// a complaint.
ComplaintScheme parseScheme(const std::string& text, const std::string& file, std::vector<CharterRule>& rules);

// Names of the charters shipped under HOME/config/charters, sorted.
std::vector<std::string> shippedCharters(const std::filesystem::path& home);

}  // namespace duly::engine
