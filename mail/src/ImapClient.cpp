// ImapClient: one IMAP connection with Poco::Net. Owns the socket (plain,
// upgraded by STARTTLS, or TLS from the start), the tag counter and the
// response parser; commands are sent whole and read to their tagged
// completion. Literals in commands are synchronising: each waits for the
// server's "+". Throws ImapError; never puts the password in a message.
#include "duly/mail/ImapClient.h"

#include "duly/mail/ClientTls.h"

#include "duly/engine/InputError.h"
#include "duly/mail/ImapFolderName.h"
#include "duly/mail/SaslOAuth.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace duly::mail {
namespace {

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

Poco::Net::Context::Ptr makeContext(const ImapSettings& settings) { return clientTlsContext({settings.caFile}); }

// A string argument: an atom-safe quoted string when it can be one, else a literal.
bool quotable(const std::string& s) {
    if (s.size() > 1000) return false;
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == 0 || u == '\r' || u == '\n' || u >= 0x80;
    });
}

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::uint32_t toUid(const std::string& text, const std::string& what) {
    if (text.empty() || text.size() > 10 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw ImapError(what + ": expected a number, found \"" + text.substr(0, 20) + "\"");
    const unsigned long long v = std::stoull(text);
    if (v > 0xffffffffULL) throw ImapError(what + ": " + text + " is larger than 32 bits");
    return static_cast<std::uint32_t>(v);
}

// A UID set with runs of consecutive UIDs written as first:last, so a batch
// of 50 new messages is "101:150" rather than fifty numbers.
std::string uidSet(const std::vector<std::uint32_t>& uids) {
    std::string out;
    for (std::size_t i = 0; i < uids.size();) {
        std::size_t j = i;
        while (j + 1 < uids.size() && uids[j] != 0xffffffffU && uids[j + 1] == uids[j] + 1) ++j;
        out += (out.empty() ? "" : ",") + std::to_string(uids[i]);
        if (j > i) out += ":" + std::to_string(uids[j]);
        i = j + 1;
    }
    return out;
}

}  // namespace

ImapUrl parseImapUrl(const std::string& url, bool plainAllowed) {
    ImapUrl out;
    std::string rest;
    if (url.rfind("imaps://", 0) == 0) {
        out.security = ImapSecurity::ImplicitTls;
        out.port = 993;
        rest = url.substr(8);
    } else if (url.rfind("imap://", 0) == 0) {
        out.security = plainAllowed ? ImapSecurity::Plain : ImapSecurity::StartTls;
        out.port = 143;
        rest = url.substr(7);
    } else {
        throw engine::InputError("mailbox url \"" + url + "\": expected imap://HOST[:PORT]/FOLDER or imaps://HOST[:PORT]/FOLDER");
    }
    const std::size_t slash = rest.find('/');
    std::string hostPort = rest.substr(0, slash);
    if (slash != std::string::npos && slash + 1 < rest.size()) out.folder = rest.substr(slash + 1);
    std::size_t colon = std::string::npos;
    if (!hostPort.empty() && hostPort.front() == '[') {
        const std::size_t close = hostPort.find(']');
        if (close != std::string::npos && close + 1 < hostPort.size() && hostPort[close + 1] == ':') colon = close + 1;
    } else {
        colon = hostPort.rfind(':');
    }
    if (colon != std::string::npos) {
        const std::string port = hostPort.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            std::stoul(port) == 0 || std::stoul(port) > 65535)
            throw engine::InputError("mailbox url \"" + url + "\": port \"" + port + "\" is not between 1 and 65535");
        out.port = static_cast<unsigned>(std::stoul(port));
        hostPort.resize(colon);
    }
    if (hostPort.size() > 2 && hostPort.front() == '[' && hostPort.back() == ']') hostPort = hostPort.substr(1, hostPort.size() - 2);
    if (hostPort.empty()) throw engine::InputError("mailbox url \"" + url + "\": no host");
    out.host = hostPort;
    if (out.folder.find_first_of("\r\n") != std::string::npos)
        throw engine::InputError("mailbox url \"" + url + "\": the folder contains a line break");
    return out;
}

struct ImapClient::Connection {
    Poco::Net::StreamSocket socket;
};

ImapClient::ImapClient(ImapSettings settings) : _settings(std::move(settings)), _parser(_settings.limits) {
    const std::string where = _settings.host + ":" + std::to_string(_settings.port);
    _connection = std::make_unique<Connection>();
    Poco::Net::Context::Ptr context;
    try {
        const Poco::Net::SocketAddress address(_settings.host, static_cast<Poco::UInt16>(_settings.port));
        const Poco::Timespan connectTimeout(static_cast<long>(_settings.connectTimeout.count()), 0);
        if (_settings.security != ImapSecurity::Plain) context = makeContext(_settings);
        if (_settings.security == ImapSecurity::ImplicitTls) {
            Poco::Net::SecureStreamSocket secure(context);
            secure.setPeerHostName(_settings.host);
            secure.connect(address, connectTimeout);
            _connection->socket = secure;
        } else {
            _connection->socket.connect(address, connectTimeout);
        }
        const Poco::Timespan timeout(static_cast<long>(_settings.timeout.count()), 0);
        _connection->socket.setReceiveTimeout(timeout);
        _connection->socket.setSendTimeout(timeout);
    } catch (const Poco::Exception& e) {
        throw ImapError("IMAP " + where + ": cannot connect: " + e.displayText());
    }
    const ImapResponse greeting = readResponse("greeting");
    if (greeting.kind != ImapResponse::Kind::Untagged || (greeting.status != "OK" && greeting.status != "PREAUTH"))
        throw ImapError("IMAP " + where + ": the server did not greet with OK: " + greeting.status + " " + greeting.text);
    const auto caps = command("CAPABILITY", {{"CAPABILITY"}});
    readCapabilities(caps);
    if (_settings.security == ImapSecurity::StartTls) {
        if (!hasCapability("STARTTLS"))
            throw ImapError("IMAP " + where + ": the server does not offer STARTTLS; not logging in without TLS "
                            "(set plain = true only for a loopback test server)");
        command("STARTTLS", {{"STARTTLS"}});
        // Anything the server sent after its OK, before the handshake, could
        // have been injected by a man in the middle: refuse it.
        if (_parser.midResponse() || _parser.next())
            throw ImapError("IMAP " + where + ": data after STARTTLS before the TLS handshake");
        try {
            Poco::Net::SecureStreamSocket secure =
                Poco::Net::SecureStreamSocket::attach(_connection->socket, _settings.host, context);
            _connection->socket = secure;
        } catch (const Poco::Exception& e) {
            throw ImapError("IMAP " + where + ": STARTTLS: " + e.displayText());
        }
        _capabilities.clear();
        readCapabilities(command("CAPABILITY", {{"CAPABILITY"}}));
    }
}

ImapClient::~ImapClient() {
    try {
        _connection->socket.close();
    } catch (...) {
        // Closing a socket that is already gone is not worth reporting.
    }
}

bool ImapClient::hasCapability(const std::string& name) const { return _capabilities.count(upper(name)) > 0; }

void ImapClient::readCapabilities(const std::vector<ImapResponse>& responses) {
    for (const auto& r : responses) {
        if (r.kind != ImapResponse::Kind::Untagged || r.data.empty() || !r.data[0].isAtom("CAPABILITY")) continue;
        for (std::size_t i = 1; i < r.data.size(); ++i) _capabilities.insert(upper(r.data[i].text));
    }
}

void ImapClient::send(const std::string& bytes, const std::string& what) {
    try {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const int n = _connection->socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
            if (n <= 0) throw ImapError("IMAP " + _settings.host + ": " + what + ": the connection was closed");
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception& e) {
        throw ImapError("IMAP " + _settings.host + ": " + what + ": " + e.displayText());
    }
}

ImapResponse ImapClient::readResponse(const std::string& what) {
    char buffer[16384];
    for (;;) {
        if (auto r = _parser.next()) return std::move(*r);
        int n = 0;
        try {
            n = _connection->socket.receiveBytes(buffer, sizeof buffer);
        } catch (const Poco::TimeoutException&) {
            throw ImapError("IMAP " + _settings.host + ": " + what + ": no answer within " +
                            std::to_string(_settings.timeout.count()) + " seconds");
        } catch (const Poco::Exception& e) {
            throw ImapError("IMAP " + _settings.host + ": " + what + ": " + e.displayText());
        }
        if (n <= 0) throw ImapError("IMAP " + _settings.host + ": " + what + ": the server closed the connection");
        try {
            _parser.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        } catch (const ImapProtocolError& e) {
            throw ImapError("IMAP " + _settings.host + ": " + what + ": " + e.what());
        }
    }
}

std::vector<ImapResponse> ImapClient::command(const std::string& what, const std::vector<Part>& parts) {
    const std::string tag = "d" + std::to_string(++_tag);
    std::vector<ImapResponse> untagged;
    std::string pending = tag + " ";
    auto awaitCompletion = [&](bool continuationWanted) -> bool {
        for (;;) {
            ImapResponse r = readResponse(what);
            if (r.kind == ImapResponse::Kind::Continuation) {
                if (continuationWanted) return true;
                throw ImapError("IMAP " + _settings.host + ": " + what + ": unexpected continuation request");
            }
            if (r.kind == ImapResponse::Kind::Tagged) {
                if (r.tag != tag) throw ImapError("IMAP " + _settings.host + ": " + what + ": completion for unknown tag " + r.tag);
                if (r.status != "OK")
                    throw ImapError("IMAP " + _settings.host + ": " + what + " failed: " + r.status +
                                    (r.code.empty() ? "" : " [" + r.code + "]") + " " + r.text);
                return false;
            }
            if (r.status == "BYE")
                throw ImapError("IMAP " + _settings.host + ": " + what + ": the server said goodbye: " + r.text);
            untagged.push_back(std::move(r));
        }
    };
    for (const auto& part : parts) {
        if (!part.literal) {
            pending += part.text;
            continue;
        }
        pending += "{" + std::to_string(part.text.size()) + "}\r\n";
        send(pending, what);
        pending.clear();
        if (!awaitCompletion(true)) throw ImapError("IMAP " + _settings.host + ": " + what + ": ended before its literal was sent");
        pending = part.text;
    }
    send(pending + "\r\n", what);
    awaitCompletion(false);
    return untagged;
}

void ImapClient::login(const std::string& username, const std::string& password) {
    std::vector<Part> parts{{"LOGIN "}};
    for (const std::string* s : {&username, &password}) {
        if (quotable(*s)) {
            parts.push_back({quote(*s)});
        } else {
            parts.push_back({*s, true});
        }
        if (s == &username) parts.push_back({" "});
    }
    if (hasCapability("LOGINDISABLED")) throw ImapError("IMAP " + _settings.host + ": the server does not allow LOGIN here");
    command("LOGIN as " + username, parts);
    // Servers offer more (MOVE, for one) once logged in.
    _capabilities.clear();
    readCapabilities(command("CAPABILITY", {{"CAPABILITY"}}));
}

void ImapClient::authenticate(const std::string& mechanism, const std::string& initial, const std::string& acknowledgement,
                              const std::string& shown) {
    const std::string what = "AUTHENTICATE " + mechanism + " as " + shown;
    if (!hasCapability("AUTH=" + mechanism))
        throw ImapError("IMAP " + _settings.host + ": the server does not offer AUTH=" + mechanism);
    const std::string tag = "d" + std::to_string(++_tag);
    const std::string encoded = saslBase64(initial);
    bool sent = hasCapability("SASL-IR");
    // RFC 4959: an empty initial response is written "=".
    send(tag + " AUTHENTICATE " + mechanism + (sent ? " " + (encoded.empty() ? std::string("=") : encoded) : std::string()) + "\r\n", what);
    std::string challenge;
    bool challenged = false;
    for (;;) {
        ImapResponse r = readResponse(what);
        if (r.kind == ImapResponse::Kind::Continuation) {
            if (!sent) {
                send(encoded + "\r\n", what);
                sent = true;
            } else if (!challenged) {
                // The error challenge (RFC 7628 §3.2.2); the server ends the exchange once answered.
                challenge = r.text;
                challenged = true;
                send(saslBase64(acknowledgement) + "\r\n", what);
            } else {
                // A second challenge: not how these mechanisms go. Stop here
                // rather than answer a server that keeps asking.
                throw ImapError("IMAP " + _settings.host + ": " + what + ": the server asked again after its error challenge");
            }
            continue;
        }
        if (r.kind == ImapResponse::Kind::Tagged) {
            if (r.tag != tag) throw ImapError("IMAP " + _settings.host + ": " + what + ": completion for unknown tag " + r.tag);
            if (r.status == "OK") break;
            std::string message = "IMAP " + _settings.host + ": " + what + " refused: " + r.status +
                                  (r.code.empty() ? "" : " [" + r.code + "]") + " " + r.text;
            if (challenged) message += " (the server said: " + describeOAuthChallenge(challenge) + ")";
            if (r.status == "NO") throw ImapAuthRefused(message);
            throw ImapError(message);
        }
        if (r.status == "BYE") throw ImapError("IMAP " + _settings.host + ": " + what + ": the server said goodbye: " + r.text);
    }
    _capabilities.clear();
    readCapabilities(command("CAPABILITY", {{"CAPABILITY"}}));
}

ImapSelected ImapClient::select(const std::string& folder) {
    std::vector<Part> parts{{"SELECT "}};
    const std::string wire = encodeImapFolderName(folder);
    if (quotable(wire)) parts.push_back({quote(wire)});
    else parts.push_back({wire, true});
    const auto untagged = command("SELECT " + folder, parts);
    ImapSelected out;
    for (const auto& r : untagged) {
        if (r.status == "OK" && !r.code.empty()) {
            const std::size_t space = r.code.find(' ');
            const std::string key = upper(r.code.substr(0, space));
            if (space == std::string::npos) continue;
            if (key == "UIDVALIDITY") out.uidValidity = toUid(r.code.substr(space + 1), "SELECT " + folder + ": UIDVALIDITY");
            if (key == "UIDNEXT") out.uidNext = toUid(r.code.substr(space + 1), "SELECT " + folder + ": UIDNEXT");
        } else if (r.data.size() == 2 && r.data[1].isAtom("EXISTS")) {
            out.exists = toUid(r.data[0].text, "SELECT " + folder + ": EXISTS");
        }
    }
    if (out.uidValidity == 0) throw ImapError("IMAP " + _settings.host + ": SELECT " + folder + ": the server gave no UIDVALIDITY");
    return out;
}

std::vector<std::uint32_t> ImapClient::uidsFrom(std::uint32_t first) {
    const auto untagged = command("UID SEARCH", {{"UID SEARCH UID " + std::to_string(std::max<std::uint32_t>(first, 1)) + ":*"}});
    std::vector<std::uint32_t> uids;
    for (const auto& r : untagged) {
        if (r.data.empty() || !r.data[0].isAtom("SEARCH")) continue;
        for (std::size_t i = 1; i < r.data.size(); ++i) {
            const auto uid = toUid(r.data[i].text, "UID SEARCH");
            if (uid >= first) uids.push_back(uid);  // n:* always matches the highest UID
        }
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> ImapClient::sizes(const std::vector<std::uint32_t>& uids) {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
    for (std::size_t start = 0; start < uids.size(); start += 1000) {
        const std::vector<std::uint32_t> part(uids.begin() + static_cast<std::ptrdiff_t>(start),
                                              uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), start + 1000)));
        for (const auto& r : command("UID FETCH RFC822.SIZE", {{"UID FETCH " + uidSet(part) + " (UID RFC822.SIZE)"}})) {
            if (r.data.size() < 3 || !r.data[1].isAtom("FETCH") || r.data[2].kind != ImapValue::Kind::List) continue;
            std::uint32_t uid = 0;
            std::uint64_t size = 0;
            const auto& items = r.data[2].items;
            for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
                if (items[i].isAtom("UID")) uid = toUid(items[i + 1].text, "UID FETCH: UID");
                else if (items[i].isAtom("RFC822.SIZE")) size = toUid(items[i + 1].text, "UID FETCH: RFC822.SIZE");
            }
            if (uid != 0) out.emplace_back(uid, size);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<ImapMessage> ImapClient::fetch(const std::vector<std::uint32_t>& uids) {
    if (uids.empty()) return {};
    const auto untagged = command("UID FETCH", {{"UID FETCH " + uidSet(uids) + " (UID INTERNALDATE BODY.PEEK[])"}});
    std::vector<ImapMessage> out;
    for (const auto& r : untagged) {
        if (r.data.size() < 3 || !r.data[1].isAtom("FETCH") || r.data[2].kind != ImapValue::Kind::List) continue;
        ImapMessage m;
        bool haveBody = false;
        const auto& items = r.data[2].items;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
            if (items[i].isAtom("UID")) m.uid = toUid(items[i + 1].text, "UID FETCH: UID");
            else if (items[i].isAtom("INTERNALDATE")) m.internalDate = items[i + 1].text;
            else if (items[i].isAtom("BODY[]")) {
                m.bytes = items[i + 1].text;
                haveBody = items[i + 1].kind == ImapValue::Kind::String;
            }
        }
        // Unsolicited FETCH responses (flag changes) carry no body: not ours.
        if (m.uid != 0 && haveBody) out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(), [](const ImapMessage& a, const ImapMessage& b) { return a.uid < b.uid; });
    return out;
}

ImapMessage ImapClient::fetchHead(std::uint32_t uid, std::size_t bytes) {
    const auto untagged = command("UID FETCH head", {{"UID FETCH " + std::to_string(uid) + " (UID INTERNALDATE BODY.PEEK[]<0." +
                                                      std::to_string(bytes) + ">)"}});
    for (const auto& r : untagged) {
        if (r.data.size() < 3 || !r.data[1].isAtom("FETCH") || r.data[2].kind != ImapValue::Kind::List) continue;
        ImapMessage m;
        const auto& items = r.data[2].items;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
            if (items[i].isAtom("UID")) m.uid = toUid(items[i + 1].text, "UID FETCH: UID");
            else if (items[i].isAtom("INTERNALDATE")) m.internalDate = items[i + 1].text;
            else if (items[i].isAtom("BODY[]<0>")) m.bytes = items[i + 1].text;
        }
        if (m.uid == uid) return m;
    }
    throw ImapError("IMAP " + _settings.host + ": UID FETCH " + std::to_string(uid) + ": the server sent no message");
}

void ImapClient::addFlag(std::uint32_t uid, const std::string& flag) { addFlag(std::vector<std::uint32_t>{uid}, flag); }

void ImapClient::addFlag(const std::vector<std::uint32_t>& uids, const std::string& flag) {
    if (uids.empty()) return;
    command("UID STORE " + flag, {{"UID STORE " + uidSet(uids) + " +FLAGS.SILENT (" + flag + ")"}});
}

void ImapClient::move(std::uint32_t uid, const std::string& folder) { move(std::vector<std::uint32_t>{uid}, folder); }

void ImapClient::move(const std::vector<std::uint32_t>& uids, const std::string& folder) {
    if (uids.empty()) return;
    const std::string wire = encodeImapFolderName(folder);
    const std::string target = quotable(wire) ? quote(wire) : std::string();
    auto parts = [&](const std::string& verb) {
        std::vector<Part> p{{verb + " " + uidSet(uids) + " "}};
        if (!target.empty()) p.push_back({target});
        else p.push_back({wire, true});
        return p;
    };
    if (hasCapability("MOVE")) {
        command("UID MOVE to " + folder, parts("UID MOVE"));
        return;
    }
    // XXX: without MOVE the original stays, marked \Deleted, for the
    // mailbox's owner to expunge; Duly never expunges.
    command("UID COPY to " + folder, parts("UID COPY"));
    addFlag(uids, "\\Deleted");
}

bool ImapClient::idle(std::chrono::seconds wait) {
    const std::string tag = "d" + std::to_string(++_tag);
    send(tag + " IDLE\r\n", "IDLE");
    bool continued = false;
    bool arrived = false;
    while (!continued) {
        ImapResponse r = readResponse("IDLE");
        if (r.kind == ImapResponse::Kind::Continuation) continued = true;
        else if (r.kind == ImapResponse::Kind::Tagged)
            throw ImapError("IMAP " + _settings.host + ": IDLE refused: " + r.status + " " + r.text);
        else if (r.data.size() == 2 && r.data[1].isAtom("EXISTS")) arrived = true;
    }
    // Waiting is a read with the IDLE period as its timeout; the timeout is
    // the expected way for a quiet period to end.
    _connection->socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(wait.count()), 0));
    while (!arrived) {
        std::optional<ImapResponse> r = _parser.next();
        if (!r) {
            char buffer[4096];
            int n = 0;
            try {
                n = _connection->socket.receiveBytes(buffer, sizeof buffer);
            } catch (const Poco::TimeoutException&) {
                break;
            } catch (const Poco::Exception& e) {
                throw ImapError("IMAP " + _settings.host + ": IDLE: " + e.displayText());
            }
            if (n <= 0) throw ImapError("IMAP " + _settings.host + ": IDLE: the server closed the connection");
            try {
                _parser.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
            } catch (const ImapProtocolError& e) {
                throw ImapError("IMAP " + _settings.host + ": IDLE: " + e.what());
            }
            continue;
        }
        if (r->data.size() == 2 && r->data[1].isAtom("EXISTS")) arrived = true;
        if (r->status == "BYE") throw ImapError("IMAP " + _settings.host + ": IDLE: the server said goodbye: " + r->text);
    }
    _connection->socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(_settings.timeout.count()), 0));
    send("DONE\r\n", "IDLE DONE");
    for (;;) {
        ImapResponse r = readResponse("IDLE DONE");
        if (r.kind == ImapResponse::Kind::Tagged && r.tag == tag) break;
        if (r.data.size() == 2 && r.data[1].isAtom("EXISTS")) arrived = true;
    }
    return arrived;
}

void ImapClient::logout() {
    try {
        command("LOGOUT", {{"LOGOUT"}});
    } catch (const ImapError&) {
        // The server may close first or say BYE; the session is over either way.
    }
}

}  // namespace duly::mail
