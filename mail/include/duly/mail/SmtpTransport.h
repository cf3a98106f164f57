// SmtpTransport: sends composed bytes to an SMTP submission server with
// Poco::Net — EHLO, STARTTLS (required unless the connection is configured
// as plain), AUTH PLAIN or LOGIN, then MAIL/RCPT/DATA for each message on
// one connection kept open between messages — or AUTH OAUTHBEARER or
// XOAUTH2 with an OAuth 2.0 token (a refused token is renewed once) —
// and classifies the
// outcome: 4xx, a lost connection or failed TLS is transient; 5xx is
// permanent. The password is read from a file or the environment when
// sending and never appears in a result or a log.
#pragma once

#include "duly/mail/MessageSender.h"
#include "duly/mail/OAuth2TokenProvider.h"

#include <chrono>
#include <memory>
#include <string>

namespace duly::mail {

enum class SmtpSecurity {
    StartTls,     // plain connect, then STARTTLS; refuse to send if not offered
    ImplicitTls,  // TLS from the first byte (port 465)
    Plain,        // no TLS at all: only when the configuration says so explicitly
};

enum class SmtpAuth { None, Plain, Login, OAuth2 };

struct SmtpSettings {
    std::string host = "localhost";
    unsigned port = 587;
    SmtpSecurity security = SmtpSecurity::StartTls;
    SmtpAuth auth = SmtpAuth::None;
    std::string username;
    std::string passwordFile;  // first line of this file is the password, or
    std::string passwordEnv;   // the value of this environment variable
    std::shared_ptr<OAuth2TokenProvider> oauth2;  // the tokens for SmtpAuth::OAuth2
    std::string caFile;        // PEM file of trusted CAs; empty = system CAs
    bool verifyCertificate = true;
    std::string heloName = "localhost";  // our name in EHLO
    std::chrono::seconds connectTimeout{15};
    std::chrono::seconds timeout{60};    // each read or write on the connection
    std::size_t messagesPerConnection = 100;  // then QUIT and connect afresh
};

// What `duly check-mail` reports of the SMTP server.
struct SmtpCheck {
    std::string signedInWith;    // PLAIN, LOGIN, XOAUTH2, OAUTHBEARER, or empty without AUTH
    std::string authMechanisms;  // what the server's EHLO offered, e.g. "OAUTHBEARER XOAUTH2"
};

class SmtpTransport : public MessageSender {
public:
    // Throws InputError when the settings cannot work (no host, port 0,
    // auth without a username or password source).
    explicit SmtpTransport(SmtpSettings settings);
    ~SmtpTransport() override;  // says QUIT on a connection still open

    // The connection stays open for the next message (up to
    // messagesPerConnection); after a lost connection or a failed login the
    // next message starts a new one.
    DeliveryResult send(const ComposedMessage& message) override;

    // QUIT now, if a connection is open.
    void close() override;

    // Connects, secures and signs in as for a message, then QUITs: nothing
    // is sent. Throws std::runtime_error saying where it failed and why.
    SmtpCheck check();

private:
    struct Connection;
    // Connects, greets, STARTTLS, logs in. Throws StepFailed or Poco's exceptions;
    // `stage` says how far it got.
    std::unique_ptr<Connection> open(std::string& stage);
    DeliveryResult sendOnce(const ComposedMessage& message);
    // AUTH OAUTHBEARER or XOAUTH2 (whichever the EHLO offered); throws StepFailed.
    void authenticateOAuth(Connection& connection);

    SmtpSettings _settings;
    std::unique_ptr<Connection> _connection;
};

}  // namespace duly::mail
