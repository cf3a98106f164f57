// duly retention run: carries out the charters' retention schedules
// (Retention.h) — anonymises each closed case past its period and removes
// audit log lines older than [web] audit_log_days — and says what it did.
// `duly serve` runs the same once a day.
#include "Audit.h"
#include "Command.h"
#include "Config.h"
#include "Retention.h"
#include "Wiring.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/InputError.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/AuditLog.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly retention run [--dry-run] [--config FILE] [--now TIME] [--as ID]

Anonymises every closed case whose retention period has passed: the [retention] table of its
charter gives the years each kind is kept after its case closes (by default complaints 6 years,
everything else 2), and a complaint is kept at least 12 months after its answer (the time the
customer has to go to the Housing Ombudsman). The case stays for the charter reports; its
customer, their words, files, letters and emails go. Then audit log lines older than
[web] audit_log_days (default 730) are removed. Prints one line per case.

  --dry-run      only list what would be anonymised; change nothing
  --config FILE  the config file (default HOME/config/duly.toml)
  --now TIME     the current time (default: $DULY_NOW or the clock), RFC 3339
  --as ID        who is acting, for the case history and the audit log (default "duly")
)";

int runRetentionCommand(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const std::string action = a.positional(0, "an action (run)");
    if (action != "run") throw InputError("unknown action \"" + action + "\" (accepted: run)");
    const bool dryRun = a.flag("dry-run");
    const auto configFile = a.option("config");
    const Instant nowAt = duly::app::now(a);
    const std::string actor = a.option("as").value_or("duly");
    a.finish();
    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
    duly::store::SqliteCaseStore store(ctx.db);
    CharterBook charters(ctx.home);
    auto audit = duly::app::openAuditLog(store, config.web.auditLog, nowAt, ctx.err);
    const auto report = duly::app::runRetention(store, charters, audit.get(), config.web.auditLogDays, nowAt, dryRun, actor);
    for (const auto& line : report.lines) ctx.out << line << "\n";
    if (dryRun)
        ctx.out << "retention (dry run): " << report.anonymised << " cases would be anonymised\n";
    else
        ctx.out << "retention: " << report.anonymised << " cases anonymised, " << report.auditLinesRemoved
                << " audit log lines older than " << config.web.auditLogDays << " days removed\n";
    if (!report.journalEmptied)
        ctx.err << "duly: warning: another process is reading the store, so older copies stay in " << ctx.db.string()
                << "-wal until SQLite checkpoints it\n";
    return 0;
}

duly::app::CommandRegistration reg{"retention", "anonymise cases past their charter's retention period", kUsage,
                                   runRetentionCommand};

}  // namespace
