// duly store: moving a store to another database and checking one.
// `copy` moves every table of one store into a new, empty one (SQLite →
// PostgreSQL and back, or SQLite → SQLite) in one transaction on the
// target; `check` prints a store's schema version and rows per table, checks
// that every reference resolves and, with --against, that another store holds
// the same rows. Exit 0 when good, 1 when check finds a problem (one line per
// problem on stderr, naming the table), 2 for bad input (a non-empty target,
// a missing file, a bad URL), 3 when a database fails.
#include "Command.h"

#include "duly/engine/InputError.h"
#include "duly/store/StoreCopy.h"
#include "duly/store/StoreError.h"

#include <iomanip>
#include <ostream>

using duly::engine::InputError;
using duly::store::StoreUrl;

namespace {

const char* kUsage = R"(Usage: duly store copy --from STORE --to STORE
       duly store check [--db STORE] [--against STORE]

STORE is a SQLite file or postgresql://USER@HOST:PORT/DB?sslmode=... (as for --db).

  copy       copies every table of --from into --to, keeping ids, bytes, NULLs and text:
             SQLite to PostgreSQL and back, or SQLite to SQLite. Both are brought to this
             duly's schema first (as any command does); --to must hold no rows (a new
             file, or a new database made with createdb). One transaction on --to: a
             failure leaves it empty. Stop duly serve and the timers first. Rows copied
             are shown per table on stderr as it goes, and per table at the end.
  check      prints the schema version and the rows in each table, and checks that
             every reference resolves; exit 1, naming the table, when one does not.
  --db STORE       the store to check (default: the global --db, $DULY_DB, [store] url)
  --against STORE  also compare each table's rows and checksum with STORE (after a copy)
)";

StoreUrl location(const std::string& text, const std::string& where) { return StoreUrl::parse(text, where); }

int copy(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const auto from = location(a.required("from"), "--from");
    const auto to = location(a.required("to"), "--to");
    a.finish();
    auto progress = [&](const std::string& table, std::int64_t copied, std::int64_t total) {
        if (total >= 5000) ctx.err << "copying " << table << ": " << copied << " of " << total << " rows\n" << std::flush;
    };
    try {
        const auto result = duly::store::copyStore(from, to, progress);
        std::int64_t all = 0;
        for (const auto& [_, n] : result.rows) all += n;
        ctx.out << "copied " << from.shown() << " to " << to.shown() << " (schema version " << result.schemaVersion
                << "): " << all << " rows in " << result.rows.size() << " tables\n";
        for (const auto& [table, n] : result.rows)
            ctx.out << "  " << std::left << std::setw(22) << table << std::right << std::setw(10) << n << "\n";
        return 0;
    } catch (const duly::store::StoreError& e) {
        ctx.err << "duly: store copy: " << e.what() << "; " << to.shown() << " is left as it was\n";
        return 3;
    }
}

int check(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const auto given = a.option("db");
    const auto at = given ? location(*given, "--db") : location(ctx.db.string(), "--db");
    const auto against = a.option("against");
    const auto other = against ? std::optional<StoreUrl>(location(*against, "--against")) : std::nullopt;
    a.finish();
    const auto here = duly::store::checkStore(at);
    ctx.out << "store: " << at.shown() << "\nschema version: " << here.schemaVersion << "\n";
    for (const auto& t : here.tables)
        ctx.out << "  " << std::left << std::setw(22) << t.table << std::right << std::setw(10) << t.rows << "\n";
    auto problems = here.problems;
    if (problems.empty()) ctx.out << "references: every one resolves\n";
    if (other) {
        const auto there = duly::store::checkStore(*other);
        for (const auto& p : there.problems) problems.push_back(other->shown() + ": " + p);
        const auto differences = duly::store::compareChecks(here, at.shown(), there, other->shown());
        if (differences.empty())
            ctx.out << "against " << other->shown() << ": every table holds the same rows\n";
        problems.insert(problems.end(), differences.begin(), differences.end());
    }
    for (const auto& p : problems) ctx.err << "duly: store check: " << p << "\n";
    return problems.empty() ? 0 : 1;
}

int runStore(duly::app::Context& ctx) {
    const std::string action = ctx.args.positional(0, "an action (copy, check)");
    if (action == "copy") return copy(ctx);
    if (action == "check") {
        try {
            return check(ctx);
        } catch (const duly::store::StoreError& e) {
            ctx.err << "duly: store check: " << e.what() << "\n";
            return 3;
        }
    }
    throw InputError("duly store: expected copy or check, found \"" + action + "\"");
}

duly::app::CommandRegistration reg{"store", "copy a store to another database, or check one", kUsage, runStore};

}  // namespace
