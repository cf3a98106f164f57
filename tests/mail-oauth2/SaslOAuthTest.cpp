// SaslOAuth: the client messages of XOAUTH2 and OAUTHBEARER against the
// examples in Google's XOAUTH2 protocol page and RFC 7628 §4.1, the
// escaping of the user name, refusal of values that could forge a field,
// and the server's error challenge read as hostile input.
#include "duly/mail/SaslOAuth.h"

#include <gtest/gtest.h>

using namespace duly::mail;

TEST(SaslOAuth, Xoauth2MatchesGooglesExample) {
    const std::string raw = oauthInitialResponse(OAuthMechanism::XOAuth2, "someuser@example.com",
                                                 "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", "imap.gmail.com", 993);
    EXPECT_EQ(raw, std::string("user=someuser@example.com\x01" "auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"));
    // The base64 Google's page shows for the same values.
    EXPECT_EQ(saslBase64(raw),
              "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
}

TEST(SaslOAuth, OauthbearerMatchesRfc7628) {
    const std::string raw = oauthInitialResponse(OAuthMechanism::OAuthBearer, "user@example.com",
                                                 "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==", "server.example.com", 143);
    EXPECT_EQ(raw, std::string("n,a=user@example.com,\x01" "host=server.example.com\x01" "port=143\x01"
                               "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"));
}

TEST(SaslOAuth, OauthbearerEscapesCommaAndEquals) {
    const std::string raw = oauthInitialResponse(OAuthMechanism::OAuthBearer, "a,b=c@example.org", "t0k", "h", 1);
    EXPECT_EQ(raw.substr(0, 26), "n,a=a=2Cb=3Dc@example.org,");
}

TEST(SaslOAuth, RefusesValuesThatCouldForgeAField) {
    // A token endpoint under an attacker's control must not be able to add
    // fields (^A) or commands (CR LF) through the token.
    for (const std::string token : {"abc\x01" "auth=Bearer x", "abc\r\nA1 LOGOUT", "abc def", "", "=abc", "ab=c"})
        EXPECT_THROW(oauthInitialResponse(OAuthMechanism::XOAuth2, "u@example.org", token, "h", 1), SaslError) << token;
    EXPECT_THROW(oauthInitialResponse(OAuthMechanism::XOAuth2, "u\x01" "auth=Bearer forged", "tok", "h", 1), SaslError);
    EXPECT_THROW(oauthInitialResponse(OAuthMechanism::XOAuth2, "", "tok", "h", 1), SaslError);
    EXPECT_THROW(oauthInitialResponse(OAuthMechanism::OAuthBearer, "u@example.org", "tok", "h\x01" "x", 1), SaslError);
    try {
        oauthInitialResponse(OAuthMechanism::XOAuth2, "u@example.org", "secret-token\n", "h", 1);
        FAIL();
    } catch (const SaslError& e) {
        EXPECT_EQ(std::string(e.what()).find("secret-token"), std::string::npos) << "the token must not be in the message";
    }
    EXPECT_TRUE(isBearerToken("ya29.a0-_~+/xyz=="));
}

TEST(SaslOAuth, PrefersOauthbearerAndFallsBackToXoauth2) {
    EXPECT_EQ(chooseOAuthMechanism(true, true), OAuthMechanism::OAuthBearer);
    EXPECT_EQ(chooseOAuthMechanism(false, true), OAuthMechanism::XOAuth2);  // Microsoft 365
    EXPECT_EQ(chooseOAuthMechanism(false, false), std::nullopt);
    EXPECT_EQ(oauthErrorAcknowledgement(OAuthMechanism::XOAuth2), "");
    EXPECT_EQ(oauthErrorAcknowledgement(OAuthMechanism::OAuthBearer), "\x01");
}

TEST(SaslOAuth, Base64IsStrict) {
    EXPECT_EQ(saslUnbase64("aGVsbG8="), "hello");
    EXPECT_EQ(saslUnbase64(""), "");
    EXPECT_EQ(saslUnbase64("aGVsbG8"), std::nullopt);   // not a multiple of 4
    EXPECT_EQ(saslUnbase64("aG=sbG8="), std::nullopt);  // '=' inside
    EXPECT_EQ(saslUnbase64("aGVs\nbG8="), std::nullopt);
}

TEST(SaslOAuth, DescribesTheErrorChallenge) {
    // RFC 7628 §4.3's failure example.
    EXPECT_EQ(describeOAuthChallenge("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRp"
                                     "b24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0="),
              "status invalid_token, scope example_scope");
    // Dovecot's and Google's form.
    EXPECT_EQ(describeOAuthChallenge(saslBase64(R"({"status":"401","schemes":"bearer","scope":"mail"})")),
              "status 401, schemes bearer, scope mail");
}

TEST(SaslOAuth, HostileChallengesStayShortAndPrintable) {
    EXPECT_EQ(describeOAuthChallenge("not base64!"), "an error challenge that is not base64: \"not base64!\"");
    const std::string terminalEscape = describeOAuthChallenge(saslBase64("{\"status\":\"\x1b]0;owned\x07\"}"));
    EXPECT_EQ(terminalEscape.find('\x1b'), std::string::npos);
    EXPECT_EQ(terminalEscape.find('\x07'), std::string::npos);
    const std::string huge = describeOAuthChallenge(saslBase64("{\"status\":\"" + std::string(5000, 'x') + "\"}"));
    EXPECT_LE(huge.size(), 310u);
    EXPECT_EQ(describeOAuthChallenge(saslBase64("[1,2]")).rfind("an error challenge that is not JSON", 0), 0u);
    EXPECT_EQ(describeOAuthChallenge(std::string(10000, 'A')), "an error challenge too long to read");
    EXPECT_EQ(describeOAuthChallenge(""), "no details");
}
