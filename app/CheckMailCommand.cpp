// duly check-mail: proves the mail set-up once, after installation: signs
// in to every configured mailbox and to the SMTP server exactly as `duly
// serve` would, and says what it found. It changes nothing (no message is
// read, flagged, moved or sent). A connection that fails is a line saying
// why, and the exit status 1.
#include "Command.h"
#include "Config.h"

#include "duly/flow/MailSettings.h"
#include "duly/mail/ImapWatcher.h"
#include "duly/mail/MaildirReader.h"

#include <ostream>

namespace {

const char* kUsage = R"(Usage: duly check-mail [--config FILE]

Connects to every mailbox in the config file and to the SMTP server, signs in (with the
password or the OAuth 2.0 token the config gives), and reports what it found: for each
mailbox the folder, how many messages it holds and whether the server offers IDLE (push);
for SMTP the AUTH mechanisms the server offers and the one used. Nothing is read, marked,
moved or sent. Exits 1 when any connection fails, with a line saying why.

  --config FILE  the config file (default HOME/config/duly.toml)
)";

int runCheckMail(duly::app::Context& ctx) {
    auto& a = ctx.args;
    auto configFile = a.option("config");
    a.finish();
    const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<std::filesystem::path>(*configFile) : std::nullopt);
    std::size_t failed = 0;
    std::size_t checked = 0;
    for (const auto& mailbox : config.mailboxes) {
        ++checked;
        ctx.out << "mailbox " << mailbox.name << ": ";
        try {
            if (!duly::flow::isImapMailbox(mailbox)) {
                duly::mail::MaildirReader reader(mailbox.url.substr(8));
                const auto waiting = reader.pending().size();
                ctx.out << mailbox.url << ": " << waiting << " message" << (waiting == 1 ? "" : "s") << " waiting\n";
                continue;
            }
            duly::mail::ImapWatcher watcher(duly::flow::imapMailboxSettings(mailbox));
            const auto found = watcher.check();
            ctx.out << "signed in as " << mailbox.username << " with " << found.signedInWith << "; folder " << found.folder
                    << ": " << found.messages << " message" << (found.messages == 1 ? "" : "s")
                    << "; IDLE: " << (found.idle ? "yes" : "no (polled every " + std::to_string(mailbox.pollSeconds) + " seconds)")
                    << "\n";
        } catch (const std::exception& e) {
            ++failed;
            ctx.out << "FAILED: " << e.what() << "\n";
        }
    }
    if (config.smtp) {
        ++checked;
        ctx.out << "smtp " << config.smtp->host << ":" << config.smtp->port << ": ";
        try {
            duly::mail::SmtpTransport transport(duly::flow::smtpSettings(*config.smtp, config.mail.domain));
            const auto found = transport.check();
            if (found.signedInWith.empty()) ctx.out << "connected without signing in";
            else ctx.out << "signed in as " << config.smtp->username << " with " << found.signedInWith;
            ctx.out << "; AUTH offered: " << (found.authMechanisms.empty() ? "none" : found.authMechanisms) << "; nothing sent\n";
        } catch (const std::exception& e) {
            ++failed;
            ctx.out << "FAILED: " << e.what() << "\n";
        }
    } else {
        ctx.out << "smtp: not configured; acknowledgements go to the outbox folder " << config.outboxFolder.string() << "\n";
    }
    if (failed) ctx.out << failed << " of " << checked << " connections failed\n";
    else if (checked == 1) ctx.out << "the connection works\n";
    else ctx.out << "all " << checked << " connections work\n";
    return failed ? 1 : 0;
}

duly::app::CommandRegistration reg{"check-mail", "sign in to every mailbox and the SMTP server, send nothing", kUsage,
                                   runCheckMail};

}  // namespace
