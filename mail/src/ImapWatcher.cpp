// ImapWatcher: signing in to an IMAP mailbox, and the wait between passes.
// Throws ImapError and InputError.
#include "duly/mail/ImapWatcher.h"

#include "duly/mail/Secret.h"

#include "duly/engine/InputError.h"
#include "duly/mail/SaslOAuth.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace duly::mail {
namespace {

std::string readPassword(const ImapMailboxSettings& s) {
    if (s.passwordFile.empty() && s.passwordEnv.empty())
        throw ImapError("mailbox " + s.name + ": no password_file or password_env for the IMAP login");
    auto secret = readSecret(s.passwordFile, s.passwordEnv);
    if (!secret.value) {
        const std::string why = s.passwordFile.empty() ? secret.problem : "cannot read the password file " + s.passwordFile;
        throw ImapError("mailbox " + s.name + ": " + why);
    }
    return *secret.value;
}

}  // namespace

std::optional<engine::Instant> parseInternalDate(const std::string& text) {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::string t = text;
    if (!t.empty() && t[0] == ' ') t = t.substr(1);
    // d-Mon-yyyy hh:mm:ss +zzzz or dd-Mon-yyyy ...
    const std::size_t dash = t.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 2 || t.size() != dash + 24) return std::nullopt;
    auto num = [&](std::size_t at, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (t[i] < '0' || t[i] > '9') return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const int day = num(0, dash);
    int month = 0;
    for (int i = 0; i < 12; ++i) {
        if (t.compare(dash + 1, 3, kMonths[i]) == 0) month = i + 1;
    }
    const std::size_t p = dash + 5;  // after "Mon-"
    if (t[dash + 4] != '-' || t[p + 4] != ' ' || t[p + 7] != ':' || t[p + 10] != ':' || t[p + 13] != ' ') return std::nullopt;
    const int year = num(p, 4), hour = num(p + 5, 2), minute = num(p + 8, 2), second = num(p + 11, 2);
    const char sign = t[p + 14];
    const int zh = num(p + 15, 2), zm = num(p + 17, 2);
    if (day < 1 || month == 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
        second > 60 || (sign != '+' && sign != '-') || zh < 0 || zm < 0)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    const auto offset = std::chrono::minutes(zh * 60 + zm) * (sign == '+' ? 1 : -1);
    return engine::Instant(std::chrono::sys_days(ymd)) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second) - offset;
}

ImapWatcher::ImapWatcher(ImapMailboxSettings settings)
    : _settings(std::move(settings)), _url(parseImapUrl(_settings.url, _settings.plain)) {
    if (_settings.processed != "flag" &&
        (_settings.processed.rfind("move:", 0) != 0 || _settings.processed.size() == 5))
        throw engine::InputError("mailbox " + _settings.name + ": processed \"" + _settings.processed +
                                 "\": expected flag or move:FOLDER");
    if (_settings.batch == 0) _settings.batch = 1;
}

std::unique_ptr<ImapClient> ImapWatcher::connect(std::string* mechanism) {
    ImapSettings s;
    s.host = _url.host;
    s.port = _url.port;
    s.security = _url.security;
    s.caFile = _settings.caFile;
    if (!_settings.oauth2) {
        const std::string password = readPassword(_settings);
        auto client = std::make_unique<ImapClient>(s);
        client->login(_settings.username, password);
        if (mechanism) *mechanism = "LOGIN";
        return client;
    }
    for (int attempt = 1;; ++attempt) {
        auto client = std::make_unique<ImapClient>(s);
        const auto chosen = chooseOAuthMechanism(client->hasCapability("AUTH=OAUTHBEARER"), client->hasCapability("AUTH=XOAUTH2"));
        if (!chosen)
            throw ImapError("IMAP " + _url.host + ": the server" +
                            " offers neither AUTH=OAUTHBEARER nor AUTH=XOAUTH2 (auth = \"oauth2\")");
        std::string token;
        try {
            token = _settings.oauth2->token();
        } catch (const OAuth2Error& e) {
            throw ImapError(e.what());
        }
        try {
            client->authenticate(mechanismName(*chosen),
                                 oauthInitialResponse(*chosen, _settings.username, token, _url.host, _url.port),
                                 oauthErrorAcknowledgement(*chosen), _settings.username);
            if (mechanism) *mechanism = mechanismName(*chosen);
            return client;
        } catch (const SaslError& e) {
            throw ImapError(e.what());
        } catch (const ImapAuthRefused& e) {
            // An expired or revoked token: forget it and try once with a new one.
            _settings.oauth2->refused(token);
            if (attempt == 2)
                throw ImapError(std::string(e.what()) + "; a new token was refused too");
        }
    }
}

ImapCheck ImapWatcher::check() {
    ImapCheck out;
    auto client = connect(&out.signedInWith);
    out.idle = client->hasCapability("IDLE");
    out.folder = _url.folder;
    out.messages = client->select(_url.folder).exists;
    client->logout();
    return out;
}

std::unique_ptr<ImapClient> ImapWatcher::open(ImapSelected& selected) {
    auto client = connect();
    selected = client->select(_url.folder);
    return client;
}

bool ImapWatcher::waitForMail(std::chrono::seconds maxWait, std::chrono::seconds pollSeconds, const std::atomic<bool>& stop) {
    auto client = connect();
    if (!client->hasCapability("IDLE")) {
        client->logout();
        const auto wait = std::min(maxWait, pollSeconds);
        const auto until = std::chrono::steady_clock::now() + wait;
        while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        return !stop && wait == pollSeconds;
    }
    const ImapSelected selected = client->select(_url.folder);
    const bool moved = selected.uidNext != _lastUidNext;
    _lastUidNext = selected.uidNext;
    if (moved) {
        client->logout();
        return true;
    }
    // Short IDLE rounds so that `stop` is noticed within a few seconds.
    bool arrived = false;
    auto until = std::chrono::steady_clock::now() + maxWait;
    // Never less than five seconds: a token endpoint handing out tokens of
    // a few seconds must not make this a busy loop of sign-ins.
    if (_settings.oauth2)
        until = std::min(until, std::max(_settings.oauth2->renewAt(), std::chrono::steady_clock::now() + std::chrono::seconds(5)));
    while (!stop && !arrived && std::chrono::steady_clock::now() < until) {
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(until - std::chrono::steady_clock::now());
        arrived = client->idle(std::clamp(left, std::chrono::seconds(1), std::chrono::seconds(5)));
    }
    client->logout();
    return arrived;
}

}  // namespace duly::mail
