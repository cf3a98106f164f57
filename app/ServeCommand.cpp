// duly serve: the main job. Opens the store (loading the sample data into an
// empty one), prints each officer's due list, and keeps running until
// SIGINT or SIGTERM, printing the lists again every --interval minutes.
#include "Command.h"
#include "SampleData.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"

#include <csignal>
#include <ctime>
#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly serve [--interval MINUTES] [--no-sample] [--once]

Runs Duly: opens the store (HOME/var/duly.db by default; created on first start), loads the
sample officers, customers and cases from HOME/config/sample/ into an empty store, prints
each officer's due list, and keeps running until interrupted (Ctrl-C), printing the lists
again every --interval minutes (default 60).

  --no-sample   do not load the sample data into an empty store
  --once        print the due lists and exit
)";

int runServe(duly::app::Context& ctx) {
    auto& a = ctx.args;
    int interval = 60;
    if (auto i = a.option("interval")) interval = duly::app::wholeNumber(*i, "--interval");
    if (interval < 1) throw InputError("--interval: expected at least 1 minute");
    const bool noSample = a.flag("no-sample");
    const bool once = a.flag("once");
    Instant nowAt = duly::app::now(a);
    const bool fixedClock = a.flag("fixed-clock");  // tests: keep --now for every print
    a.finish();

    // Block the stop signals so that they are taken by sigtimedwait below.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    auto store = duly::app::openStore(ctx);
    CharterBook charters(ctx.home);
    ctx.out << "duly: store " << ctx.db.string() << "\n";
    if (!noSample && store->officers().empty() && store->customerCount() == 0 && store->caseCount() == 0) {
        auto r = duly::app::loadSampleData(ctx.home, *store, charters, nowAt);
        ctx.out << "duly: loaded sample data: " << r.officers << " officers, " << r.customers << " customers, "
                << r.cases << " cases\n";
    }

    for (;;) {
        ctx.out << "\n== Due lists at " << duly::app::shortWhen(nowAt) << " ==\n";
        auto actions = store->dueActions(std::nullopt, std::nullopt, 0);
        duly::app::printDueList(ctx.out, *store, actions, nowAt, false);
        ctx.out.flush();
        if (once) return 0;
        ctx.out << "\nduly is running; press Ctrl-C to stop.\n";
        ctx.out.flush();
        timespec wait{static_cast<time_t>(interval) * 60, 0};
        siginfo_t info;
        int sig = sigtimedwait(&stopSignals, &info, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
            ctx.out << "duly: stopping (" << (sig == SIGINT ? "interrupted" : "terminated") << ")\n";
            return 0;
        }
        if (!fixedClock) nowAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }
}

duly::app::CommandRegistration reg{"serve", "run Duly: the store, due lists (and later mail and the dashboard)",
                                   kUsage, runServe};

}  // namespace
