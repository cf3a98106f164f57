// Wiring: what several commands share — opening the store, the clock, who is
// acting, and printing cases and due lists.
#pragma once

#include "Command.h"

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/Time.h"
#include "duly/engine/ZoneRules.h"

#include <iosfwd>
#include <memory>
#include <vector>
#include <string>

namespace duly::app {

// Before `serve`, `watch` or `tick` send anything: every charter in
// HOME/config/charters renders its letters with no empty field
// (engine::checkCharterLetters, en-GB standard print). Throws InputError
// listing each charter file and key to fill in.
void requireCompleteCharters(engine::CharterBook& charters, const engine::Renderer& renderer);

// Opens (creating and migrating if needed) the store at ctx.db: a SQLite
// file or a PostgreSQL database by URL.
std::unique_ptr<engine::CaseStore> openStore(const Context& ctx);

// The current time: --now TIME, else $DULY_NOW, else the system clock. Tests
// and demonstrations fix the clock this way.
engine::Instant now(Args& args);

// Who is acting: --as ID, else $DULY_ACTOR, else "cli".
std::string actor(Args& args);

// Reads an optional --at TIME (defaulting to `fallback`).
engine::Instant atOption(Args& args, engine::Instant fallback);

// "Mon 23 Nov 17:00" in Europe/London.
std::string shortWhen(engine::Instant t);

// A due action's urgency relative to `now`: "OVERDUE", "due today",
// "due next working day" or "due later".
std::string urgency(engine::Instant due, engine::Instant now);

// Parses a non-negative whole number option value, naming the option on error.
int wholeNumber(const std::string& text, const std::string& option);

// Prints `actions` grouped by officer (most urgent first within each) with
// each action's urgency relative to `nowAt`.
void printDueList(std::ostream& out, const engine::CaseStore& store, const std::vector<engine::DueAction>& actions,
                  engine::Instant nowAt, bool overdue);

}  // namespace duly::app
