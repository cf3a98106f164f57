// SaslOAuth: XOAUTH2 and OAUTHBEARER messages and the error challenge. The
// challenge comes from the server and is treated as hostile: bounded,
// decoded strictly, and only printable ASCII of it reaches a message.
#include "duly/mail/SaslOAuth.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace duly::mail {
namespace {

// Printable ASCII only, at most `limit` characters.
std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    for (const char c : text) {
        if (out.size() >= limit) {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    return out;
}

void checkUser(const std::string& user) {
    if (user.empty()) throw SaslError("OAuth 2.0 sign-in needs a username (the mailbox's address)");
    if (std::any_of(user.begin(), user.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        throw SaslError("the username \"" + printable(user, 100) + "\" contains a control character");
}

}  // namespace

std::optional<OAuthMechanism> chooseOAuthMechanism(bool offersOAuthBearer, bool offersXOAuth2) {
    if (offersOAuthBearer) return OAuthMechanism::OAuthBearer;
    if (offersXOAuth2) return OAuthMechanism::XOAuth2;
    return std::nullopt;
}

const char* mechanismName(OAuthMechanism mechanism) {
    return mechanism == OAuthMechanism::XOAuth2 ? "XOAUTH2" : "OAUTHBEARER";
}

bool isBearerToken(std::string_view token) {
    std::size_t i = 0;
    while (i < token.size()) {
        const char c = token[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                        c == '_' || c == '~' || c == '+' || c == '/';
        if (!ok) break;
        ++i;
    }
    if (i == 0) return false;
    while (i < token.size() && token[i] == '=') ++i;
    return i == token.size();
}

std::string oauthInitialResponse(OAuthMechanism mechanism, const std::string& user, const std::string& token,
                                 const std::string& host, unsigned port) {
    checkUser(user);
    if (!isBearerToken(token)) throw SaslError("the access token is not a bearer token (RFC 6750 b64token); not sent");
    if (mechanism == OAuthMechanism::XOAuth2) return "user=" + user + "\x01" "auth=Bearer " + token + "\x01\x01";
    // RFC 5801 saslname: ',' and '=' are written =2C and =3D.
    std::string name;
    for (const char c : user) {
        if (c == ',') name += "=2C";
        else if (c == '=') name += "=3D";
        else name += c;
    }
    if (host.find_first_of("\x01,\r\n") != std::string::npos) throw SaslError("the host name contains a separator");
    return "n,a=" + name + ",\x01" "host=" + host + "\x01" "port=" + std::to_string(port) + "\x01" "auth=Bearer " + token +
           "\x01\x01";
}

std::string oauthErrorAcknowledgement(OAuthMechanism mechanism) {
    return mechanism == OAuthMechanism::XOAuth2 ? std::string() : std::string("\x01");
}

std::string saslBase64(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

std::optional<std::string> saslUnbase64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        // '=' only as the last one or two characters.
        if (!alphabet && !(c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text.back() == '='))) return std::nullopt;
    }
    try {
        std::istringstream in{std::string(text)};
        Poco::Base64Decoder decoder(in);
        std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        return out;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::string describeOAuthChallenge(std::string_view base64) {
    if (base64.empty()) return "no details";
    if (base64.size() > 8192) return "an error challenge too long to read";
    const auto json = saslUnbase64(base64);
    if (!json) return "an error challenge that is not base64: \"" + printable(base64, 80) + "\"";
    std::string out;
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(*json).extract<Poco::JSON::Object::Ptr>();
        if (!object) throw Poco::Exception("not an object");
        for (const char* key : {"status", "schemes", "scope"}) {
            if (!object->has(key)) continue;
            const Poco::Dynamic::Var value = object->get(key);
            if (value.isEmpty()) continue;
            out += std::string(out.empty() ? "" : ", ") + key + " " + printable(value.toString(), 120);
        }
    } catch (const std::exception&) {
        return "an error challenge that is not JSON: \"" + printable(*json, 120) + "\"";
    }
    return out.empty() ? "an error challenge without a status" : printable(out, 300);
}

}  // namespace duly::mail
