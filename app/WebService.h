// WebService: the dashboard as `duly serve` runs it: the accounts file, the
// audit log, the Dashboard and its HTTP server, started on the [web]
// address of the config file. On the first start with officers in the
// store and no accounts yet, every officer gets a one-time password, written
// to first-start-passwords.txt beside the passwords file (by default
// HOME/var/first-start-passwords.txt, mode 0600); each is asked to choose
// their own at first sign-in (docs/officers.md). Throws InputError when the
// address cannot be bound (say which, and that another program may be using
// the port).
#pragma once

#include "Config.h"

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/Renderer.h"
#include "duly/web/Accounts.h"
#include "duly/web/AuditLog.h"
#include "duly/web/Dashboard.h"
#include "duly/web/WebServer.h"

#include "duly/flow/Dispatch.h"

#include <filesystem>
#include <iosfwd>
#include <memory>

namespace duly::app {

class WebService {
public:
    // With a `ledger`, a reply written on the case page is sent (queued in
    // the outbox from `mail`'s address, delivered by the serve loop).
    WebService(const std::filesystem::path& home, const WebConfig& config, engine::CaseStore& store,
               engine::MailLedger* ledger, std::ostream& out, std::ostream& err, const MailIdentity& mail = {});
    ~WebService();
    std::string url() const { return _server->url(); }
    // The dashboard's audit log: other writers in this process (the daily
    // retention run) go through it, so its lock covers them too.
    web::AuditLog& audit() { return *_audit; }

private:
    std::string sendReply(engine::CaseStore& store, engine::MailLedger& ledger, const MailIdentity& mail,
                          const std::string& reference, const std::string& text, const std::string& officerId,
                          engine::Instant now);

    std::unique_ptr<engine::Renderer> _renderer;
    std::unique_ptr<engine::CharterBook> _charters;  // the previews' own: not shared with other threads
    std::unique_ptr<web::Accounts> _accounts;
    std::unique_ptr<web::AuditLog> _audit;
    std::unique_ptr<flow::Dispatch> _dispatch;
    std::unique_ptr<web::Dashboard> _dashboard;
    std::unique_ptr<web::WebServer> _server;
};

// Gives every officer of `store` without an account a one-time password
// (must be changed at first sign-in) and writes "id<TAB>password" lines to
// `file` (0600). Returns how many were given.
std::size_t issueFirstStartPasswords(engine::CaseStore& store, web::Accounts& accounts, const std::filesystem::path& file);

}  // namespace duly::app
