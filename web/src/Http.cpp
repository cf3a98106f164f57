// Http: form, query and cookie decoding for the dashboard; see Http.h.
#include "duly/web/Http.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace duly::web {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 &&
                   hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

Fields parseForm(std::string_view text) {
    if (text.size() > kMaxFormBytes)
        throw FormTooLarge("the form is " + std::to_string(text.size()) + " bytes; at most " +
                           std::to_string(kMaxFormBytes) + " are accepted");
    Fields fields;
    std::size_t count = 0;
    while (!text.empty()) {
        auto amp = text.find('&');
        auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        if (++count > kMaxFields)
            throw FormTooLarge("the form has more than " + std::to_string(kMaxFields) + " fields");
        auto eq = pair.find('=');
        auto name = decode(pair.substr(0, eq));
        auto value = eq == std::string_view::npos ? std::string{} : decode(pair.substr(eq + 1));
        fields.emplace(std::move(name), std::move(value));
    }
    return fields;
}

std::string urlEncode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::map<std::string, std::string> parseCookies(std::string_view header) {
    std::map<std::string, std::string> cookies;
    while (!header.empty()) {
        auto semi = header.find(';');
        auto pair = trim(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        cookies.emplace(std::string(trim(pair.substr(0, eq))), std::string(trim(pair.substr(eq + 1))));
    }
    return cookies;
}

std::string Request::field(const std::string& name) const {
    if (auto f = form.find(name); f != form.end()) return f->second;
    if (auto q = query.find(name); q != query.end()) return q->second;
    return {};
}

std::string Request::param(const std::string& name) const {
    auto p = params.find(name);
    return p == params.end() ? std::string{} : p->second;
}

Response Response::redirect(const std::string& location) {
    Response r;
    r.status = 303;
    r.contentType = "text/plain; charset=utf-8";
    r.body = "See " + location + "\n";
    r.headers.emplace_back("Location", location);
    return r;
}

Response Response::text(int status, std::string body) {
    Response r;
    r.status = status;
    r.contentType = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

void Response::setHeader(const std::string& name, const std::string& value) {
    for (auto& h : headers)
        if (h.first == name) {
            h.second = value;
            return;
        }
    headers.emplace_back(name, value);
}

std::optional<std::string> Response::header(const std::string& name) const {
    for (const auto& h : headers)
        if (h.first == name) return h.second;
    return std::nullopt;
}

void addSecurityHeaders(Response& response) {
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                       "frame-ancestors 'none'; base-uri 'none'");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (!response.header("Cache-Control")) response.setHeader("Cache-Control", "no-store");
}

std::optional<std::string> canonicalAddress(const std::string& text) {
    auto t = std::string(trim(text));
    if (t.size() > 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
    char out[INET6_ADDRSTRLEN] = {};
    unsigned char v4[4], v6[16];
    if (::inet_pton(AF_INET, t.c_str(), v4) == 1) return std::string(::inet_ntop(AF_INET, v4, out, sizeof out));
    if (::inet_pton(AF_INET6, t.c_str(), v6) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(v6, mapped, 12) == 0) return std::string(::inet_ntop(AF_INET, v6 + 12, out, sizeof out));
        return std::string(::inet_ntop(AF_INET6, v6, out, sizeof out));
    }
    return std::nullopt;
}

std::string clientAddress(const std::string& peer, const std::string& forwardedFor,
                          const std::vector<std::string>& trustedProxies) {
    auto trusted = [&](const std::string& a) {
        return std::find(trustedProxies.begin(), trustedProxies.end(), a) != trustedProxies.end();
    };
    std::string client = canonicalAddress(peer).value_or(peer);
    if (!trusted(client) || forwardedFor.empty()) return client;
    // Right to left: each hop appended the address it saw.
    std::string_view rest = forwardedFor;
    while (!rest.empty()) {
        auto comma = rest.rfind(',');
        auto hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        auto address = canonicalAddress(std::string(hop));
        if (!address) return client;  // garbage: believe no further
        client = *address;
        if (!trusted(client)) return client;
    }
    return client;
}

}  // namespace duly::web
