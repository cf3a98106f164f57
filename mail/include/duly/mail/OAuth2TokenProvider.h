// OAuth2TokenProvider: OAuth 2.0 access tokens for one mailbox or the SMTP
// server, for the XOAUTH2 and OAUTHBEARER sign-ins. It owns the grant
// (client credentials when there is no refresh token: Microsoft's app-only
// access; the refresh-token grant otherwise: Google, or delegated
// Microsoft access), the HTTPS request to the token endpoint (certificate
// and host name verified, ca_file honoured; plain http only to a loopback
// address, for tests), and the token kept in memory until shortly before
// it expires. A mail server that refuses a token makes it forget it, so the
// next sign-in fetches a new one.
// Fails with OAuth2Error naming who it works for, the endpoint and the
// OAuth error and its description — never the client secret, the refresh
// token or an access token.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace duly::mail {

class OAuth2Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OAuth2Settings {
    std::string who;               // "smtp", say: the start of every message (empty: none, the caller names it)
    std::string tokenUrl;          // https://login.microsoftonline.com/TENANT/oauth2/v2.0/token
    std::string clientId;
    std::string clientSecretFile;  // first line is the client secret, or
    std::string clientSecretEnv;   // this environment variable holds it (neither: a public client)
    std::string refreshTokenFile;  // first line is a refresh token: the refresh-token grant
    std::string scope;             // may be empty (Google's refresh grant needs none)
    std::string caFile;            // PEM of CAs trusted for the endpoint besides the system's
    std::chrono::seconds timeout{30};
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackHost(const std::string& host);

// Checks a token endpoint URL: https://HOST/..., or http:// to a loopback
// host. Returns an empty string when it is acceptable, else why not.
std::string tokenUrlProblem(const std::string& url);

// How long before a token's expiry it is renewed: a quarter of its
// lifetime, at most five minutes (a one-hour token is renewed at 55 minutes).
std::chrono::seconds renewalMargin(std::chrono::seconds lifetime);

class OAuth2TokenProvider {
public:
    // Throws OAuth2Error when the settings cannot work (URL, no client id,
    // neither a client secret nor a refresh token).
    explicit OAuth2TokenProvider(OAuth2Settings settings);

    // A token valid for a while yet: the one in memory, or a new one from
    // the endpoint. Thread-safe. Throws OAuth2Error.
    std::string token();

    // The server refused `token`: forget it (if it is still the current
    // one) so that the next token() asks the endpoint.
    void refused(const std::string& token);

    // When the token in memory is due for renewal (steady clock); a time
    // already past when there is none. A connection that waits (IDLE)
    // ends its wait by then and signs in again with a fresh token.
    std::chrono::steady_clock::time_point renewAt() const;

    // How many times the endpoint has been asked (for reports and tests).
    std::size_t requests() const;

    const OAuth2Settings& settings() const { return _settings; }

private:
    void fetch();  // called with _mutex held
    std::string lead() const { return _settings.who.empty() ? std::string() : _settings.who + ": "; }

    OAuth2Settings _settings;
    mutable std::mutex _mutex;
    std::string _token;
    std::string _refreshToken;  // a newer one the endpoint handed back (rotation), else empty
    std::chrono::steady_clock::time_point _renewAt{};
    std::size_t _requests = 0;
};

// One provider per distinct settings for the whole process, so the IDLE
// threads, the watch passes and the SMTP connections of one account share
// their token instead of each asking the endpoint. Throws OAuth2Error.
std::shared_ptr<OAuth2TokenProvider> sharedTokenProvider(const OAuth2Settings& settings);

}  // namespace duly::mail
