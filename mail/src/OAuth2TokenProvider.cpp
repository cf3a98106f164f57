// OAuth2TokenProvider: the token endpoint request (RFC 6749 §4.4 client
// credentials, §6 refresh) over Poco's HTTP(S) client, and the in-memory
// token. The endpoint's answer is outside input: its size is bounded, the
// token must be a bearer token (so it cannot forge a SASL field), and its
// error description is cut to printable text with any secret removed
// before it reaches a message.
#include "duly/engine/PrivateFiles.h"
#include "duly/mail/ClientTls.h"
#include "duly/mail/Secret.h"
#include "duly/mail/OAuth2TokenProvider.h"

#include "duly/mail/SaslOAuth.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace duly::mail {
namespace {

constexpr std::size_t kMaxAnswer = 256 * 1024;

std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    for (const char c : text) {
        if (out.size() >= limit) {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : ' ';
    }
    return out;
}

void hide(std::string& text, const std::string& secret) {
    if (secret.size() < 4) return;  // too short to search for without hiding ordinary words
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "[hidden]");
}

std::string firstLine(const std::string& path, const std::string& lead, const std::string& what) {
    auto secret = readSecret(path, "", false);
    if (!secret.value) {
        if (secret.problem.ends_with(" is empty")) throw OAuth2Error(lead + "the " + what + " file " + path + " is empty");
        throw OAuth2Error(lead + "cannot read the " + what + " file " + path);
    }
    return *secret.value;
}

std::string formEncode(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]~", out);
    return out;
}

std::string shownUrl(const std::string& url) {
    try {
        const Poco::URI uri(url);
        std::string out = uri.getScheme() + "://" + uri.getHost();
        if (uri.getSpecifiedPort() != 0) out += ":" + std::to_string(uri.getSpecifiedPort());
        return out + uri.getPath();
    } catch (const Poco::Exception&) {
        return printable(url, 100);
    }
}

// Replaces the refresh-token file's content with `token`, by a synced
// rename, so a crash leaves the old or the new one. Best effort: when the
// folder is read-only the new token is still used from memory.
void saveRefreshToken(const std::string& path, const std::string& token) {
    try {
        engine::writePrivateFileAtomically(path, token + "\n");
    } catch (const std::exception&) {
    }
}

}  // namespace

bool isLoopbackHost(const std::string& host) {
    if (host == "localhost") return true;
    Poco::Net::IPAddress address;
    std::string h = host;
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    return Poco::Net::IPAddress::tryParse(h, address) && address.isLoopback();
}

std::string tokenUrlProblem(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        return "it is not a URL";
    }
    if (uri.getHost().empty()) return "it has no host";
    if (!uri.getUserInfo().empty()) return "it carries a user name or password; give the client id and secret in their own keys";
    if (uri.getScheme() == "https") return "";
    if (uri.getScheme() == "http") {
        return isLoopbackHost(uri.getHost()) ? "" : "plain http:// is allowed only to a loopback address (tests); use https://";
    }
    return "expected an https:// URL";
}

std::chrono::seconds renewalMargin(std::chrono::seconds lifetime) {
    return std::min<std::chrono::seconds>(std::chrono::minutes(5), lifetime / 4);
}

OAuth2TokenProvider::OAuth2TokenProvider(OAuth2Settings settings) : _settings(std::move(settings)) {
    if (const std::string problem = tokenUrlProblem(_settings.tokenUrl); !problem.empty())
        throw OAuth2Error(lead() + "oauth2_token_url \"" + printable(_settings.tokenUrl, 200) + "\": " + problem);
    if (_settings.clientId.empty()) throw OAuth2Error(lead() + "oauth2_client_id is empty");
    if (_settings.refreshTokenFile.empty() && _settings.clientSecretFile.empty() && _settings.clientSecretEnv.empty())
        throw OAuth2Error(lead() + "OAuth 2.0 needs a client secret (oauth2_client_secret_file or "
                          "oauth2_client_secret_env) or a refresh token (oauth2_refresh_token_file)");
}

std::string OAuth2TokenProvider::token() {
    std::lock_guard lock(_mutex);
    if (_token.empty() || std::chrono::steady_clock::now() >= _renewAt) fetch();
    return _token;
}

void OAuth2TokenProvider::refused(const std::string& token) {
    std::lock_guard lock(_mutex);
    if (token == _token) _token.clear();
}

std::chrono::steady_clock::time_point OAuth2TokenProvider::renewAt() const {
    std::lock_guard lock(_mutex);
    return _token.empty() ? std::chrono::steady_clock::time_point{} : _renewAt;
}

std::size_t OAuth2TokenProvider::requests() const {
    std::lock_guard lock(_mutex);
    return _requests;
}

void OAuth2TokenProvider::fetch() {
    const std::string endpoint = shownUrl(_settings.tokenUrl);
    std::string secret;
    if (!_settings.clientSecretFile.empty()) {
        secret = firstLine(_settings.clientSecretFile, lead(), "oauth2_client_secret");
    } else if (!_settings.clientSecretEnv.empty()) {
        auto read = readSecret("", _settings.clientSecretEnv, false);
        if (!read.value)
            throw OAuth2Error(lead() + "the environment variable " + _settings.clientSecretEnv + " (oauth2_client_secret_env) is not set");
        secret = *read.value;
    }
    std::string refresh;
    if (!_settings.refreshTokenFile.empty())
        refresh = _refreshToken.empty() ? firstLine(_settings.refreshTokenFile, lead(), "oauth2_refresh_token") : _refreshToken;

    std::string body = refresh.empty() ? "grant_type=client_credentials" : "grant_type=refresh_token&refresh_token=" + formEncode(refresh);
    body += "&client_id=" + formEncode(_settings.clientId);
    if (!secret.empty()) body += "&client_secret=" + formEncode(secret);
    if (!_settings.scope.empty()) body += "&scope=" + formEncode(_settings.scope);

    std::string answer;
    int status = 0;
    ++_requests;
    try {
        const Poco::URI uri(_settings.tokenUrl);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") {
            // The system's CAs as well: ca_file is often a private CA for the
            // mail server while the endpoint (Microsoft's, Google's) has a
            // public one. STRICT, not RELAXED: Poco skips the host-name check
            // for a loopback host under RELAXED, and the name must always match.
            Poco::Net::Context::Ptr context =
                clientTlsContext({_settings.caFile, true, Poco::Net::Context::VERIFY_STRICT});
            // HTTPSClientSession checks the certificate names the host it connected to.
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        }
        session->setTimeout(Poco::Timespan(static_cast<long>(_settings.timeout.count()), 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/x-www-form-urlencoded");
        request.set("Accept", "application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session->sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        status = static_cast<int>(response.getStatus());
        char buffer[8192];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            answer.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (answer.size() > kMaxAnswer)
                throw OAuth2Error(lead() + "the token endpoint " + endpoint + " answered with more than " +
                                  std::to_string(kMaxAnswer / 1024) + " KiB");
        }
    } catch (const Poco::Exception& e) {
        std::string text = e.displayText();
        hide(text, secret);
        hide(text, refresh);
        throw OAuth2Error(lead() + "cannot reach the token endpoint " + endpoint + ": " + printable(text, 300));
    }

    Poco::JSON::Object::Ptr object;
    try {
        Poco::JSON::Parser parser;
        object = parser.parse(answer).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        object = nullptr;
    }
    auto field = [&](const char* key) -> std::string {
        if (!object || !object->has(key)) return {};
        const Poco::Dynamic::Var v = object->get(key);
        return v.isEmpty() ? std::string() : v.toString();
    };
    if (status != 200 || !object || !field("error").empty()) {
        std::string error = field("error");
        std::string description = field("error_description");
        if (error.empty()) {
            throw OAuth2Error(lead() + "the token endpoint " + endpoint + " answered HTTP " + std::to_string(status) +
                              (object ? " without an access token or an OAuth error" : " with something other than JSON"));
        }
        hide(description, secret);
        hide(description, refresh);
        std::string message = lead() + "the token endpoint " + endpoint + " refused: " + printable(error, 60);
        if (!description.empty()) message += ": " + printable(description, 300);
        if (error == "invalid_client")
            message += " (check the client id and that the client secret has not expired or been replaced)";
        else if (error == "invalid_grant" && !refresh.empty())
            message += " (the refresh token is no longer valid: make a new one, see docs/google-workspace.md)";
        throw OAuth2Error(message);
    }
    std::string token = field("access_token");
    if (token.empty()) throw OAuth2Error(lead() + "the token endpoint " + endpoint + " answered without an access_token");
    if (!isBearerToken(token) || token.size() > 16384)
        throw OAuth2Error(lead() + "the token endpoint " + endpoint + " answered with an access token that is not a bearer token");
    if (const std::string type = field("token_type"); !type.empty() && Poco::icompare(type, "bearer") != 0)
        throw OAuth2Error(lead() + "the token endpoint " + endpoint + " answered with a token of type \"" + printable(type, 40) +
                          "\", not Bearer");
    long long lifetime = 3600;  // RFC 6749 §5.1: expires_in is only recommended
    if (const std::string e = field("expires_in"); !e.empty()) {
        try {
            std::size_t used = 0;
            lifetime = std::stoll(e, &used);
            if (used != e.size() || lifetime < 0) throw std::invalid_argument("expires_in");
        } catch (const std::exception&) {
            throw OAuth2Error(lead() + "the token endpoint " + endpoint + " answered with expires_in \"" + printable(e, 20) +
                              "\", not a number of seconds");
        }
        lifetime = std::min(lifetime, 7LL * 24 * 3600);
    }
    const std::chrono::seconds life(lifetime);
    _renewAt = std::chrono::steady_clock::now() + life - renewalMargin(life);
    _token = std::move(token);
    if (const std::string rotated = field("refresh_token"); !rotated.empty() && !refresh.empty() && rotated != refresh) {
        _refreshToken = rotated;
        saveRefreshToken(_settings.refreshTokenFile, rotated);
    }
}

std::shared_ptr<OAuth2TokenProvider> sharedTokenProvider(const OAuth2Settings& s) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<OAuth2TokenProvider>> providers;
    const std::string key = s.who + '\0' + s.tokenUrl + '\0' + s.clientId + '\0' + s.clientSecretFile + '\0' + s.clientSecretEnv +
                            '\0' + s.refreshTokenFile + '\0' + s.scope + '\0' + s.caFile;
    std::lock_guard lock(mutex);
    auto& p = providers[key];
    if (!p) p = std::make_shared<OAuth2TokenProvider>(s);
    return p;
}

}  // namespace duly::mail
