// duly audit show: reads the audit log kept in the store — who viewed or
// changed what, from the dashboard and the command line, on every instance
// — with filters by time, actor and customer. Opening it imports the file
// an earlier version wrote ([web] audit_log) first, as serve does. Bad
// options are InputErrors (exit 2) naming the option and what was expected.
#include "Audit.h"
#include "Command.h"
#include "Config.h"
#include "Json.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly audit show [--since DATE] [--actor NAME] [--customer REF] [--json]

Prints the audit log: one line per view of a case, change, sign-in, refusal, subject
access export, correction and erasure, from the dashboard of every instance of duly serve
and from the command line, oldest first:
  TIME <TAB> ACTOR <TAB> ACTION <TAB> SUBJECT <TAB> DETAIL
with TIME in UTC (RFC 3339). The log is kept in the store; the first time it is opened,
the file an earlier version wrote ([web] audit_log, HOME/var/audit.log) is imported into
it and kept renamed beside it.

  --since DATE     entries from DATE on: 2026-11-24 (from midnight, UK time) or an RFC 3339
                   time such as 2026-11-24T09:30:00Z
  --actor NAME     entries by this officer id (or "cli", "duly", an address refused at sign-in)
  --customer REF   entries about the customer: their record and each of their cases
  --json           one JSON array of {at, actor, action, subject, detail}
  --config FILE    the config file whose [web] audit_log is imported (default HOME/config/duly.toml)
Exit status: 0 (also when nothing matches), 2 bad options.
)";

Instant sinceOption(const std::string& text) {
    if (text.size() == 10) {
        const Date day = parseDate(text, "--since");
        return ZoneRules::london().toInstant(day, Minutes{0});
    }
    try {
        return parseRfc3339(text, "--since");
    } catch (const InputError&) {
        throw InputError("--since: expected a date such as 2026-11-24 or a time such as 2026-11-24T09:30:00Z, found \"" +
                         text + "\"");
    }
}

int runAudit(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const auto since = a.option("since");
    const auto actor = a.option("actor");
    const auto customer = a.option("customer");
    const bool json = a.flag("json");
    const auto configFile = a.option("config");
    const Instant nowAt = duly::app::now(a);
    a.finish();
    const std::string action = a.positional(0, "an action (show)");
    if (action != "show") throw InputError("unknown action \"" + action + "\" (accepted: show)");
    if (a.positionals().size() > 1) throw InputError("unexpected argument \"" + a.positionals()[1] + "\"");
    AuditQuery query;
    if (since) query.since = sinceOption(*since);
    if (actor) {
        if (actor->empty()) throw InputError("--actor: expected an officer id such as jwong");
        query.actor = *actor;
    }
    if (customer && customer->empty()) throw InputError("--customer: expected a customer reference such as C10001");

    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile)
                                                                    : std::nullopt);
    duly::store::SqliteCaseStore store(ctx.db);
    auto audit = duly::app::openAuditLog(store, config.web.auditLog, nowAt, ctx.err);
    if (customer) {
        // The customer's record and cases: the subjects a subject access
        // export reads. An erased customer's record is gone; what names the
        // reference itself is still shown.
        query.subjects = {*customer, "/customers/" + *customer};
        if (store.customer(*customer))
            for (const auto& ref : store.casesOfCustomer(*customer)) query.subjects.insert(ref);
        else
            ctx.err << "duly: no customer " << *customer << " in the store (erased, or a mistyped reference); "
                    << "showing the entries that name it only\n";
    }
    const auto entries = audit->entries(query);
    if (json) {
        std::string out = "[";
        for (const auto& e : entries) {
            duly::app::JsonObject o;
            o.add("at", duly::app::jsonString(e.at))
                .add("actor", duly::app::jsonString(e.actor))
                .add("action", duly::app::jsonString(e.action))
                .add("subject", duly::app::jsonString(e.subject))
                .add("detail", duly::app::jsonString(e.detail));
            out += (out.size() > 1 ? "," : "") + o.str();
        }
        ctx.out << out << "]\n";
        return 0;
    }
    for (const auto& e : entries)
        ctx.out << e.at << '\t' << e.actor << '\t' << e.action << '\t' << e.subject << '\t' << e.detail << '\n';
    return 0;
}

duly::app::CommandRegistration reg{"audit", "show the audit log: who viewed or changed what", kUsage, runAudit};

}  // namespace
