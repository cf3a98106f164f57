// SmtpTransport: SMTP dialogues with Poco::Net. Owns the order of the
// dialogue (greeting, EHLO, STARTTLS, EHLO, AUTH, then MAIL, RCPT, DATA for
// each message, RSET after a refused one, QUIT), the TLS context
// (verification on by default, TLS 1.2 or later) and the classification of
// every way it can end. It never throws for the far side's failures and
// never puts the password in a result.
#include "duly/mail/SmtpTransport.h"

#include "duly/mail/ClientTls.h"
#include "duly/mail/Secret.h"

#include "duly/engine/InputError.h"
#include "duly/mail/OutgoingEncoding.h"
#include "duly/mail/SaslOAuth.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailStream.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>

namespace duly::mail {
namespace {

// SMTPClientSession keeps its socket protected; STARTTLS on a socket we
// connected ourselves (with our connect timeout) needs it.
class Session : public Poco::Net::SMTPClientSession {
public:
    explicit Session(const Poco::Net::StreamSocket& socket) : SMTPClientSession(socket) {}
    using SMTPClientSession::socket;
};

// A failed dialogue step as a value; thrown inside send() only to leave
// the dialogue, caught there.
struct StepFailed {
    DeliveryResult result;
};

DeliveryResult classify(const std::string& stage, int code, const std::string& reply) {
    DeliveryResult result;
    result.stage = stage;
    result.replyCode = code;
    result.text = reply;
    result.outcome = code >= 500 && code < 600 ? DeliveryOutcome::Permanent : DeliveryOutcome::Transient;
    return result;
}

DeliveryResult transient(const std::string& stage, const std::string& text) {
    DeliveryResult result;
    result.stage = stage;
    result.text = text;
    result.outcome = DeliveryOutcome::Transient;
    return result;
}

// Sends one command and insists on a reply of class `expectedClass` (2 or 3).
std::string expect(Session& session, const std::string& stage, const std::string& command, int expectedClass,
                   const std::string& shownCommand = {}) {
    std::string reply;
    const int code = session.sendCommand(command, reply);
    if (code / 100 != expectedClass) {
        DeliveryResult result = classify(stage, code, reply);
        if (code / 100 != 4 && code / 100 != 5) {
            result.text = "unexpected reply to " + (shownCommand.empty() ? command : shownCommand) + ": " + reply;
        }
        throw StepFailed{result};
    }
    return reply;
}

// The mechanisms of the EHLO reply's AUTH line, separated by spaces.
std::string authMechanisms(const std::string& ehloReply) {
    std::size_t start = 0;
    while (start < ehloReply.size()) {
        std::size_t end = ehloReply.find('\n', start);
        if (end == std::string::npos) end = ehloReply.size();
        std::string line = ehloReply.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() > 9 && Poco::icompare(line.substr(4, 5), "AUTH ") == 0) return Poco::toUpper(line.substr(9));
        start = end + 1;
    }
    return {};
}

bool hasWord(const std::string& words, const std::string& word) {
    return (" " + words + " ").find(" " + word + " ") != std::string::npos;
}

bool offers(const std::string& ehloReply, const std::string& keyword) {
    // Lines look like "250-STARTTLS" or "250 AUTH PLAIN LOGIN".
    std::size_t start = 0;
    while (start < ehloReply.size()) {
        std::size_t end = ehloReply.find('\n', start);
        if (end == std::string::npos) end = ehloReply.size();
        if (end - start > 4) {
            std::string word = ehloReply.substr(start + 4, end - start - 4);
            const std::size_t space = word.find(' ');
            if (space != std::string::npos) word.resize(space);
            if (!word.empty() && word.back() == '\r') word.pop_back();
            if (Poco::icompare(word, keyword) == 0) return true;
        }
        start = end + 1;
    }
    return false;
}

std::string base64(std::string_view bytes) {
    std::string lines = encodeBase64Lines(bytes);
    std::string flat;
    for (const char c : lines) {
        if (c != '\r' && c != '\n') flat += c;
    }
    return flat;
}

std::optional<std::string> readPassword(const SmtpSettings& settings) {
    return readSecret(settings.passwordFile, settings.passwordEnv).value;
}

Poco::Net::Context::Ptr makeContext(const SmtpSettings& settings) {
    return clientTlsContext({settings.caFile, false,
                             settings.verifyCertificate ? Poco::Net::Context::VERIFY_RELAXED
                                                        : Poco::Net::Context::VERIFY_NONE});
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : _settings(std::move(settings)) {
    if (_settings.host.empty()) throw engine::InputError("smtp: host is empty; expected a host name or address");
    if (_settings.port == 0 || _settings.port > 65535) {
        throw engine::InputError("smtp: port " + std::to_string(_settings.port) + " is not between 1 and 65535");
    }
    if (_settings.auth == SmtpAuth::OAuth2) {
        if (_settings.username.empty()) throw engine::InputError("smtp: OAuth 2.0 needs a username (the sending mailbox)");
        if (!_settings.oauth2) throw engine::InputError("smtp: OAuth 2.0 needs its token settings");
    } else if (_settings.auth != SmtpAuth::None) {
        if (_settings.username.empty()) throw engine::InputError("smtp: authentication needs a username");
        if (_settings.passwordFile.empty() && _settings.passwordEnv.empty()) {
            throw engine::InputError("smtp: authentication needs a password file or a password environment variable");
        }
    }
    if (_settings.heloName.empty() || _settings.heloName.find_first_of(" \r\n") != std::string::npos) {
        throw engine::InputError("smtp: helo name \"" + _settings.heloName + "\" must be one word");
    }
}

struct SmtpTransport::Connection {
    explicit Connection(const Poco::Net::StreamSocket& socket) : session(socket) {}
    Session session;
    std::size_t sent = 0;
    std::string mechanisms;    // the AUTH line of the last EHLO
    std::string signedInWith;
};

SmtpTransport::~SmtpTransport() { close(); }

void SmtpTransport::close() {
    if (!_connection) return;
    try {
        std::string bye;
        _connection->session.sendCommand("QUIT", bye);
    } catch (const Poco::Exception&) {
        // Everything sent is accepted already; a lost QUIT changes nothing.
    }
    _connection.reset();
}

std::unique_ptr<SmtpTransport::Connection> SmtpTransport::open(std::string& stage) {
    std::optional<std::string> password;
    if (_settings.auth == SmtpAuth::Plain || _settings.auth == SmtpAuth::Login) {
        password = readPassword(_settings);
        if (!password) {
            throw StepFailed{transient("auth", _settings.passwordFile.empty()
                                                   ? "the environment variable " + _settings.passwordEnv + " is not set"
                                                   : "cannot read the password file " + _settings.passwordFile)};
        }
    }
    stage = "connect";
    const Poco::Timespan connectTimeout(static_cast<long>(_settings.connectTimeout.count()), 0);
    const Poco::Timespan timeout(static_cast<long>(_settings.timeout.count()), 0);
    const Poco::Net::SocketAddress address(_settings.host, static_cast<Poco::UInt16>(_settings.port));
    Poco::Net::Context::Ptr context;
    if (_settings.security != SmtpSecurity::Plain) context = makeContext(_settings);
    Poco::Net::StreamSocket socket;
    if (_settings.security == SmtpSecurity::ImplicitTls) {
        stage = "tls";
        Poco::Net::SecureStreamSocket secure(context);
        secure.setPeerHostName(_settings.host);
        secure.connect(address, connectTimeout);
        socket = secure;
    } else {
        socket.connect(address, connectTimeout);
    }
    socket.setReceiveTimeout(timeout);
    socket.setSendTimeout(timeout);
    // Each command waits for its reply: with Nagle's algorithm the end of
    // the message data would wait for the server's delayed ACK (40 ms).
    socket.setNoDelay(true);
    auto connection = std::make_unique<Connection>(socket);
    Session& session = connection->session;
    session.setTimeout(timeout);
    stage = "greeting";
    std::string reply;
    const int greeting = session.socket().receiveStatusMessage(reply);
    if (greeting / 100 != 2) throw StepFailed{classify(stage, greeting, reply)};
    stage = "ehlo";
    std::string capabilities = expect(session, stage, "EHLO " + _settings.heloName, 2);
    if (_settings.security == SmtpSecurity::StartTls) {
        stage = "starttls";
        if (!offers(capabilities, "STARTTLS")) {
            try {
                session.sendCommand("QUIT", reply);
            } catch (const Poco::Exception&) {
            }
            throw StepFailed{transient(stage, "the server did not offer STARTTLS; nothing was sent in plain text "
                                              "(configure a plain connection explicitly to allow that)")};
        }
        expect(session, stage, "STARTTLS", 2);
        Poco::Net::SecureStreamSocket secure = Poco::Net::SecureStreamSocket::attach(session.socket(), _settings.host, context);
        session.socket() = secure;
        stage = "ehlo";
        capabilities = expect(session, stage, "EHLO " + _settings.heloName, 2);
    }
    connection->mechanisms = authMechanisms(capabilities);
    if (_settings.auth == SmtpAuth::OAuth2) {
        stage = "auth";
        authenticateOAuth(*connection);
    } else if (_settings.auth != SmtpAuth::None) {
        stage = "auth";
        connection->signedInWith = _settings.auth == SmtpAuth::Plain ? "PLAIN" : "LOGIN";
        // XXX: a rejected login is a 5xx reply but says nothing about the
        // message: it is kept transient so a fixed password lets the
        // queue drain instead of failing every message for good.
        try {
            if (_settings.auth == SmtpAuth::Plain) {
                expect(session, stage,
                       "AUTH PLAIN " + base64(std::string(1, '\0') + _settings.username + std::string(1, '\0') + *password),
                       2, "AUTH PLAIN");
            } else {
                expect(session, stage, "AUTH LOGIN", 3);
                expect(session, stage, base64(_settings.username), 3, "the AUTH LOGIN user name");
                expect(session, stage, base64(*password), 2, "the AUTH LOGIN password");
            }
        } catch (StepFailed& failed) {
            failed.result.outcome = DeliveryOutcome::Transient;
            throw;
        }
    }
    return connection;
}

void SmtpTransport::authenticateOAuth(Connection& connection) {
    Session& session = connection.session;
    const auto chosen = chooseOAuthMechanism(hasWord(connection.mechanisms, "OAUTHBEARER"), hasWord(connection.mechanisms, "XOAUTH2"));
    if (!chosen) {
        throw StepFailed{transient("auth", "the server offers neither AUTH OAUTHBEARER nor AUTH XOAUTH2 (it offers: " +
                                               (connection.mechanisms.empty() ? std::string("no AUTH") : connection.mechanisms) + ")")};
    }
    const std::string name = mechanismName(*chosen);
    for (int attempt = 1;; ++attempt) {
        std::string token;
        std::string initial;
        try {
            token = _settings.oauth2->token();
            initial = saslBase64(oauthInitialResponse(*chosen, _settings.username, token, _settings.host, _settings.port));
        } catch (const std::exception& e) {  // OAuth2Error, SaslError: no token to send
            throw StepFailed{transient("auth", e.what())};
        }
        std::string reply;
        int code = 0;
        // RFC 4954 lets AUTH lines reach 12288 octets, but many servers keep
        // RFC 5321's 512: a long token goes after the server's 334 instead.
        if (name.size() + initial.size() + 7 <= 500) {
            code = session.sendCommand("AUTH " + name + " " + initial, reply);
        } else {
            code = session.sendCommand("AUTH " + name, reply);
            if (code == 334) code = session.sendCommand(initial, reply);
        }
        std::string said;
        if (code == 334) {  // the error challenge: acknowledge it to get the final reply
            said = describeOAuthChallenge(reply.size() > 4 ? std::string_view(reply).substr(4) : std::string_view());
            code = session.sendCommand(saslBase64(oauthErrorAcknowledgement(*chosen)), reply);
        }
        if (code / 100 == 2) {
            connection.signedInWith = name;
            return;
        }
        _settings.oauth2->refused(token);
        // A 5xx refusal may be an expired or revoked token: once more with a new one.
        if (code / 100 == 5 && attempt == 1) continue;
        DeliveryResult result = classify("auth", code, "AUTH " + name + " as " + _settings.username + ": " + reply +
                                                           (said.empty() ? "" : " (the server said: " + said + ")"));
        // As for a password: kept transient, so fixing the grant lets the queue drain.
        result.outcome = DeliveryOutcome::Transient;
        throw StepFailed{result};
    }
}

SmtpCheck SmtpTransport::check() {
    close();
    std::string stage = "connect";
    try {
        auto connection = open(stage);
        SmtpCheck out{connection->signedInWith, connection->mechanisms};
        std::string bye;
        connection->session.sendCommand("QUIT", bye);
        return out;
    } catch (const StepFailed& failed) {
        throw std::runtime_error(failed.result.stage + ": " +
                                 (failed.result.replyCode ? std::to_string(failed.result.replyCode) + " " : std::string()) +
                                 failed.result.text);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(stage + ": " + e.displayText());
    }
}

DeliveryResult SmtpTransport::send(const ComposedMessage& message) {
    for (const std::string* address : [&] {
             std::vector<const std::string*> all{&message.envelopeFrom};
             for (const auto& r : message.recipients) all.push_back(&r);
             return all;
         }()) {
        // An envelope address with a line break would be a second command.
        if (address->find_first_of("\r\n<>") != std::string::npos) {
            DeliveryResult result = transient("envelope", "envelope address contains CR, LF or angle brackets");
            result.outcome = DeliveryOutcome::Permanent;
            return result;
        }
    }
    if (message.recipients.empty()) {
        DeliveryResult result = transient("envelope", "no recipients");
        result.outcome = DeliveryOutcome::Permanent;
        return result;
    }
    const bool reusing = _connection != nullptr;
    DeliveryResult result = sendOnce(message);
    // A connection kept from the last message may have been closed by the
    // server meanwhile (an idle timeout). If it failed before the server
    // took anything (at MAIL, with no reply), one try on a new connection.
    if (reusing && !_connection && result.outcome == DeliveryOutcome::Transient && result.stage == "mail" &&
        result.replyCode == 0)
        result = sendOnce(message);
    return result;
}

DeliveryResult SmtpTransport::sendOnce(const ComposedMessage& message) {
    std::string stage = "connect";
    try {
        if (!_connection) _connection = open(stage);
        Session& session = _connection->session;
        stage = "mail";
        expect(session, stage, "MAIL FROM:<" + message.envelopeFrom + ">", 2);
        stage = "rcpt";
        for (const std::string& recipient : message.recipients) {
            expect(session, stage, "RCPT TO:<" + recipient + ">", 2);
        }
        stage = "data";
        expect(session, stage, "DATA", 3);
        {
            // MailOutputStream dot-stuffs and ends with CRLF.CRLF; our bytes
            // already have CRLF line ends, so they pass unchanged.
            Poco::Net::SocketOutputStream socketStream(session.socket());
            Poco::Net::MailOutputStream mailStream(socketStream);
            mailStream.write(message.bytes.data(), static_cast<std::streamsize>(message.bytes.size()));
            mailStream.close();
            socketStream.flush();
        }
        std::string reply;
        const int accepted = session.socket().receiveStatusMessage(reply);
        if (accepted / 100 != 2) throw StepFailed{classify(stage, accepted, reply)};

        DeliveryResult result;
        result.outcome = DeliveryOutcome::Delivered;
        result.stage = stage;
        result.replyCode = accepted;
        result.text = reply;
        // Servers limit messages per connection; start afresh well before.
        if (++_connection->sent >= _settings.messagesPerConnection) close();
        return result;
    } catch (const StepFailed& failed) {
        // Refused by a server still talking (not 421, which closes): RSET
        // clears the transaction and the connection serves the next message.
        const bool during = stage == "mail" || stage == "rcpt" || stage == "data";
        if (_connection && during && failed.result.replyCode != 0 && failed.result.replyCode != 421) {
            try {
                std::string reply;
                if (_connection->session.sendCommand("RSET", reply) / 100 != 2) close();
            } catch (const Poco::Exception&) {
                _connection.reset();
            }
        } else if (during) {
            close();
        }
        return failed.result;
    } catch (const Poco::Exception& error) {
        _connection.reset();  // the connection is in an unknown state
        return transient(stage, error.displayText());
    } catch (const std::exception& error) {
        _connection.reset();
        return transient(stage, error.what());
    }
}

}  // namespace duly::mail
