// duly tick: the scheduler once (for cron and for tests): acknowledgements
// not yet sent, holding replies on their working day, extension notices,
// warnings before a deadline, escalations after one and the morning
// digests; then delivers what is due in the outbox. `duly serve` runs the
// same every minute.
#include "Command.h"
#include "Config.h"
#include "MailService.h"
#include "Wiring.h"

#include "duly/flow/MailSettings.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/Tick.h"
#include "duly/store/SqliteCaseStore.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly tick [--config FILE] [--now TIME] [--dry-run]

Sends what the charters and the scheduler settings (config/duly.toml [scheduler]) say is due
now and has not been sent: acknowledgements, holding replies (with the officer's reason and
new date, or the charter's default date), complaint extension notices, warnings to officers
before a deadline, escalations to their managers after one, and each officer's morning
digest on working days. Each is sent once however often duly tick runs. Then delivers the
outbox (SMTP or the outbox folder).

  --config FILE  the config file (default HOME/config/duly.toml)
  --now TIME     the current time (default: $DULY_NOW or the clock), RFC 3339
  --dry-run      list what would be sent, send nothing
)";

int runTick(duly::app::Context& ctx) {
    auto& a = ctx.args;
    auto configFile = a.option("config");
    const bool dryRun = a.flag("dry-run");
    const Instant nowAt = duly::app::now(a);
    a.finish();

    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
    duly::store::SqliteCaseStore store(ctx.db);
    CharterBook charters(ctx.home);
    Renderer renderer(ctx.home);
    duly::app::requireCompleteCharters(charters, renderer);
    duly::flow::Tick scheduler(store, store, charters, renderer, duly::flow::senderIdentity(config.mail),
                               config.scheduler);
    if (dryRun) {
        const auto tasks = scheduler.scheduler().plan(nowAt);
        for (const auto& t : tasks)
            ctx.out << (t.caseReference.empty() ? t.officerId : t.caseReference) << "\t" << scheduledTaskName(t.what)
                    << "\t" << t.documentKey << "\n";
        ctx.out << tasks.size() << " to send\n";
        return 0;
    }
    const auto ticked = scheduler.run(nowAt, ctx.err);
    duly::app::MailService mail(config, store, charters, renderer);
    const auto delivered = mail.deliverDue(nowAt, ctx.err);
    ctx.out << "queued " << ticked.queued;
    if (ticked.refused) ctx.out << ", " << ticked.refused << " could not be sent (see the cases)";
    ctx.out << "; delivered " << delivered.delivered;
    if (delivered.retrying) ctx.out << ", " << delivered.retrying << " to retry";
    if (delivered.failed) ctx.out << ", " << delivered.failed << " failed";
    ctx.out << "\n";
    return 0;
}

duly::app::CommandRegistration reg{"tick", "send what is due now: holding replies, warnings, escalations, digests", kUsage,
                                   runTick};

}  // namespace
