// Config: HOME/config/duly.toml (or --config FILE) read into plain structs:
// mail identity, the outbox or SMTP server, the letters folder, the
// mailboxes to watch, what the scheduler sends and the signing certificate.
// Relative paths are made absolute against HOME. A
// mistake is an InputError naming file, line, key and what was expected.
// Passwords are never read here: only where they come from.
#pragma once

#include "duly/engine/Scheduler.h"
#include "duly/flow/MailSettings.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace duly::app {

// The mail steps' sections ([mail], [smtp], [[mailbox]]) are flow's plain
// structs (duly/flow/MailSettings.h), filled in here.
using MailIdentity = flow::MailIdentity;
using OAuth2Config = flow::OAuth2Config;
using SmtpConfig = flow::SmtpConfig;
using MailboxConfig = flow::MailboxConfig;

// [web]: where the dashboard listens. The default binds loopback only.
struct WebConfig {
    bool enabled = true;
    std::string bind = "127.0.0.1";
    unsigned port = 8080;
    bool secureCookies = true;  // false only for plain http beyond localhost
    std::filesystem::path passwordsFile;  // HOME/var/passwords
    std::filesystem::path auditLog;       // HOME/var/audit.log
    // How long audit log lines are kept ([web] audit_log_days): `duly
    // retention run` removes older ones.
    int auditLogDays = 730;
    // Reverse proxies whose X-Forwarded-For names the client (IP addresses).
    std::vector<std::string> trustedProxies;
    // Calls not answered before Duly writes instead ([scheduler]
    // call_attempts), shown with each call task.
    int callAttempts = 3;
};

// [signing]: the organisation's certificate that signs every letter's PDF
// (docs/signing.md). Absent: letters are not signed.
struct SigningConfig {
    std::filesystem::path p12;           // PKCS#12 file with the key and certificate chain
    std::filesystem::path passwordFile;  // its password on the first line
    std::string reason;                  // /Reason written in each signature; may be empty
};

// [store]: where the store is when neither --db nor $DULY_DB says: a SQLite
// file (relative to HOME) or postgresql://USER@HOST:PORT/DB?…, with the
// password from password_file or password_env (or libpq's ~/.pgpass).
// `location` is what the store is opened with (store::StoreUrl::parse):
// the path made absolute, or the URL with password_file=/password_env=
// added, never a password itself.
struct StoreConfig {
    std::string location;
    int line = 0;  // where url is in the file, for messages
};

struct Config {
    std::filesystem::path file;
    std::optional<StoreConfig> store;
    MailIdentity mail;
    std::filesystem::path outboxFolder;
    std::optional<SmtpConfig> smtp;
    std::filesystem::path lettersFolder;
    std::vector<MailboxConfig> mailboxes;
    WebConfig web;
    engine::SchedulerSettings scheduler;
    std::optional<SigningConfig> signing;
};

// Reads `file` (default HOME/config/duly.toml); a missing default file gives
// the built-in defaults with no mailboxes.
Config loadConfig(const std::filesystem::path& home, const std::optional<std::filesystem::path>& file);

// Only the [store] table of `file` (default HOME/config/duly.toml), checked
// as loadConfig checks it: for main.cpp, which opens the store before a
// command reads the rest. Nothing when the file or the table is absent.
std::optional<StoreConfig> loadStoreConfig(const std::filesystem::path& home,
                                           const std::optional<std::filesystem::path>& file);

}  // namespace duly::app
