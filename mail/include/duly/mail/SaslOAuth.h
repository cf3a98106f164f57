// SaslOAuth: the client side of the two SASL mechanisms that carry an OAuth
// 2.0 bearer token to a mail server — XOAUTH2 (Google's and Microsoft's)
// and OAUTHBEARER (RFC 7628) — shared by the IMAP client and the SMTP
// transport. It owns the choice between them, the bytes of the client's
// message, and the reading of the server's error challenge (base64 JSON
// such as {"status":"401","schemes":"bearer"}) into words for a message.
// A user name or token that could forge a field of the message is refused
// with SaslError; nothing here ever puts a token into an error.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace duly::mail {

class SaslError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class OAuthMechanism { XOAuth2, OAuthBearer };

// OAUTHBEARER (the standard) when the server offers it, else XOAUTH2
// (Microsoft 365 offers only that); nothing when it offers neither.
std::optional<OAuthMechanism> chooseOAuthMechanism(bool offersOAuthBearer, bool offersXOAuth2);
const char* mechanismName(OAuthMechanism mechanism);

// The client's first message, before base64. For OAUTHBEARER the host and
// port are those the client connected to (RFC 7628 §3.1). Throws SaslError
// when the user is empty or holds a control character, or the token is not
// an RFC 6750 b64token.
std::string oauthInitialResponse(OAuthMechanism mechanism, const std::string& user, const std::string& token,
                                 const std::string& host, unsigned port);

// What the client answers to an error challenge so that the server ends
// the exchange with its failure reply: an empty response for XOAUTH2, a
// single ^A for OAUTHBEARER (RFC 7628 §3.2.3).
std::string oauthErrorAcknowledgement(OAuthMechanism mechanism);

// True when `token` is an RFC 6750 b64token: letters, digits, - . _ ~ + /
// then any '='. Such a token cannot end a field or a line.
bool isBearerToken(std::string_view token);

// Base64 without line breaks, and its strict inverse (nothing when the text
// is not base64).
std::string saslBase64(std::string_view bytes);
std::optional<std::string> saslUnbase64(std::string_view text);

// The server's error challenge (base64 of a JSON object) as words for a
// message, e.g. "status 401, schemes bearer, scope https://mail.google.com/".
// Whatever the server sent, the result is at most 300 printable ASCII
// characters; a challenge that is not base64 JSON is described as such.
std::string describeOAuthChallenge(std::string_view base64);

}  // namespace duly::mail
