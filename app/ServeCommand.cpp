// duly serve: the main job. Opens the store (loading the sample data into an
// empty one), prints each officer's due list, and keeps running until
// SIGINT or SIGTERM: every few seconds it takes in the mail waiting in the
// configured mailboxes and delivers the outbox; every --interval minutes it
// prints the due lists again. Several may share one PostgreSQL store
// (--instance names each): each mailbox is read, and the scheduler's tick
// and the retention run carried out, by the instance holding its work lock
// (ServeInstance); the others stand by and try again at every poll.
#include "Audit.h"
#include "Command.h"
#include "Config.h"
#include "ImapPush.h"
#include "MailService.h"
#include "SampleData.h"
#include "Retention.h"
#include "ServeInstance.h"
#include "WebService.h"
#include "Wiring.h"

#include "duly/flow/MailSettings.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/Tick.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/store/StoreLocks.h"

#include "duly/engine/InputError.h"

#include <csignal>
#include <ctime>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly serve [--config FILE] [--interval MINUTES] [--poll SECONDS] [--no-sample] [--once]
                  [--port PORT] [--no-web] [--instance NAME]

Runs Duly: opens the store (HOME/var/duly.db by default; created on first start), loads the
sample officers, customers and cases from HOME/config/sample/ into an empty store, prints
each officer's due list, and keeps running until interrupted (Ctrl-C):
  - every --poll seconds (default 5) it takes in the mail waiting in the mailboxes of the
    config file (HOME/config/duly.toml: by default the Maildir HOME/var/mail/inbox), opens
    cases, acknowledges them and delivers the outbox (by default .eml files in HOME/var/outbox);
    IMAP mailboxes are watched with IDLE and read as soon as mail arrives (where a server
    lacks IDLE, every poll_seconds), and at least once a minute;
  - every minute it sends what the scheduler says is due: acknowledgements not yet sent,
    holding replies, extension notices, warnings and escalations to officers and managers,
    and on working days each officer's morning digest (see duly tick --help);
  - every --interval minutes (default 60) it prints the due lists again.

  --config FILE  the config file (default HOME/config/duly.toml)
  --no-sample    do not load the sample data into an empty store
  --once         print the due lists and exit
  --port PORT    the dashboard's port (default: [web] port in the config file, else 8080)
  --no-web       do not start the dashboard
  --instance NAME  this instance's name in the log and on the dashboard's status page
                 (default: the host name and the process id, HOST-PID)

Several instances may share one PostgreSQL store: each mailbox is read, and the scheduler's
tick and the daily retention run carried out, by one instance at a time (the one holding its
lock); the others stand by and take over at their next poll when it stops.

The dashboard (docs/officers.md) listens on [web] bind and port (default 127.0.0.1:8080).
)";

int runServe(duly::app::Context& ctx) {
    auto& a = ctx.args;
    int interval = 60;
    if (auto i = a.option("interval")) interval = duly::app::wholeNumber(*i, "--interval");
    if (interval < 1) throw InputError("--interval: expected at least 1 minute");
    int poll = 5;
    if (auto p = a.option("poll")) poll = duly::app::wholeNumber(*p, "--poll");
    if (poll < 1) throw InputError("--poll: expected at least 1 second");
    auto configFile = a.option("config");
    const bool noSample = a.flag("no-sample");
    const bool once = a.flag("once");
    Instant nowAt = duly::app::now(a);
    const bool fixedClock = a.flag("fixed-clock");  // tests: keep --now for every print
    auto portOption = a.option("port");
    const bool noWeb = a.flag("no-web");
    auto instanceOption = a.option("instance");
    a.finish();
    const std::string instanceName =
        instanceOption ? duly::app::checkedInstanceName(*instanceOption) : duly::app::defaultInstanceName();
    // Every line this instance writes says which instance wrote it.
    duly::app::PrefixedLines outLines(ctx.out.rdbuf(), "[" + instanceName + "] ");
    duly::app::PrefixedLines errLines(ctx.err.rdbuf(), "[" + instanceName + "] ");
    struct Restore {
        std::ostream& stream;
        std::streambuf* buffer;
        ~Restore() {
            stream.flush();
            stream.rdbuf(buffer);
        }
    } restoreOut{ctx.out, ctx.out.rdbuf(&outLines)}, restoreErr{ctx.err, ctx.err.rdbuf(&errLines)};

    // Block the stop signals so that they are taken by sigtimedwait below.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGUSR1);  // ImapPush: mail may have arrived in an IMAP mailbox
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
    auto sqlite = std::make_unique<duly::store::SqliteCaseStore>(ctx.db);
    CaseStore* store = sqlite.get();
    CharterBook charters(ctx.home);
    const auto location = duly::store::StoreUrl::parse(ctx.db.string());
    duly::app::ServeInstance instance(instanceName, duly::store::openWorkLocks(location), *sqlite,
                                      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    ctx.out << "duly: store " << location.shown() << "\n";
    ctx.out << "duly: instance " << instanceName << "\n";
    if (!noSample) {
        // Two instances starting at once on an empty store load the sample
        // once: the second waits for the first's lock, then finds it loaded.
        while (!instance.locks().tryHold("setup")) {
            if (!instance.locks().lastProblem().empty())
                throw InputError("cannot take the setup lock: " + instance.locks().lastProblem());
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        if (store->officers().empty() && store->customerCount() == 0 && store->caseCount() == 0) {
            auto r = duly::app::loadSampleData(ctx.home, *store, charters, nowAt);
            ctx.out << "duly: loaded sample data: " << r.officers << " officers, " << r.customers << " customers, "
                    << r.cases << " cases\n";
        }
        instance.locks().release("setup");
    }

    auto printDue = [&] {
        ctx.out << "\n== Due lists at " << duly::app::shortWhen(nowAt) << " ==\n";
        auto actions = store->dueActions(std::nullopt, std::nullopt, 0);
        duly::app::printDueList(ctx.out, *store, actions, nowAt, false);
        ctx.out.flush();
    };
    printDue();
    if (once) return 0;

    Renderer renderer(ctx.home);
    duly::app::requireCompleteCharters(charters, renderer);
    duly::app::MailService mail(config, *sqlite, charters, renderer);
    mail.holdMailboxesWith(&instance);
    // On PostgreSQL (where several instances may run) each accepted message
    // is recorded at once, so a kill -9 can resend only those in flight.
    mail.deliveryClaims(std::chrono::seconds{config.smtp ? config.smtp->claimSeconds : 600u},
                        location.kind == duly::store::StoreUrl::Kind::PostgreSql ? 1 : 8);
    duly::flow::Tick scheduler(*sqlite, *sqlite, charters, renderer, duly::flow::senderIdentity(config.mail),
                               config.scheduler);
    for (const auto& m : config.mailboxes)
        ctx.out << "duly: watching mailbox " << m.name << " (" << m.url << ")\n";
    ctx.out << "duly: outgoing mail goes to "
            << (config.smtp ? "SMTP server " + config.smtp->host : config.outboxFolder.string()) << "\n";
    std::unique_ptr<duly::app::WebService> web;
    if (config.web.enabled && !noWeb) {
        if (portOption) {
            config.web.port = static_cast<unsigned>(duly::app::wholeNumber(*portOption, "--port"));
            if (config.web.port < 1 || config.web.port > 65535) throw InputError("--port: expected 1 to 65535");
        }
        web = std::make_unique<duly::app::WebService>(ctx.home, config.web, *store, sqlite.get(), ctx.out, ctx.err,
                                                          config.mail);
        ctx.out << "duly: dashboard at " << web->url() << "\n";
    }
    ctx.out << "\nduly is running; press Ctrl-C to stop.\n";
    ctx.out.flush();
    // IMAP mailboxes are read when IDLE says mail came (SIGUSR1 from
    // ImapPush), at start, and once a minute in case a push was missed.
    duly::app::ImapPush push(config.mailboxes);
    bool imapDue = true;
    auto lastImap = std::chrono::steady_clock::now();
    auto lastPrint = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> lastTick;
    std::optional<std::chrono::steady_clock::time_point> lastRetention;
    // A store that stops answering (PostgreSQL restarted, the network cut)
    // is said once; no work is started until it answers again, and it
    // reconnects itself here, at each poll. A write cut off half-way was
    // one transaction, which the server rolled back.
    bool storeDown = false;
    auto storeAnswers = [&] {
        std::string problem;
        if (!sqlite->reachable(problem)) {
            if (!storeDown)
                ctx.err << "duly: the store at " << ctx.db.string() << " is unreachable: " << problem
                        << "; trying again every " << poll << " s\n";
            storeDown = true;
        } else if (storeDown) {
            storeDown = false;
            ctx.err << "duly: the store at " << ctx.db.string() << " answers again; carrying on\n";
        }
        ctx.err.flush();
        return !storeDown;
    };
    for (;;) {
        const bool storeUp = storeAnswers();
        // The scheduler and the retention run belong to the instance that
        // holds "tick"; one that has just taken it over runs both at once.
        // While the store is down no work starts.
        const bool holdsTick = storeUp && instance.hold("tick", ctx.err);
        if (!holdsTick) lastTick.reset();
        // The scheduler (holding replies, warnings, escalations, digests)
        // every minute: its plans change with the clock, not with each poll.
        if (holdsTick && (!lastTick || std::chrono::steady_clock::now() - *lastTick >= std::chrono::minutes{1})) {
            lastTick = std::chrono::steady_clock::now();
            try {
                std::ostringstream lines;
                auto ticked = scheduler.run(nowAt, lines);
                if (ticked.queued || ticked.refused)
                    ctx.out << "duly: " << duly::app::shortWhen(nowAt) << ": scheduler queued " << ticked.queued
                            << (ticked.refused ? ", could not send " + std::to_string(ticked.refused) : "") << "\n";
                ctx.err << lines.str();
            } catch (const std::exception& e) {
                ctx.err << "duly: scheduler: " << e.what() << "\n";
            }
        }
        // The retention schedule once a day (at start, then every 24 hours).
        if (holdsTick && instance.stillHeld("tick", ctx.err) &&
            (!lastRetention || std::chrono::steady_clock::now() - *lastRetention >= std::chrono::hours{24})) {
            lastRetention = std::chrono::steady_clock::now();
            try {
                std::unique_ptr<duly::web::AuditLog> ownAudit;
                if (!web) ownAudit = duly::app::openAuditLog(*sqlite, config.web.auditLog, nowAt, ctx.out);
                auto done = duly::app::runRetention(*sqlite, charters, web ? &web->audit() : ownAudit.get(),
                                                    config.web.auditLogDays, nowAt, false, "duly");
                if (done.anonymised || done.auditLinesRemoved)
                    ctx.out << "duly: " << duly::app::shortWhen(nowAt) << ": retention anonymised " << done.anonymised
                            << " cases, removed " << done.auditLinesRemoved << " audit log lines\n";
            } catch (const std::exception& e) {
                ctx.err << "duly: retention: " << e.what() << "\n";
            }
        }
        if (storeUp) try {
            for (const auto& line : push.takeMessages()) ctx.err << line << "\n";
            if (std::chrono::steady_clock::now() - lastImap >= std::chrono::minutes{1}) imapDue = true;
            if (imapDue) lastImap = std::chrono::steady_clock::now();
            auto [watched, delivered] = mail.watchAndDeliver(nowAt, ctx.err, imapDue);
            imapDue = false;
            if (watched.taken || watched.duplicates || delivered.delivered || delivered.failed)
                ctx.out << "duly: " << duly::app::shortWhen(nowAt) << ": took in " << watched.taken << ", delivered "
                        << delivered.delivered << (delivered.failed ? ", failed " + std::to_string(delivered.failed) : "")
                        << "\n";
        } catch (const std::exception& e) {
            // A mailbox or the outbox failing must not stop the others: say so and try again.
            ctx.err << "duly: mail: " << e.what() << "\n";
        }
        // The heartbeat is the machine's own time, even under --now: it says
        // when the instance was last alive.
        if (storeUp) instance.heartbeat(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), ctx.err);
        ctx.out.flush();
        ctx.err.flush();
        timespec wait{static_cast<time_t>(poll), 0};
        siginfo_t info;
        int sig = sigtimedwait(&stopSignals, &info, &wait);
        if (sig == SIGUSR1) imapDue = true;
        if (sig == SIGINT || sig == SIGTERM) {
            ctx.out << "duly: stopping (" << (sig == SIGINT ? "interrupted" : "terminated") << ")\n";
            return 0;
        }
        if (!fixedClock) nowAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        if (storeUp && std::chrono::steady_clock::now() - lastPrint >= std::chrono::minutes{interval}) {
            lastPrint = std::chrono::steady_clock::now();
            printDue();
        }
    }
}

duly::app::CommandRegistration reg{"serve", "run Duly: the store, mail, due lists and the dashboard",
                                   kUsage, runServe};

}  // namespace
