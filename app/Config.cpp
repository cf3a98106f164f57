// Config: the config file, checked key by key.
#include "Config.h"

#include "duly/engine/Channel.h"
#include "duly/engine/Intake.h"
#include "duly/engine/TomlReader.h"
#include "duly/mail/OAuth2TokenProvider.h"
#include "duly/store/StoreUrl.h"

#include <arpa/inet.h>

namespace fs = std::filesystem;
using namespace duly::engine;

namespace duly::app {
namespace {

std::vector<std::string> strings(const TomlReader& r, const toml::table& t, const std::string& key,
                                 const std::string& path) {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (!node) return out;
    if (!node->is_array()) r.expected(*node, path, "a list of text values");
    for (const auto& v : *node->as_array()) {
        if (!v.is_string()) r.expected(v, path, "text values in quotes");
        out.emplace_back(v.as_string()->get());
    }
    return out;
}

long long integer(const TomlReader& r, const toml::table& t, const std::string& key, const std::string& path,
                  long long min, long long max, long long fallback) {
    const toml::node* node = t.get(key);
    if (!node) return fallback;
    if (!node->is_integer() || node->as_integer()->get() < min || node->as_integer()->get() > max)
        r.expected(*node, path, "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return node->as_integer()->get();
}

bool boolean(const TomlReader& r, const toml::table& t, const std::string& key, const std::string& path) {
    const toml::node* node = t.get(key);
    if (!node) return false;
    if (!node->is_boolean()) r.expected(*node, path, "true or false");
    return node->as_boolean()->get();
}

const toml::table* table(const TomlReader& r, const toml::table& root, const std::string& key) {
    const toml::node* node = root.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) r.expected(*node, key, "a [" + key + "] table");
    return node->as_table();
}

fs::path underHome(const fs::path& home, const std::string& p) { return p.empty() ? fs::path() : (fs::path(p).is_absolute() ? fs::path(p) : home / p); }

constexpr const char* kOAuth2Keys[] = {"oauth2_token_url", "oauth2_client_id", "oauth2_client_secret_file",
                                       "oauth2_client_secret_env", "oauth2_refresh_token_file", "oauth2_scope"};

// auth and the oauth2_* keys of [smtp] or one [[mailbox]] (`prefix` is
// "smtp." or "mailbox[N]."): checked together, so a half-configured grant
// is refused at start, naming the key.
std::string readAuth(const TomlReader& r, const toml::table& t, const std::string& prefix, const fs::path& home,
                     OAuth2Config& out) {
    std::string auth = r.string(t, "auth", prefix + "auth", false);
    if (auth.empty()) auth = "password";
    if (auth != "password" && auth != "oauth2") r.expected(*t.get("auth"), prefix + "auth", "\"password\" or \"oauth2\"");
    if (auth == "password") {
        for (const char* key : kOAuth2Keys) {
            if (t.get(key)) r.fail(t.get(key), prefix + key, "is for auth = \"oauth2\" (add that line, or remove this one)");
        }
        return auth;
    }
    for (const char* key : {"password_file", "password_env"}) {
        if (t.get(key)) r.fail(t.get(key), prefix + key, "is for auth = \"password\"; with oauth2 the client secret or refresh token signs in");
    }
    out.tokenUrl = r.string(t, "oauth2_token_url", prefix + "oauth2_token_url", true);
    if (const std::string problem = mail::tokenUrlProblem(out.tokenUrl); !problem.empty())
        r.fail(t.get("oauth2_token_url"), prefix + "oauth2_token_url", "\"" + out.tokenUrl + "\": " + problem);
    out.clientId = r.string(t, "oauth2_client_id", prefix + "oauth2_client_id", true);
    if (out.clientId.empty()) r.fail(t.get("oauth2_client_id"), prefix + "oauth2_client_id", "is empty");
    out.clientSecretFile = underHome(home, r.string(t, "oauth2_client_secret_file", prefix + "oauth2_client_secret_file", false)).string();
    out.clientSecretEnv = r.string(t, "oauth2_client_secret_env", prefix + "oauth2_client_secret_env", false);
    if (!out.clientSecretFile.empty() && !out.clientSecretEnv.empty())
        r.fail(t.get("oauth2_client_secret_env"), prefix + "oauth2_client_secret_env",
               "give the client secret once: oauth2_client_secret_file or oauth2_client_secret_env, not both");
    out.refreshTokenFile = underHome(home, r.string(t, "oauth2_refresh_token_file", prefix + "oauth2_refresh_token_file", false)).string();
    out.scope = r.string(t, "oauth2_scope", prefix + "oauth2_scope", false);
    if (out.refreshTokenFile.empty() && out.clientSecretFile.empty() && out.clientSecretEnv.empty())
        r.fail(&t, prefix + "oauth2_client_secret_file",
               "missing: auth = \"oauth2\" needs oauth2_client_secret_file or oauth2_client_secret_env (client-credentials "
               "grant) or oauth2_refresh_token_file (refresh-token grant)");
    if (out.refreshTokenFile.empty() && out.scope.empty())
        r.fail(&t, prefix + "oauth2_scope",
               "missing: the client-credentials grant needs a scope (Microsoft 365: \"https://outlook.office365.com/.default\")");
    if (r.string(t, "username", prefix + "username", false).empty())
        r.fail(&t, prefix + "username", "missing: auth = \"oauth2\" signs in as this mailbox address");
    return auth;
}

// A value for a URL's query: %, &, #, + and spaces escaped.
std::string queryValue(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '%' || c == '&' || c == '#' || c == '+' || c == ' ') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<StoreConfig> readStore(const TomlReader& r, const toml::table& root, const fs::path& home) {
    const auto* t = table(r, root, "store");
    if (!t) return std::nullopt;
    r.onlyKeys(*t, "store.", {"url", "password_file", "password_env"});
    StoreConfig out;
    const std::string url = r.string(*t, "url", "store.url", true);
    const auto* node = t->get("url");
    out.line = static_cast<int>(node->source().begin.line);
    const std::string passwordFile = underHome(home, r.string(*t, "password_file", "store.password_file", false)).string();
    const std::string passwordEnv = r.string(*t, "password_env", "store.password_env", false);
    if (!store::StoreUrl::isPostgreSqlUrl(url)) {
        if (!passwordFile.empty() || !passwordEnv.empty())
            r.fail(t->get(passwordFile.empty() ? "password_env" : "password_file"), "store.url",
                   "a password is for a postgresql:// URL, not a SQLite file");
        if (url.find("://") != std::string::npos)
            r.expected(*node, "store.url", "a SQLite file path or a URL postgresql://USER@HOST:PORT/DB");
        out.location = underHome(home, url).string();
        return out;
    }
    out.location = url;
    if (!passwordFile.empty()) out.location += (url.find('?') == std::string::npos ? "?" : "&") + std::string("password_file=") + queryValue(passwordFile);
    if (!passwordEnv.empty()) out.location += (out.location.find('?') == std::string::npos ? "?" : "&") + std::string("password_env=") + queryValue(passwordEnv);
    try {
        store::StoreUrl::parse(out.location);
    } catch (const engine::InputError& e) {
        r.fail(node, "store.url", e.what());
    }
    return out;
}

}  // namespace

std::optional<StoreConfig> loadStoreConfig(const fs::path& home, const std::optional<fs::path>& given) {
    const fs::path file = given ? *given : home / "config" / "duly.toml";
    if (!given && !fs::exists(file)) return std::nullopt;
    const std::string shown = given ? file.string() : "config/duly.toml";
    TomlReader r(shown);
    auto root = parseToml(readTextFile(file), shown);
    return readStore(r, root, home);
}

Config loadConfig(const fs::path& home, const std::optional<fs::path>& given) {
    Config config;
    config.file = given ? *given : home / "config" / "duly.toml";
    config.outboxFolder = home / "var" / "outbox";
    config.lettersFolder = home / "var" / "print";
    config.web.passwordsFile = home / "var" / "passwords";
    config.web.auditLog = home / "var" / "audit.log";
    if (!given && !fs::exists(config.file)) return config;
    const std::string shown = given ? config.file.string() : "config/duly.toml";
    TomlReader r(shown);
    auto root = parseToml(readTextFile(config.file), shown);
    r.onlyKeys(root, "", {"mail", "outbox", "smtp", "letters", "mailbox", "scheduler", "signing", "web", "store"});
    config.store = readStore(r, root, home);

    if (const auto* mail = table(r, root, "mail")) {
        r.onlyKeys(*mail, "mail.", {"domain", "from_name", "from_address", "own_addresses", "auto_reply_limit"});
        config.mail.domain = r.string(*mail, "domain", "mail.domain", true);
        config.mail.fromName = r.string(*mail, "from_name", "mail.from_name", false);
        config.mail.fromAddress = r.string(*mail, "from_address", "mail.from_address", true);
        if (config.mail.fromAddress.find('@') == std::string::npos)
            r.expected(*mail->get("from_address"), "mail.from_address", "an email address");
        config.mail.ownAddresses = strings(r, *mail, "own_addresses", "mail.own_addresses");
        config.mail.ownAddresses.push_back(config.mail.fromAddress);
        config.mail.autoReplyLimit = static_cast<std::size_t>(integer(r, *mail, "auto_reply_limit", "mail.auto_reply_limit", 0, 100, 3));
    }
    if (const auto* outbox = table(r, root, "outbox")) {
        r.onlyKeys(*outbox, "outbox.", {"folder"});
        config.outboxFolder = underHome(home, r.string(*outbox, "folder", "outbox.folder", true));
    }
    if (const auto* letters = table(r, root, "letters")) {
        r.onlyKeys(*letters, "letters.", {"folder"});
        config.lettersFolder = underHome(home, r.string(*letters, "folder", "letters.folder", true));
    }
    if (const auto* s = table(r, root, "scheduler")) {
        r.onlyKeys(*s, "scheduler.", {"office_charter", "digest_at", "warn_working_days_before", "acknowledgements",
                                      "holding_replies", "extension_notices", "warnings", "escalations", "digests",
                                      "pause_notices", "pause_reminder_after", "call_attempts"});
        auto& out = config.scheduler;
        if (auto charter = r.string(*s, "office_charter", "scheduler.office_charter", false); !charter.empty())
            out.officeCharter = charter;
        if (const toml::node* at = s->get("digest_at")) {
            const auto* text = at->as_string();
            if (!text) r.expected(*at, "scheduler.digest_at", "a time of day such as \"08:00\"");
            try {
                out.digestAt = parseClockTime(text->get(), "scheduler.digest_at");
            } catch (const InputError&) {
                r.expected(*at, "scheduler.digest_at", "a time of day such as \"08:00\"");
            }
        }
        out.warnWorkingDaysBefore =
            r.days(*s, "warn_working_days_before", "scheduler.warn_working_days_before").value_or(out.warnWorkingDaysBefore);
        out.pauseReminderWorkingDays =
            r.days(*s, "pause_reminder_after", "scheduler.pause_reminder_after").value_or(out.pauseReminderWorkingDays);
        if (const toml::node* n = s->get("call_attempts")) {
            const auto* v = n->as_integer();
            if (!v || v->get() < 1 || v->get() > 20) r.expected(*n, "scheduler.call_attempts", "a whole number from 1 to 20");
            out.callAttempts = static_cast<int>(v->get());
            config.web.callAttempts = out.callAttempts;
        }
        const std::pair<const char*, bool*> flags[] = {
            {"acknowledgements", &out.acknowledgements}, {"holding_replies", &out.holdingReplies},
            {"extension_notices", &out.extensionNotices}, {"warnings", &out.warnings},
            {"escalations", &out.escalations},           {"digests", &out.digests},
            {"pause_notices", &out.pauseNotices}};
        for (const auto& [key, flag] : flags) {
            if (const toml::node* n = s->get(key)) {
                if (!n->is_boolean()) r.expected(*n, std::string("scheduler.") + key, "true or false");
                *flag = n->as_boolean()->get();
            }
        }
    }
    if (const auto* signing = table(r, root, "signing")) {
        r.onlyKeys(*signing, "signing.", {"p12", "password_file", "reason"});
        SigningConfig s;
        s.p12 = underHome(home, r.string(*signing, "p12", "signing.p12", true));
        s.passwordFile = underHome(home, r.string(*signing, "password_file", "signing.password_file", true));
        s.reason = r.string(*signing, "reason", "signing.reason", false);
        config.signing = s;
    }
    if (const auto* smtp = table(r, root, "smtp")) {
        r.onlyKeys(*smtp, "smtp.", {"host", "port", "security", "username", "password_file", "password_env", "ca_file",
                                    "connections", "auth", "oauth2_token_url", "oauth2_client_id", "oauth2_client_secret_file",
                                    "oauth2_client_secret_env", "oauth2_refresh_token_file", "oauth2_scope",
                                    "claim_seconds"});
        SmtpConfig s;
        s.host = r.string(*smtp, "host", "smtp.host", true);
        s.port = static_cast<unsigned>(integer(r, *smtp, "port", "smtp.port", 1, 65535, 587));
        s.security = r.string(*smtp, "security", "smtp.security", false);
        if (s.security.empty()) s.security = "starttls";
        if (s.security != "starttls" && s.security != "tls" && s.security != "plain")
            r.expected(*smtp->get("security"), "smtp.security", "starttls, tls or plain");
        s.username = r.string(*smtp, "username", "smtp.username", false);
        s.passwordFile = underHome(home, r.string(*smtp, "password_file", "smtp.password_file", false)).string();
        s.passwordEnv = r.string(*smtp, "password_env", "smtp.password_env", false);
        s.caFile = underHome(home, r.string(*smtp, "ca_file", "smtp.ca_file", false)).string();
        s.auth = readAuth(r, *smtp, "smtp.", home, s.oauth2);
        s.connections = static_cast<unsigned>(integer(r, *smtp, "connections", "smtp.connections", 1, 16, 4));
        s.claimSeconds = static_cast<unsigned>(integer(r, *smtp, "claim_seconds", "smtp.claim_seconds", 15, 3600, 600));
        config.smtp = s;
    }
    if (const auto* web = table(r, root, "web")) {
        r.onlyKeys(*web, "web.", {"enabled", "bind", "port", "secure_cookies", "passwords_file", "audit_log",
                                      "audit_log_days", "trusted_proxies"});
        if (web->get("enabled")) config.web.enabled = boolean(r, *web, "enabled", "web.enabled");
        if (auto bind = r.string(*web, "bind", "web.bind", false); !bind.empty()) config.web.bind = bind;
        config.web.port = static_cast<unsigned>(integer(r, *web, "port", "web.port", 1, 65535, 8080));
        if (web->get("secure_cookies")) config.web.secureCookies = boolean(r, *web, "secure_cookies", "web.secure_cookies");
        if (auto f = r.string(*web, "passwords_file", "web.passwords_file", false); !f.empty())
            config.web.passwordsFile = underHome(home, f);
        if (auto f = r.string(*web, "audit_log", "web.audit_log", false); !f.empty()) config.web.auditLog = underHome(home, f);
        config.web.auditLogDays = static_cast<int>(integer(r, *web, "audit_log_days", "web.audit_log_days", 30, 3650, 730));
        if (const auto* proxies = web->get("trusted_proxies")) {
            if (!proxies->is_array()) r.expected(*proxies, "web.trusted_proxies", "a list of IP addresses");
            for (const auto& v : *proxies->as_array()) {
                if (!v.is_string()) r.expected(v, "web.trusted_proxies", "IP addresses in quotes");
                // Canonical text, as the dashboard compares addresses.
                const std::string address = v.as_string()->get();
                unsigned char bytes[16];
                char text[INET6_ADDRSTRLEN] = {};
                const int family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
                if (::inet_pton(family, address.c_str(), bytes) != 1 || !::inet_ntop(family, bytes, text, sizeof text))
                    r.expected(v, "web.trusted_proxies", "the IP address of a reverse proxy, such as \"127.0.0.1\"");
                config.web.trustedProxies.emplace_back(text);
            }
        }
    }
    if (const toml::node* list = root.get("mailbox")) {
        if (!list->is_array_of_tables()) r.expected(*list, "mailbox", "[[mailbox]] tables");
        int index = 0;
        for (const auto& entry : *list->as_array()) {
            ++index;
            const auto& t = *entry.as_table();
            const std::string path = "mailbox[" + std::to_string(index) + "]";
            r.onlyKeys(t, path + ".", {"name", "url", "channel", "kind", "charter", "brand", "assign", "processed", "username",
                                       "password_file", "password_env", "ca_file", "plain", "poll_seconds", "auth",
                                       "oauth2_token_url", "oauth2_client_id", "oauth2_client_secret_file",
                                       "oauth2_client_secret_env", "oauth2_refresh_token_file", "oauth2_scope",
                                       "urgent_words", "complaint_words"});
            MailboxConfig m;
            m.line = static_cast<int>(t.source().begin.line);
            m.name = r.string(t, "name", path + ".name", true);
            m.url = r.string(t, "url", path + ".url", true);
            if (m.url.rfind("maildir:", 0) == 0) {
                m.url = "maildir:" + underHome(home, m.url.substr(8)).string();
            } else if (m.url.rfind("imap://", 0) != 0 && m.url.rfind("imaps://", 0) != 0) {
                r.expected(*t.get("url"), path + ".url", "maildir:PATH, imap://HOST/FOLDER or imaps://HOST/FOLDER");
            }
            m.channel = r.string(t, "channel", path + ".channel", false);
            if (m.channel.empty()) m.channel = "email";
            if (m.channel != "email" && m.channel != "letter")
                r.expected(*t.get("channel"), path + ".channel", "email, or letter for a scanned-post mailbox");
            m.kind = r.string(t, "kind", path + ".kind", false);
            if (!m.kind.empty() && !kindFromName(m.kind)) r.expected(*t.get("kind"), path + ".kind", "one of " + acceptedKinds());
            m.charter = r.string(t, "charter", path + ".charter", true);
            m.brand = r.string(t, "brand", path + ".brand", false);
            m.assign = r.string(t, "assign", path + ".assign", false);
            try {
                parseAssignmentRule(m.assign, path + ".assign");
            } catch (const InputError&) {
                r.expected(*t.get("assign"), path + ".assign", "officer:ID, team:NAME or round-robin:NAME");
            }
            m.processed = r.string(t, "processed", path + ".processed", false);
            if (m.processed.empty()) m.processed = "flag";
            if (m.processed != "flag" && (m.processed.rfind("move:", 0) != 0 || m.processed.size() <= 5))
                r.expected(*t.get("processed"), path + ".processed", "flag or move:FOLDER");
            m.username = r.string(t, "username", path + ".username", false);
            m.passwordFile = underHome(home, r.string(t, "password_file", path + ".password_file", false)).string();
            m.passwordEnv = r.string(t, "password_env", path + ".password_env", false);
            m.caFile = underHome(home, r.string(t, "ca_file", path + ".ca_file", false)).string();
            m.auth = readAuth(r, t, path + ".", home, m.oauth2);
            if (m.auth == "oauth2" && m.url.rfind("maildir:", 0) == 0)
                r.fail(t.get("auth"), path + ".auth", "\"oauth2\" is for imap:// and imaps:// mailboxes, not a Maildir");
            m.plain = boolean(r, t, "plain", path + ".plain");
            m.pollSeconds = static_cast<int>(integer(r, t, "poll_seconds", path + ".poll_seconds", 5, 3600, 60));
            // Words that mark a new case urgent, or flag a likely complaint
            // for an officer (never reclassifying it on their own).
            auto words = [&](const char* key, std::vector<std::string>& out) {
                const toml::node* n = t.get(key);
                if (!n) return;
                const std::string where = path + "." + key;
                if (!n->is_array()) r.expected(*n, where, "a list of words or phrases in quotes");
                out.clear();
                for (const auto& w : *n->as_array()) {
                    if (!w.is_string() || w.as_string()->get().find_first_not_of(' ') == std::string::npos ||
                        w.as_string()->get().size() > 100)
                        r.expected(w, where, "words or phrases in quotes, each 1 to 100 characters");
                    out.emplace_back(w.as_string()->get());
                }
            };
            words("urgent_words", m.urgentWords);
            words("complaint_words", m.complaintWords);
            for (const auto& other : config.mailboxes)
                if (other.name == m.name) r.fail(&t, path + ".name", "\"" + m.name + "\" is already the name of another mailbox");
            config.mailboxes.push_back(std::move(m));
        }
    }
    return config;
}

}  // namespace duly::app
