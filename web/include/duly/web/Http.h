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
    std::string remoteAddress;  // "127.0.0.1" (no port)
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

}  // namespace duly::web
