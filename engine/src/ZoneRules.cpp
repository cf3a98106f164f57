// ZoneRules: reads a zone's offset transitions from ICU once and answers
// conversions from the table. ICU is asked through BasicTimeZone's
// transition API; a zone without transitions (UTC) has an empty table.
#include "duly/engine/ZoneRules.h"

#include "duly/engine/InputError.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace duly::engine {
namespace {

constexpr double kMillis = 1000.0;

int totalOffsetSeconds(const icu::TimeZoneRule* rule) {
    return (rule->getRawOffset() + rule->getDSTSavings()) / 1000;
}

}  // namespace

ZoneRules::ZoneRules(const std::string& zoneId) : _id(zoneId) {
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zoneId)));
    icu::UnicodeString canonical;
    zone->getID(canonical);
    if (canonical == icu::UnicodeString("Etc/Unknown"))
        throw InputError("unknown time zone \"" + zoneId + "\" (expected an IANA zone such as Europe/London)");

    auto* basic = dynamic_cast<icu::BasicTimeZone*>(zone.get());
    // Offset at the start of the table (1970-01-01).
    const double start = 0.0;
    const double end = 7258118400.0 * kMillis;  // 2200-01-01
    int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    zone->getOffset(start, false, raw, dst, status);
    if (U_FAILURE(status)) throw InputError("time zone \"" + zoneId + "\" cannot be read from ICU's data");
    _initialOffset = (raw + dst) / 1000;
    if (!basic) return;

    icu::TimeZoneTransition transition;
    double at = start;
    while (basic->getNextTransition(at, false, transition)) {
        at = transition.getTime();
        if (at >= end) break;
        _transitions.push_back(
            {Instant{std::chrono::seconds{static_cast<long long>(at / kMillis)}}, totalOffsetSeconds(transition.getTo())});
    }
}

const ZoneRules& ZoneRules::london() {
    static const ZoneRules zone("Europe/London");
    return zone;
}

int ZoneRules::offsetAt(Instant instant) const {
    auto it = std::upper_bound(_transitions.begin(), _transitions.end(), instant,
                               [](Instant value, const Transition& t) { return value < t.at; });
    if (it == _transitions.begin()) return _initialOffset;
    return std::prev(it)->offsetSeconds;
}

LocalDateTime ZoneRules::toLocal(Instant instant) const {
    int offset = offsetAt(instant);
    auto local = instant + std::chrono::seconds{offset};
    auto day = std::chrono::floor<std::chrono::days>(local);
    auto minutes = std::chrono::floor<Minutes>(local - day);
    return {Date{day}, minutes, offset};
}

Instant ZoneRules::toInstant(Date date, Minutes timeOfDay) const {
    // Read the wall time as if it were UTC, then correct it by the offset in
    // force a day before and a day after: one of the two maps back to the
    // same wall time unless the time falls in a gap.
    const auto wall = Instant{std::chrono::duration_cast<std::chrono::seconds>(date.time_since_epoch() + timeOfDay)};
    const auto before = wall - std::chrono::seconds{offsetAt(wall - std::chrono::hours{24})};
    const auto after = wall - std::chrono::seconds{offsetAt(wall + std::chrono::hours{24})};
    for (auto candidate : {std::min(before, after), std::max(before, after)}) {
        if (candidate + std::chrono::seconds{offsetAt(candidate)} == wall) return candidate;
    }
    return before;
}

std::string ZoneRules::formatRfc3339(Instant instant) const {
    const auto local = toLocal(instant);
    const auto ymd = civil(local.date);
    const auto seconds = (instant - std::chrono::floor<Minutes>(instant)).count();
    const int offset = local.offsetSeconds < 0 ? -local.offsetSeconds : local.offsetSeconds;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld%c%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(local.timeOfDay.count() / 60), static_cast<int>(local.timeOfDay.count() % 60),
                  static_cast<long long>(seconds), local.offsetSeconds < 0 ? '-' : '+', offset / 3600,
                  (offset % 3600) / 60);
    return buf;
}

std::string formatRfc3339Utc(Instant instant) {
    auto day = std::chrono::floor<std::chrono::days>(instant);
    auto ymd = std::chrono::year_month_day{day};
    auto secs = (instant - day).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long long>(secs / 3600), static_cast<long long>((secs % 3600) / 60),
                  static_cast<long long>(secs % 60));
    return buf;
}

Instant parseRfc3339(std::string_view text, std::string_view what) {
    auto fail = [&]() -> InputError {
        return InputError(std::string(what) + ": expected an RFC 3339 time such as 2026-12-24T16:50:00Z or "
                          "2026-12-24T16:50:00+00:00, found \"" + std::string(text) + "\"");
    };
    if (text.size() < 20) throw fail();
    auto num = [&](std::size_t from, std::size_t count) {
        int v = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9') throw fail();
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
        text[13] != ':' || text[16] != ':')
        throw fail();
    int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::size_t digitsStart = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == digitsStart) throw fail();
    }
    if (pos >= text.size()) throw fail();
    int offset = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        if (pos + 6 != text.size() || text[pos + 3] != ':') throw fail();
        int oh = num(pos + 1, 2), om = num(pos + 4, 2);
        if (oh > 23 || om > 59) throw fail();
        offset = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        throw fail();
    }
    if (pos != text.size()) throw fail();
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60) throw fail();
    if (s == 60) s = 59;  // a leap second is read as the second before it
    auto local = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
    return Instant{local - std::chrono::seconds{offset}};
}

}  // namespace duly::engine
