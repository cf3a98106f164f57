// Html: escaping and the plain words the pages use for times. Every piece of
// text that reaches a page goes through escape(); nothing here throws.
#pragma once

#include "duly/engine/Time.h"

#include <string>
#include <string_view>

namespace duly::web {

// Escapes & < > " ' for use in element content and quoted attributes, and
// drops the bidirectional override characters U+202A–202E and U+2066–2069.
std::string escape(std::string_view text);

// A time in Europe/London in plain words: "Tuesday 24 November, 5pm",
// "Monday 4 January 2027, 9:40am" (the year only when it differs from the
// year of `now`).
std::string plainWhen(engine::Instant at, engine::Instant now);

// "Tuesday 24 November 2026".
std::string plainDate(engine::Date date);

// "24 Nov 2026 14:05" in Europe/London: compact, for timelines.
std::string shortWhen(engine::Instant at);

// How far `due` is from `now` in words: "3 hours overdue", "2 days overdue",
// "in 40 minutes", "in 5 days".
std::string relativeWhen(engine::Instant due, engine::Instant now);

}  // namespace duly::web
