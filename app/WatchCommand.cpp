// duly watch --once: takes in everything waiting in every mailbox, sends what
// is due, and exits (for cron and for tests).
#include "Command.h"
#include "Config.h"
#include "MailService.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"
#include "duly/engine/Renderer.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly watch --once [--config FILE] [--now TIME]

Takes in every message waiting in the configured mailboxes (config/duly.toml): each opens a
case (or joins the case it replies to), is acknowledged in the customer's language when a
person wrote it, and is marked processed in its mailbox. Then delivers what is due in the
outbox (by SMTP, or as .eml files in the outbox folder), and exits.

  --once         required: watch once and exit (`duly serve` keeps watching)
  --config FILE  the config file (default HOME/config/duly.toml)
  --now TIME     the current time (default: $DULY_NOW or the clock), RFC 3339
)";

int runWatch(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const bool once = a.flag("once");
    auto configFile = a.option("config");
    const Instant nowAt = duly::app::now(a);
    a.finish();
    if (!once) throw InputError("duly watch needs --once (duly serve keeps watching)");

    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
    duly::store::SqliteCaseStore store(ctx.db);
    CharterBook charters(ctx.home);
    Renderer renderer(ctx.home);
    duly::app::requireCompleteCharters(charters, renderer);
    duly::app::MailService mail(config, store, charters, renderer);
    auto [watched, delivered] = mail.watchAndDeliver(nowAt, ctx.err);
    ctx.out << "took in " << watched.taken << " message" << (watched.taken == 1 ? "" : "s");
    if (watched.duplicates) ctx.out << ", " << watched.duplicates << " already taken in";
    if (watched.quarantined) ctx.out << ", " << watched.quarantined << " quarantined";
    if (watched.failed) ctx.out << ", " << watched.failed << " left for the next run";
    ctx.out << "; delivered " << delivered.delivered;
    if (delivered.retrying) ctx.out << ", " << delivered.retrying << " to retry";
    if (delivered.failed) ctx.out << ", " << delivered.failed << " failed";
    ctx.out << "\n";
    return watched.failed ? 1 : 0;
}

duly::app::CommandRegistration reg{"watch", "take in waiting mail once, acknowledge and deliver", kUsage, runWatch};

}  // namespace
