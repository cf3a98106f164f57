// WebService: accounts, audit log, dashboard and HTTP server for duly serve;
// see WebService.h.
#include "WebService.h"

#include "Audit.h"

#include "EscalationRefusal.h"
#include "Retention.h"
#include "SubjectAccess.h"

#include "duly/flow/MailSettings.h"
#include "duly/engine/CaseService.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"
#include "duly/engine/SignInStore.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ostream>
#include <stdexcept>
#include <unistd.h>

namespace duly::app {

std::size_t issueFirstStartPasswords(engine::CaseStore& store, web::Accounts& accounts,
                                     const std::filesystem::path& file) {
    std::string text = "# One-time passwords for the first sign-in to Duly's dashboard. Each officer is asked to\n"
                       "# choose their own at first sign-in. Give each person theirs, then delete this file.\n";
    std::size_t issued = 0;
    for (const auto& o : store.officers()) {
        auto password = web::randomPassword();
        if (!accounts.setPasswordIfAbsent(o.id, password, true)) continue;
        text += o.id + "\t" + password + "\n";
        ++issued;
    }
    if (!issued) return 0;
    engine::writePrivateFileAtomically(file, text);
    return issued;
}

WebService::WebService(const std::filesystem::path& home, const WebConfig& config, engine::CaseStore& store,
                       engine::MailLedger* ledger, std::ostream& out, std::ostream& err, const MailIdentity& mail) {
    _accounts = std::make_unique<web::Accounts>(config.passwordsFile);
    if (_accounts->empty()) {
        auto file = config.passwordsFile.parent_path() / "first-start-passwords.txt";
        if (auto n = issueFirstStartPasswords(store, *_accounts, file))
            out << "duly: first start: one-time passwords for " << n << " officers are in " << file.string()
                << " (each chooses their own at first sign-in)\n";
    }
    // The audit log is the store's, shared by every instance; the file an
    // earlier version wrote is imported once (and kept renamed).
    if (auto* sqlite = dynamic_cast<store::SqliteCaseStore*>(&store))
        _audit = openAuditLog(*sqlite, config.auditLog,
                              std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), out);
    else
        _audit = std::make_unique<web::AuditLog>(config.auditLog);
    web::DashboardOptions options;
    options.secureCookies = config.secureCookies;
    options.trustedProxies = config.trustedProxies;
    options.callAttempts = config.callAttempts;
    // The reply letter as the customer will read it (the reply template in
    // their language and format), for the case page's preview.
    _renderer = std::make_unique<engine::Renderer>(home);
    _charters = std::make_unique<engine::CharterBook>(home);
    options.replyPreview = [this, &store](const engine::Case& c, const std::string& text, engine::Instant now) {
        flow::CaseDocuments documents(*_renderer, store, *_charters);
        engine::LetterDetails details;
        details.date = now;
        details.replyBody = text;
        return engine::writeText(documents.render(c, "reply", details));
    };
    if (ledger) {
        _dispatch = std::make_unique<flow::Dispatch>(*_renderer, store, *_charters, flow::senderIdentity(mail));
        options.sendReply = [this, &store, ledger, mail](const std::string& ref, const std::string& text,
                                                         const std::string& officerId, engine::Instant now) {
            return sendReply(store, *ledger, mail, ref, text, officerId, now);
        };
        options.refuseEscalation = [this, &store, ledger](const std::string& ref, const std::string& reason,
                                                          const std::string& officerId, engine::Instant now) {
            engine::CaseService service(store, *_charters);
            return refuseEscalation(store, *ledger, service, *_dispatch, ref, reason, now, officerId).how;
        };
    }
    // Customers' records, subject access and the retention count: only on
    // the SQLite store, which keeps the personal data tables.
    if (auto* sqlite = dynamic_cast<store::SqliteCaseStore*>(&store)) {
        options.personalData = sqlite;
        options.exportCustomer = [this, sqlite](const std::string& ref, engine::Instant now) {
            return exportCustomer(*sqlite, _audit.get(), ref, now).zip;
        };
        options.dueForAnonymisation = [this, sqlite](engine::Instant before) {
            return dueForAnonymisation(*sqlite, *_charters, before);
        };
    }
    // Sessions and sign-in attempts are kept in the store, which every
    // instance of serve shares: a session works whichever instance answers.
    // The sessions file earlier versions kept beside the passwords is no
    // longer read (sessions are short-lived: officers sign in once more).
    if (auto* signIn = dynamic_cast<engine::SignInStore*>(&store)) {
        options.signInStore = signIn;
        const auto oldSessions = config.passwordsFile.parent_path() / "sessions";
        std::error_code ec;
        if (std::filesystem::exists(oldSessions, ec))
            out << "duly: sign-in sessions are now kept in the store; " << oldSessions.string()
                << " is no longer read (officers signed in before sign in again) and may be deleted\n";
    } else {
        // Beside the passwords: sign-ins survive a restart of serve.
        options.sessionsFile = config.passwordsFile.parent_path() / "sessions";
    }
    _dashboard = std::make_unique<web::Dashboard>(
        home, store, ledger, *_accounts, *_audit,
        [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }, err, options);
    try {
        _server = std::make_unique<web::WebServer>(*_dashboard, config.bind, config.port);
    } catch (const std::exception& e) {
        throw engine::InputError("the dashboard cannot listen on " + config.bind + ":" + std::to_string(config.port) +
                                 " (" + e.what() + "); another program may be using the port: set [web] port in " +
                                 "the config file or give --port");
    }
    _server->start();
}

std::string WebService::sendReply(engine::CaseStore& store, engine::MailLedger& ledger, const MailIdentity&,
                                  const std::string& reference, const std::string& text, const std::string& officerId,
                                  engine::Instant now) {
    using namespace duly::engine;
    auto found = store.findCase(reference);
    if (!found) throw InputError("no case " + reference);
    Case c = *found;
    if (c.state != CaseState::Open) throw InputError("case " + reference + " is closed");
    if (c.repliedAt) throw InputError("case " + reference + " has already been answered");
    const Customer customer = _dispatch->documents().customerOf(c);
    flow::CustomerDocument reply{flow::CustomerDocument::What::Reply, "reply", {}};
    reply.details.date = now;
    reply.details.replyBody = text;
    flow::Dispatched sent = _dispatch->toCustomer(c, customer, reply, now);
    if (sent.refused) {
        if (sent.byPost && !hasPostalAddress(customer))
            throw InputError((customer.name.empty() ? std::string("the customer") : customer.name) +
                             " reads letters but has no postal address: add one to the customer's record first");
        throw InputError("the reply cannot be sent: " + sent.refusal);
    }
    const std::string how = sent.byPost ? "queued for the post to " +
                                              (customer.name.empty() ? std::string("the customer") : customer.name) +
                                              " (printed by the next print run)"
                                        : "sent " + sent.how;
    // The answer goes through CaseService's rules (it also acknowledges the
    // customer, so no automatic acknowledgement can follow it) and is
    // written with the reply in one transaction.
    CaseService service(store, *_charters);
    CaseChange change = service.answered(c, now, officerId, "reply " + how);
    if (sent.given) change.kase.datesGiven.push_back(*sent.given);
    std::vector<CaseEvent> events = std::move(sent.events);
    events.insert(events.end(), change.events.begin(), change.events.end());
    ledger.updateCaseWithMessages(change.kase, events, sent.messages);
    return how;
}

WebService::~WebService() {
    if (_server) _server->stop();
}

}  // namespace duly::app
