// ZoneRules: UTC offsets of one IANA time zone (Europe/London by default),
// read once from ICU's zone data and kept as a sorted table of transitions so
// that converting a time costs a binary search, not an ICU call. Owns no ICU
// objects after construction. Throws InputError for an unknown zone id.
#pragma once

#include "duly/engine/Time.h"

#include <string>
#include <vector>

namespace duly::engine {

struct LocalDateTime {
    Date date;
    Minutes timeOfDay;  // minutes after local midnight
    int offsetSeconds;  // UTC offset in force at that instant
};

class ZoneRules {
public:
    // Reads the transitions of `zoneId` between 1970 and 2200 from ICU.
    explicit ZoneRules(const std::string& zoneId = "Europe/London");

    const std::string& id() const { return _id; }

    // The UTC offset in force at `instant`, in seconds.
    int offsetAt(Instant instant) const;

    // The local date, time of day and offset of `instant`.
    LocalDateTime toLocal(Instant instant) const;

    // The instant at which local wall time `timeOfDay` on `date` occurs. In a
    // gap (clocks forward) the time is read with the offset before the gap;
    // in an overlap (clocks back) the earlier instant is returned.
    Instant toInstant(Date date, Minutes timeOfDay) const;

    // RFC 3339 text of `instant` in this zone with its offset, e.g.
    // "2027-01-05T17:00:00+00:00".
    std::string formatRfc3339(Instant instant) const;

    // The zone shared by everything that uses Europe/London.
    static const ZoneRules& london();

private:
    struct Transition {
        Instant at;        // first instant with the new offset
        int offsetSeconds; // offset from `at` on
    };
    std::string _id;
    int _initialOffset = 0;
    std::vector<Transition> _transitions;
};

// Parses an RFC 3339 date-time with a "Z" or "±HH:MM" offset
// ("2026-12-24T16:50:00Z"); fractional seconds are accepted and dropped.
// Throws InputError naming `what`, the text and the expected form.
Instant parseRfc3339(std::string_view text, std::string_view what = "time");

// RFC 3339 text of `instant` in UTC: "2026-12-24T16:50:00Z".
std::string formatRfc3339Utc(Instant instant);

}  // namespace duly::engine
