// Config: HOME/config/duly.toml (or --config FILE) read into plain structs:
// mail identity, the outbox or SMTP server, the letters folder, the
// mailboxes to watch, what the scheduler sends and the signing certificate.
// Relative paths are made absolute against HOME. A
// mistake is an InputError naming file, line, key and what was expected.
// Passwords are never read here: only where they come from.
#pragma once

#include "duly/engine/Scheduler.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace duly::app {

struct MailIdentity {
    std::string domain = "duly.invalid";
    std::string fromName;
    std::string fromAddress;
    std::vector<std::string> ownAddresses;
    std::size_t autoReplyLimit = 3;
};

// auth = "oauth2" in [smtp] or a [[mailbox]]: where its OAuth 2.0 tokens
// come from (docs/microsoft-365.md, docs/google-workspace.md). Same keys in both.
struct OAuth2Config {
    std::string tokenUrl;          // oauth2_token_url
    std::string clientId;          // oauth2_client_id
    std::string clientSecretFile;  // oauth2_client_secret_file, or
    std::string clientSecretEnv;   // oauth2_client_secret_env
    std::string refreshTokenFile;  // oauth2_refresh_token_file: the refresh-token grant
    std::string scope;             // oauth2_scope
};

struct SmtpConfig {
    std::string host;
    unsigned port = 587;
    std::string security = "starttls";  // starttls, tls, plain
    std::string username;
    std::string passwordFile;
    std::string passwordEnv;
    std::string auth = "password";  // password or oauth2
    OAuth2Config oauth2;
    std::string caFile;
    unsigned connections = 4;  // messages delivered side by side, each on its own connection
};

struct MailboxConfig {
    std::string name;
    std::string url;          // maildir:PATH, imap://HOST[:PORT]/FOLDER, imaps://…
    std::string channel = "email";
    std::string kind;         // empty: each message is an enquiry until an officer says otherwise
    std::string charter;
    std::string brand;        // whose letterhead its cases' letters carry (a [brand.ID] of the charter); empty: the charter's
    std::string assign;
    std::string processed = "flag";  // flag, or move:FOLDER
    std::string username;
    std::string passwordFile;
    std::string passwordEnv;
    std::string auth = "password";  // password or oauth2 (IMAP only)
    OAuth2Config oauth2;
    std::string caFile;
    bool plain = false;       // allow imap:// without STARTTLS (loopback tests)
    int pollSeconds = 60;     // when the server has no IDLE
    // A new case whose subject or text has one of these (any case) is marked
    // urgent; one with a complaint word gets a "likely complaint" note for an
    // officer, who may reclassify it.
    std::vector<std::string> urgentWords;
    std::vector<std::string> complaintWords = {"complain", "not happy with"};
    int line = 0;             // where it is in the file, for messages
};

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
