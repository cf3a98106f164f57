// Forms, query strings, cookies and the router: tables of input and the
// exact result, including the limits.
#include "duly/web/Http.h"
#include "duly/web/Router.h"

#include <gtest/gtest.h>

using namespace duly::web;

namespace {

TEST(Forms, DecodeTable) {
    struct Row {
        const char* text;
        Fields expected;
    };
    const Row rows[] = {
        {"", {}},
        {"a=1", {{"a", "1"}}},
        {"a=1&b=x+y%21", {{"a", "1"}, {"b", "x y!"}}},
        {"a=%E2%9A%A0", {{"a", "\xE2\x9A\xA0"}}},
        {"a=%zz&b=%4", {{"a", "%zz"}, {"b", "%4"}}},  // bad escapes kept as written
        {"a&&b=", {{"a", ""}, {"b", ""}}},
        {"a=1&a=2", {{"a", "1"}}},                     // the first value wins
        {"%3Cs%3E=%22", {{"<s>", "\""}}},
    };
    for (const auto& row : rows) EXPECT_EQ(parseForm(row.text), row.expected) << row.text;
}

TEST(Forms, LimitsAreEnforced) {
    EXPECT_THROW(parseForm(std::string(kMaxFormBytes + 1, 'a')), FormTooLarge);
    std::string many;
    for (std::size_t i = 0; i <= kMaxFields; ++i) many += "f" + std::to_string(i) + "=1&";
    EXPECT_THROW(parseForm(many), FormTooLarge);
    EXPECT_NO_THROW(parseForm(std::string(kMaxFormBytes, 'a')));
}

TEST(Forms, UrlEncodeRoundTrips) {
    EXPECT_EQ(urlEncode("/my-work?x=1 2"), "%2Fmy-work%3Fx%3D1%202");
    std::string all;
    for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
    EXPECT_EQ(parseForm("v=" + urlEncode(all)).at("v"), all);
}

TEST(Cookies, ParseTable) {
    EXPECT_EQ(parseCookies("a=1; b=2"), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
    EXPECT_EQ(parseCookies(" duly_session = abc ;junk; =x"), (std::map<std::string, std::string>{{"duly_session", "abc"}}));
    EXPECT_TRUE(parseCookies("").empty());
}

Handler answer(std::string text) {
    return [text](Request& r) {
        std::string params;
        for (const auto& [k, v] : r.params) params += k + "=" + v + ";";
        return Response::text(200, text + " " + params);
    };
}

TEST(Router, MatchesLiteralAndNamedSegments) {
    Router router;
    router.add("GET", "/cases/{ref}", answer("case"));
    router.add("POST", "/cases/{ref}/{action}", answer("act"));
    router.add("GET", "/", answer("root"));
    Request r;
    r.method = "GET";
    r.path = "/cases/PHG-2026-00001";
    EXPECT_EQ(router.route(r).body, "case ref=PHG-2026-00001;");
    r.path = "/cases/PHG-2026-00001/";  // a trailing slash is the same path
    EXPECT_EQ(router.route(r).body, "case ref=PHG-2026-00001;");
    r.path = "/";
    EXPECT_EQ(router.route(r).body, "root ");
    r.method = "POST";
    r.path = "/cases/X/close";
    EXPECT_EQ(router.route(r).body, "act action=close;ref=X;");
    r.method = "HEAD";
    r.path = "/cases/X";
    EXPECT_EQ(router.route(r).status, 200);  // HEAD is answered as GET
}

TEST(Router, UnknownPathIs404AndWrongMethod405WithAllow) {
    Router router;
    router.add("GET", "/reports", answer("r"));
    router.add("POST", "/reports", answer("r"));
    Request r;
    r.method = "GET";
    r.path = "/nothing";
    EXPECT_EQ(router.route(r).status, 404);
    r.path = "/reports/x";
    EXPECT_EQ(router.route(r).status, 404);
    r.method = "DELETE";
    r.path = "/reports";
    auto resp = router.route(r);
    EXPECT_EQ(resp.status, 405);
    EXPECT_EQ(resp.header("Allow").value_or(""), "GET, POST");
}

TEST(Router, BadPatternsAreRefused) {
    Router router;
    EXPECT_THROW(router.add("GET", "cases", answer("")), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/cases/{ref", answer("")), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/cases/x{ref}", answer("")), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/cases/{}", answer("")), std::invalid_argument);
}

TEST(ClientAddress, ForwardedForIsBelievedOnlyFromATrustedProxy) {
    const std::vector<std::string> proxies = {"10.0.0.1", "10.0.0.2"};
    // Not a proxy: the header is the client's own claim, ignored.
    EXPECT_EQ(clientAddress("198.51.100.7", "203.0.113.5", proxies), "198.51.100.7");
    EXPECT_EQ(clientAddress("198.51.100.7", "", {}), "198.51.100.7");
    // From a proxy: the right-most address that is not a trusted proxy.
    EXPECT_EQ(clientAddress("10.0.0.1", "203.0.113.5", proxies), "203.0.113.5");
    EXPECT_EQ(clientAddress("10.0.0.1", "1.2.3.4, 203.0.113.5", proxies), "203.0.113.5");  // 1.2.3.4: made up by the client
    EXPECT_EQ(clientAddress("10.0.0.1", "203.0.113.5, 10.0.0.2", proxies), "203.0.113.5");
    EXPECT_EQ(clientAddress("10.0.0.1", " 2001:db8::1 ", proxies), "2001:db8::1");
    // Garbage stops the walk at the last address a trusted proxy vouched for.
    EXPECT_EQ(clientAddress("10.0.0.1", "evil, 10.0.0.2", proxies), "10.0.0.2");
    EXPECT_EQ(clientAddress("10.0.0.1", "not an address", proxies), "10.0.0.1");
    // IPv4 seen through an IPv6 socket is the same address.
    EXPECT_EQ(clientAddress("::ffff:10.0.0.1", "203.0.113.5", proxies), "203.0.113.5");
    EXPECT_EQ(canonicalAddress("::ffff:192.0.2.1"), std::optional<std::string>("192.0.2.1"));
    EXPECT_EQ(canonicalAddress("[::1]"), std::optional<std::string>("::1"));
    EXPECT_FALSE(canonicalAddress("localhost"));
}

}  // namespace
