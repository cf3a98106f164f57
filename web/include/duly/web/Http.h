// Http: the request and response the dashboard's handlers see, as plain
// data, so that routing, pages and security checks can be tested without a
// socket. WebServer (WebServer.h) fills a Request from Poco's and writes the
// Response back. Parsing here is bounded: a form or query larger than
// kMaxFormBytes, or with more than kMaxFields fields, is refused with
// FormTooLarge rather than read.
#pragma once

#include <any>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace duly::web {

inline constexpr std::size_t kMaxFormBytes = 64 * 1024;
inline constexpr std::size_t kMaxFields = 64;

struct FormTooLarge : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Name → value; a name given twice keeps its first value.
using Fields = std::map<std::string, std::string>;

// Decodes application/x-www-form-urlencoded text ("a=1&b=x+y%21").
// Malformed percent escapes are kept as written. Throws FormTooLarge past the
// limits above.
Fields parseForm(std::string_view text);

// Percent-encodes everything but unreserved characters (for query strings
// and Location headers).
std::string urlEncode(std::string_view text);

// "a=1; b=2" → {a: 1, b: 2}.
std::map<std::string, std::string> parseCookies(std::string_view header);

struct Request {
    std::string method;  // "GET", "POST", …
    std::string path;    // without the query string
    Fields query;
    Fields form;         // POST bodies (urlencoded)
    std::map<std::string, std::string> cookies;
    std::string remoteAddress;  // "127.0.0.1" (no port): the client, once Dashboard::handle has resolved it
    std::string forwardedFor;   // the X-Forwarded-For header as received (used only from a trusted proxy)
    std::map<std::string, std::string> params;  // filled by the router: {ref} → value
    std::any context;  // what the layer above the router hands its handlers (the signed-in viewer)

    // The field from the form, else the query; empty when absent.
    std::string field(const std::string& name) const;
    std::string param(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::string contentType = "text/html; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, Location, …)

    static Response redirect(const std::string& location);  // 303 See Other
    static Response text(int status, std::string body);
    void setHeader(const std::string& name, const std::string& value);
    std::optional<std::string> header(const std::string& name) const;
};

// Adds the headers every answer carries, whoever makes it (the dashboard,
// or the server refusing a request it could not read): no framing, no
// inline script or style, nothing from other origins, no sniffing, no
// caching unless the answer says otherwise.
void addSecurityHeaders(Response& response);

// The client's address: `peer` (the socket's), unless `peer` is one of
// `trustedProxies`; then the right-most address in `forwardedFor`
// (X-Forwarded-For) that is not itself a trusted proxy, because each proxy
// appends what it saw and only what trusted proxies appended can be
// believed. Entries that are not IP addresses are not believed either: the
// last trusted hop's view stands. Addresses are compared in their canonical
// text form (IPv4-mapped IPv6 as IPv4).
std::string clientAddress(const std::string& peer, const std::string& forwardedFor,
                          const std::vector<std::string>& trustedProxies);

// The address in canonical text ("::ffff:10.0.0.1" → "10.0.0.1"), or
// nothing when `text` is not an IP address.
std::optional<std::string> canonicalAddress(const std::string& text);

}  // namespace duly::web
