// OAuth2TokenProvider against a real HTTP token endpoint started in the test
// on loopback (Poco's HTTPServer answering as a test script says): both
// grants and what they send, the token kept until it is due and fetched
// again when refused, a rotated refresh token saved, and every way an
// endpoint can fail reported with the endpoint and the OAuth error but
// never the secret. Also the URL rules (https, or http to loopback only).
#include "duly/mail/OAuth2TokenProvider.h"

#include "../mail-smtp/TempDir.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <vector>

using namespace duly::mail;

namespace {

struct Answer {
    int status = 200;
    std::string body;
};

// A token endpoint: records each request's form and answers with `reply`.
class Endpoint {
public:
    std::function<Answer(const Poco::Net::NameValueCollection&)> reply;
    std::vector<std::map<std::string, std::string>> forms;
    std::mutex mutex;

    Endpoint() : _socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(2);
        _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), _socket, params);
        _server->start();
    }
    ~Endpoint() { _server->stopAll(true); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(_socket.address().port()) + "/tenant/token"; }

private:
    struct Handler : Poco::Net::HTTPRequestHandler {
        explicit Handler(Endpoint& e) : endpoint(e) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            Poco::Net::HTMLForm form(request, request.stream());
            Answer answer;
            {
                std::lock_guard lock(endpoint.mutex);
                std::map<std::string, std::string> copy(form.begin(), form.end());
                copy["(path)"] = request.getURI();
                endpoint.forms.push_back(copy);
                answer = endpoint.reply(form);
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
            response.setContentType("application/json");
            response.sendBuffer(answer.body.data(), answer.body.size());
        }
        Endpoint& endpoint;
    };
    struct Factory : Poco::Net::HTTPRequestHandlerFactory {
        explicit Factory(Endpoint& e) : endpoint(e) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new Handler(endpoint); }
        Endpoint& endpoint;
    };
    Poco::Net::ServerSocket _socket;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
};

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string readLine(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string errorOf(OAuth2TokenProvider& provider) {
    try {
        provider.token();
    } catch (const OAuth2Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(OAuth2TokenProvider, UrlRules) {
    EXPECT_EQ(tokenUrlProblem("https://login.microsoftonline.com/t/oauth2/v2.0/token"), "");
    EXPECT_EQ(tokenUrlProblem("http://127.0.0.1:8080/token"), "");
    EXPECT_EQ(tokenUrlProblem("http://[::1]:8080/token"), "");
    EXPECT_EQ(tokenUrlProblem("http://localhost/token"), "");
    EXPECT_NE(tokenUrlProblem("http://login.microsoftonline.com/t/token"), "");  // a secret in plain text over the network
    EXPECT_NE(tokenUrlProblem("http://127.0.0.1.example.com/token"), "");
    EXPECT_NE(tokenUrlProblem("ftp://example.com/token"), "");
    EXPECT_NE(tokenUrlProblem("https://id:secret@example.com/token"), "");
    EXPECT_NE(tokenUrlProblem("https:///token"), "");
    OAuth2Settings s;
    s.tokenUrl = "http://oauth.example.com/token";
    s.clientId = "c";
    s.clientSecretEnv = "X";
    EXPECT_THROW(OAuth2TokenProvider{s}, OAuth2Error);
}

TEST(OAuth2TokenProvider, RenewalMargin) {
    EXPECT_EQ(renewalMargin(std::chrono::seconds(3600)), std::chrono::seconds(300));
    EXPECT_EQ(renewalMargin(std::chrono::seconds(60)), std::chrono::seconds(15));
    EXPECT_EQ(renewalMargin(std::chrono::seconds(0)), std::chrono::seconds(0));
}

TEST(OAuth2TokenProvider, ClientCredentialsKeptUntilRefused) {
    TempDir dir;
    write(dir.path() / "secret", "s3cr+t&=\n");
    Endpoint endpoint;
    int issued = 0;
    endpoint.reply = [&](const Poco::Net::NameValueCollection&) {
        return Answer{200, R"({"access_token":"tok)" + std::to_string(++issued) + R"(","token_type":"Bearer","expires_in":3599})"};
    };
    OAuth2Settings s;
    s.who = "smtp";
    s.tokenUrl = endpoint.url();
    s.clientId = "00000000-0000-0000-0000-000000000001";
    s.clientSecretFile = (dir.path() / "secret").string();
    s.scope = "https://outlook.office365.com/.default";
    OAuth2TokenProvider provider(s);
    EXPECT_EQ(provider.token(), "tok1");
    EXPECT_EQ(provider.token(), "tok1");  // kept: an hour minus the margin to go
    EXPECT_EQ(provider.requests(), 1u);
    ASSERT_EQ(endpoint.forms.size(), 1u);
    auto& form = endpoint.forms[0];
    EXPECT_EQ(form["(path)"], "/tenant/token");
    EXPECT_EQ(form["grant_type"], "client_credentials");
    EXPECT_EQ(form["client_id"], "00000000-0000-0000-0000-000000000001");
    EXPECT_EQ(form["client_secret"], "s3cr+t&=");  // form-encoded on the way, intact on arrival
    EXPECT_EQ(form["scope"], "https://outlook.office365.com/.default");
    EXPECT_EQ(form.count("refresh_token"), 0u);
    provider.refused("tok-older");  // not the current one: nothing changes
    EXPECT_EQ(provider.token(), "tok1");
    provider.refused("tok1");
    EXPECT_EQ(provider.token(), "tok2");
    EXPECT_EQ(provider.requests(), 2u);
}

TEST(OAuth2TokenProvider, ExpiredTokenIsRenewed) {
    Endpoint endpoint;
    int issued = 0;
    endpoint.reply = [&](const Poco::Net::NameValueCollection&) {
        return Answer{200, R"({"access_token":"t)" + std::to_string(++issued) + R"(","expires_in":0})"};
    };
    ::setenv("DULY_TEST_OAUTH_SECRET", "envsecret", 1);
    OAuth2Settings s;
    s.tokenUrl = endpoint.url();
    s.clientId = "c";
    s.clientSecretEnv = "DULY_TEST_OAUTH_SECRET";
    s.scope = "x";
    OAuth2TokenProvider provider(s);
    EXPECT_EQ(provider.token(), "t1");
    EXPECT_EQ(provider.token(), "t2");  // already due: fetched again
    EXPECT_EQ(endpoint.forms.at(1)["client_secret"], "envsecret");
}

TEST(OAuth2TokenProvider, RefreshGrantAndRotation) {
    TempDir dir;
    write(dir.path() / "refresh", "1//first-refresh\n");
    Endpoint endpoint;
    endpoint.reply = [&](const Poco::Net::NameValueCollection& form) {
        if (form.get("refresh_token", "") == "1//first-refresh")
            return Answer{200, R"({"access_token":"ya29.a","expires_in":0,"refresh_token":"1//second-refresh"})"};
        return Answer{200, R"({"access_token":"ya29.b","expires_in":3600})"};
    };
    OAuth2Settings s;
    s.tokenUrl = endpoint.url();
    s.clientId = "123.apps.googleusercontent.com";
    s.clientSecretEnv = "DULY_TEST_OAUTH_SECRET";
    s.refreshTokenFile = (dir.path() / "refresh").string();
    ::setenv("DULY_TEST_OAUTH_SECRET", "gsecret", 1);
    OAuth2TokenProvider provider(s);
    EXPECT_EQ(provider.token(), "ya29.a");
    EXPECT_EQ(endpoint.forms[0]["grant_type"], "refresh_token");
    EXPECT_EQ(endpoint.forms[0]["refresh_token"], "1//first-refresh");
    EXPECT_EQ(endpoint.forms[0]["client_secret"], "gsecret");
    EXPECT_EQ(endpoint.forms[0].count("scope"), 0u);
    // The endpoint handed back a new refresh token: used next, and saved for the next start.
    EXPECT_EQ(readLine(dir.path() / "refresh"), "1//second-refresh");
    EXPECT_EQ(provider.token(), "ya29.b");
    EXPECT_EQ(endpoint.forms[1]["refresh_token"], "1//second-refresh");
}

TEST(OAuth2TokenProvider, EndpointErrorsNameTheEndpointNotTheSecret) {
    TempDir dir;
    write(dir.path() / "secret", "Qx9~revoked-secret-value\n");
    Endpoint endpoint;
    Answer answer;
    endpoint.reply = [&](const Poco::Net::NameValueCollection&) { return answer; };
    OAuth2Settings s;
    s.who = "smtp";
    s.tokenUrl = endpoint.url();
    s.clientId = "c";
    s.clientSecretFile = (dir.path() / "secret").string();
    s.scope = "x";
    OAuth2TokenProvider provider(s);
    // An endpoint that echoes the secret (some do, in descriptions) must not get it into a log.
    answer = {401, R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: Qx9~revoked-secret-value"})"};
    const std::string message = errorOf(provider);
    EXPECT_EQ(message, "smtp: the token endpoint " + endpoint.url() +
                           " refused: invalid_client: AADSTS7000215: Invalid client secret provided: [hidden] (check the "
                           "client id and that the client secret has not expired or been replaced)");
    answer = {500, "<html>Service Unavailable</html>"};
    EXPECT_EQ(errorOf(provider), "smtp: the token endpoint " + endpoint.url() + " answered HTTP 500 with something other than JSON");
    answer = {200, R"({"token_type":"Bearer"})"};
    EXPECT_EQ(errorOf(provider), "smtp: the token endpoint " + endpoint.url() + " answered without an access_token");
    // A token that would add a SASL field or an IMAP command is refused, and not repeated.
    answer = {200, "{\"access_token\":\"abc\\r\\nA1 DELETE INBOX\",\"expires_in\":60}"};
    EXPECT_EQ(errorOf(provider), "smtp: the token endpoint " + endpoint.url() + " answered with an access token that is not a bearer token");
    answer = {200, R"({"access_token":"abc","token_type":"mac"})"};
    EXPECT_EQ(errorOf(provider).find("not Bearer") != std::string::npos, true);
    answer = {200, R"({"access_token":"abc","expires_in":"soon"})"};
    EXPECT_NE(errorOf(provider).find("expires_in \"soon\""), std::string::npos);
    answer = {200, R"({"access_token":"abc","expires_in":-5})"};
    EXPECT_NE(errorOf(provider).find("not a number of seconds"), std::string::npos);
    answer = {200, std::string(300 * 1024, ' ')};
    EXPECT_NE(errorOf(provider).find("more than 256 KiB"), std::string::npos);
    // A terminal escape, written as JSON's \u001b so the JSON is valid and decodes to ESC.
    answer = {400, R"({"error":"invalid_scope","error_description":"\u001b[31mred"})"};
    const std::string escaped = errorOf(provider);
    EXPECT_EQ(escaped.find('\x1b'), std::string::npos);
    EXPECT_NE(escaped.find("refused: invalid_scope:"), std::string::npos);
}

TEST(OAuth2TokenProvider, MissingSecretOrRefreshToken) {
    Endpoint endpoint;
    endpoint.reply = [](const Poco::Net::NameValueCollection&) { return Answer{200, R"({"access_token":"t"})"}; };
    OAuth2Settings s;
    s.tokenUrl = endpoint.url();
    s.clientId = "c";
    EXPECT_THROW(OAuth2TokenProvider{s}, OAuth2Error);  // neither a secret nor a refresh token
    s.clientSecretEnv = "DULY_TEST_OAUTH_UNSET_VARIABLE";
    ::unsetenv("DULY_TEST_OAUTH_UNSET_VARIABLE");
    OAuth2TokenProvider provider(s);
    EXPECT_EQ(errorOf(provider), "the environment variable DULY_TEST_OAUTH_UNSET_VARIABLE (oauth2_client_secret_env) is not set");
    EXPECT_TRUE(endpoint.forms.empty());
    s.clientSecretEnv.clear();
    s.clientSecretFile = "/nonexistent/duly-secret";
    OAuth2TokenProvider fromFile(s);
    EXPECT_EQ(errorOf(fromFile), "cannot read the oauth2_client_secret file /nonexistent/duly-secret");
}

TEST(OAuth2TokenProvider, UnreachableEndpoint) {
    std::string url;
    {
        Endpoint gone;
        url = gone.url();
    }
    OAuth2Settings s;
    s.tokenUrl = url;
    s.clientId = "c";
    s.clientSecretEnv = "DULY_TEST_OAUTH_SECRET";
    ::setenv("DULY_TEST_OAUTH_SECRET", "x", 1);
    OAuth2TokenProvider provider(s);
    EXPECT_EQ(errorOf(provider).rfind("cannot reach the token endpoint " + url + ": ", 0), 0u);
}
