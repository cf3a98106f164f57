// Html: escaping and plain-words times; see Html.h.
#include "duly/web/Html.h"

#include "duly/engine/ZoneRules.h"

#include <array>

namespace duly::web {

using namespace duly::engine;

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        // Bidirectional embeddings, overrides and isolates (U+202A–202E,
        // U+2066–2069: E2 80 AA–AE, E2 81 A6–A9 in UTF-8) are dropped, as
        // the outgoing documents drop them: a customer's subject must not
        // reverse the text around it on an officer's page.
        if (c == '\xE2' && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
                i += 2;
                continue;
            }
        }
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 12> kShortMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string clock12(Minutes m) {
    int h = static_cast<int>(m.count() / 60), min = static_cast<int>(m.count() % 60);
    if (h == 12 && min == 0) return "noon";
    std::string s = std::to_string(h % 12 == 0 ? 12 : h % 12);
    if (min) s += (min < 10 ? ":0" : ":") + std::to_string(min);
    return s + (h < 12 ? "am" : "pm");
}

std::string dayMonth(Date date, bool withYear) {
    auto ymd = civil(date);
    std::string s = std::string(kWeekdays[isoWeekday(date) - 1]) + " " + std::to_string(unsigned(ymd.day())) + " " +
                    kMonths[unsigned(ymd.month()) - 1];
    if (withYear) s += " " + std::to_string(int(ymd.year()));
    return s;
}

}  // namespace

std::string plainDate(Date date) { return dayMonth(date, true); }

std::string plainWhen(Instant at, Instant now) {
    const auto& zone = ZoneRules::london();
    auto local = zone.toLocal(at);
    bool sameYear = civil(local.date).year() == civil(zone.toLocal(now).date).year();
    return dayMonth(local.date, !sameYear) + ", " + clock12(local.timeOfDay);
}

std::string shortWhen(Instant at) {
    auto local = ZoneRules::london().toLocal(at);
    auto ymd = civil(local.date);
    return std::to_string(unsigned(ymd.day())) + " " + kShortMonths[unsigned(ymd.month()) - 1] + " " +
           std::to_string(int(ymd.year())) + " " + formatClockTime(local.timeOfDay);
}

std::string relativeWhen(Instant due, Instant now) {
    auto late = due < now;
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(late ? now - due : due - now).count();
    std::string amount;
    if (minutes < 60) amount = std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
    else if (minutes < 48 * 60) amount = std::to_string(minutes / 60) + (minutes / 60 == 1 ? " hour" : " hours");
    else amount = std::to_string(minutes / (24 * 60)) + " days";
    return late ? amount + " overdue" : "in " + amount;
}

}  // namespace duly::web
