// The real HTTP server on a loopback port (chosen by the system), driven by
// Poco's HTTPClientSession as a browser would: sign in through the form,
// keep the cookie, see the due list, act on a case with the page's CSRF
// token, and be refused where the role or team does not allow.
#include "WebFixture.h"

#include "duly/web/WebServer.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <regex>

using namespace duly::web;
using namespace duly::web::test;

namespace {

struct Answer {
    int status = 0;
    std::string body;
    Poco::Net::HTTPResponse head;
};

class Browser {
public:
    explicit Browser(unsigned port) : _session("127.0.0.1", static_cast<Poco::UInt16>(port)) {}

    Answer get(const std::string& path) { return send(Poco::Net::HTTPRequest::HTTP_GET, path, ""); }
    Answer post(const std::string& path, const std::string& form) {
        return send(Poco::Net::HTTPRequest::HTTP_POST, path, form);
    }
    std::string cookies() const {
        std::string s;
        for (const auto& [k, v] : _cookies) s += (s.empty() ? "" : "; ") + k + "=" + v;
        return s;
    }

private:
    Answer send(const std::string& method, const std::string& path, const std::string& form) {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!_cookies.empty()) request.set("Cookie", cookies());
        if (method == Poco::Net::HTTPRequest::HTTP_POST) {
            request.setContentType("application/x-www-form-urlencoded");
            request.setContentLength(static_cast<std::streamsize>(form.size()));
            _session.sendRequest(request) << form;
        } else {
            _session.sendRequest(request);
        }
        Answer a;
        auto& in = _session.receiveResponse(a.head);
        Poco::StreamCopier::copyToString(in, a.body);
        a.status = a.head.getStatus();
        std::vector<Poco::Net::HTTPCookie> set;
        a.head.getCookies(set);
        for (const auto& c : set) {
            if (c.getMaxAge() == 0) _cookies.erase(c.getName());
            else _cookies[c.getName()] = c.getValue();
        }
        return a;
    }
    Poco::Net::HTTPClientSession _session;
    std::map<std::string, std::string> _cookies;
};

std::string hiddenValue(const std::string& page, const std::string& name) {
    std::smatch m;
    std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(page, m, re) ? m[1].str() : std::string{};
}

std::string signIn(Browser& b, const std::string& user) {
    auto page = b.get("/sign-in");
    EXPECT_EQ(page.status, 200);
    auto token = hiddenValue(page.body, "login_token");
    auto r = b.post("/sign-in", "login_token=" + token + "&next=%2Fmy-work&user=" + user + "&password=" +
                                    urlEncode(kPassword));
    EXPECT_EQ(r.status, 303) << r.body;
    return r.head.get("Location", "");
}

TEST(HttpServer, SignInSeeTheQueueActAndBeRefused) {
    WebFixture f;
    WebServer server(f.dashboard, "127.0.0.1", 0, 4);
    server.start();
    ASSERT_NE(server.port(), 0u);
    EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/");

    Browser anonymous(server.port());
    auto first = anonymous.get("/my-work");
    EXPECT_EQ(first.status, 303);
    EXPECT_EQ(first.head.get("Location", ""), "/sign-in?next=%2Fmy-work");
    EXPECT_EQ(first.head.get("X-Frame-Options", ""), "DENY");
    EXPECT_EQ(first.head.getReason(), "See Other");

    Browser sali(server.port());
    EXPECT_EQ(signIn(sali, "sali"), "/my-work");
    auto queue = sali.get("/my-work");
    ASSERT_EQ(queue.status, 200);
    EXPECT_EQ(queue.head.getContentType(), "text/html; charset=utf-8");
    EXPECT_NE(queue.body.find("Acknowledge by Tuesday 24 November, 5pm"), std::string::npos);
    EXPECT_NE(queue.body.find(f.replyCase), std::string::npos);

    // Act on a case with the token from the page.
    auto page = sali.get("/cases/" + f.replyCase);
    ASSERT_EQ(page.status, 200);
    auto csrf = hiddenValue(page.body, "csrf");
    ASSERT_EQ(csrf.size(), 64u);
    auto done = sali.post("/cases/" + f.replyCase + "/reply", "csrf=" + csrf);
    EXPECT_EQ(done.status, 303);
    EXPECT_EQ(done.head.get("Location", ""), "/cases/" + f.replyCase + "?done=reply");
    EXPECT_TRUE(f.store.findCase(f.replyCase)->repliedAt);
    EXPECT_EQ(sali.get("/my-work").body.find(f.replyCase), std::string::npos);

    // Refused: a forged token, another team's case, a manager's page.
    EXPECT_EQ(sali.post("/cases/" + f.ackCase + "/acknowledge", "csrf=" + std::string(64, '0')).status, 403);
    EXPECT_FALSE(f.store.findCase(f.ackCase)->acknowledgedAt);
    EXPECT_EQ(sali.get("/cases/" + f.otherTeamCase).status, 403);
    EXPECT_EQ(sali.get("/reports").status, 403);
    // A form too large is refused before it is read.
    EXPECT_EQ(sali.post("/cases/" + f.ackCase + "/acknowledge", "csrf=" + csrf + "&x=" + std::string(70000, 'a')).status, 413);

    // The manager sees the report, and the CSV.
    Browser manager(server.port());
    signIn(manager, "rhughes");
    auto report = manager.get("/reports?from=2026-11-01&to=2026-11-30&by=channel");
    EXPECT_EQ(report.status, 200);
    EXPECT_NE(report.body.find("Charter performance"), std::string::npos);
    auto csv = manager.get("/reports.csv?from=2026-11-01&to=2026-11-30&by=channel");
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body.rfind("channel,cases,", 0), 0u);

    // Signing out ends it.
    auto out = sali.post("/sign-out", "csrf=" + csrf);
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(sali.get("/my-work").status, 303);
    server.stop();
}

TEST(HttpServer, APortInUseIsAnError) {
    WebFixture f;
    WebServer first(f.dashboard, "127.0.0.1", 0, 1);
    EXPECT_THROW(WebServer(f.dashboard, "127.0.0.1", first.port(), 1), std::exception);
}

void expectSecurityHeaders(const Poco::Net::HTTPResponse& head) {
    EXPECT_NE(head.get("Content-Security-Policy", "").find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(head.get("X-Content-Type-Options", ""), "nosniff");
    EXPECT_EQ(head.get("X-Frame-Options", ""), "DENY");
    EXPECT_EQ(head.get("Cache-Control", ""), "no-store");
}

TEST(HttpServer, EveryAnswerCarriesTheSecurityHeadersEvenA400OrA413) {
    WebFixture f;
    WebServer server(f.dashboard, "127.0.0.1", 0, 4);
    server.start();
    {
        Browser b(server.port());
        auto tooLarge = b.post("/sign-in", "x=" + std::string(70000, 'a'));
        ASSERT_EQ(tooLarge.status, 413);
        expectSecurityHeaders(tooLarge.head);
    }
    {
        Browser b(server.port());
        auto bad = b.get("/cases/%zz");  // a percent escape that does not decode
        ASSERT_EQ(bad.status, 400) << bad.body;
        expectSecurityHeaders(bad.head);
    }
    server.stop();
}

TEST(HttpServer, IdleConnectionsFromOneAddressDoNotMakeTheDashboardUnresponsive) {
    WebFixture f;
    WebServer server(f.dashboard, "127.0.0.1", 0);  // 128 threads, 32 connections an address
    server.start();
    // 140 connections that never send a byte, from 127.0.0.1.
    std::vector<Poco::Net::StreamSocket> idle;
    for (int i = 0; i < 140; ++i) idle.emplace_back(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
    // An officer on another address is still answered: the server does
    // not sit with all its threads waiting on the idle ones. (The time out
    // is only there so that a failure ends; the old server held every
    // thread for 30 seconds.)
    Poco::Net::StreamSocket fromElsewhere(Poco::Net::SocketAddress::IPv4);
    fromElsewhere.impl()->bind(Poco::Net::SocketAddress("127.0.0.2", 0), false);
    fromElsewhere.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
    fromElsewhere.setReceiveTimeout(Poco::Timespan(4, 0));
    Poco::Net::HTTPClientSession officer(fromElsewhere);
    officer.setTimeout(Poco::Timespan(4, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/sign-in", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
    officer.sendRequest(request);
    Poco::Net::HTTPResponse head;
    std::string body;
    Poco::StreamCopier::copyToString(officer.receiveResponse(head), body);
    EXPECT_EQ(head.getStatus(), 200);
    EXPECT_NE(body.find("Sign in to Duly"), std::string::npos);
    // Those beyond 32 from the one address were told so and closed.
    // The last to come are the ones refused: read them first.
    int refused = 0;
    for (auto it = idle.rbegin(); it != idle.rend(); ++it) {
        auto& s = *it;
        s.setReceiveTimeout(Poco::Timespan(0, 200000));
        char buffer[64] = {};
        try {
            if (s.receiveBytes(buffer, sizeof buffer - 1) > 0 && std::string(buffer).rfind("HTTP/1.1 503", 0) == 0) ++refused;
        } catch (const Poco::TimeoutException&) {
            // one of the 32 kept: nothing to read yet
        }
        if (refused >= 140 - 32) break;
    }
    EXPECT_EQ(refused, 140 - 32);
    for (auto& s : idle) s.close();
    server.stop();
}

}  // namespace
