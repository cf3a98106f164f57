// ImapClient: a focused IMAP4rev1 client on Poco::Net sockets, only what
// Duly's watcher needs: greeting, CAPABILITY, STARTTLS (required unless the
// settings say plain) or implicit TLS with the certificate verified, LOGIN,
// SELECT (UIDVALIDITY, UIDNEXT), UID SEARCH, UID FETCH of whole messages
// with their INTERNALDATE, UID STORE of a flag, UID MOVE (or COPY and
// \Deleted without EXPUNGE where MOVE is missing: nothing is ever
// expunged), IDLE and LOGOUT. It owns one connection. Every failure — a
// lost connection, TLS or certificate problem, a NO or BAD, a response the
// parser refuses — throws ImapError with what was being done; the password
// or token is never part of a message. AUTHENTICATE XOAUTH2 and
// OAUTHBEARER sign in with an OAuth 2.0 token; folder names are sent in
// modified UTF-7.
#pragma once

#include "duly/mail/ImapResponseParser.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace duly::mail {

class ImapError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The server refused an AUTHENTICATE (answered NO): the
// credentials, not the connection, are what failed.
class ImapAuthRefused : public ImapError {
public:
    using ImapError::ImapError;
};

enum class ImapSecurity {
    ImplicitTls,  // imaps://: TLS from the first byte
    StartTls,     // imap://: STARTTLS before anything else; refuse to log in without it
    Plain,        // imap:// with plain = true: loopback tests only
};

struct ImapSettings {
    std::string host;
    unsigned port = 993;
    ImapSecurity security = ImapSecurity::ImplicitTls;
    std::string caFile;  // PEM of trusted CAs; empty: the system's
    std::chrono::seconds connectTimeout{15};
    std::chrono::seconds timeout{60};  // each read or write
    ImapLimits limits;
};

// Where an imap:// or imaps:// URL points. Throws InputError naming the URL.
struct ImapUrl {
    ImapSecurity security = ImapSecurity::ImplicitTls;
    std::string host;
    unsigned port = 993;
    std::string folder = "INBOX";
};
ImapUrl parseImapUrl(const std::string& url, bool plainAllowed);

struct ImapSelected {
    std::uint32_t uidValidity = 0;
    std::uint32_t uidNext = 0;
    std::uint32_t exists = 0;
};

struct ImapMessage {
    std::uint32_t uid = 0;
    std::string internalDate;  // as the server wrote it: "02-Dec-2026 01:39:36 +0000"
    std::string bytes;
};

class ImapClient {
public:
    // Connects, reads the greeting and the capabilities, and secures the
    // connection as the settings say. Throws ImapError.
    explicit ImapClient(ImapSettings settings);
    ~ImapClient();
    ImapClient(const ImapClient&) = delete;
    ImapClient& operator=(const ImapClient&) = delete;

    bool hasCapability(const std::string& name) const;  // case-insensitive

    // LOGIN; the password goes as a quoted string or a literal, never into a message.
    void login(const std::string& username, const std::string& password);
    // AUTHENTICATE with a mechanism whose client speaks once (XOAUTH2,
    // OAUTHBEARER): `initial` goes with the command where the server has
    // SASL-IR, else after its first "+". An error challenge is answered with
    // `acknowledgement` and, with the NO that follows, thrown as
    // ImapAuthRefused saying what the challenge said. `shown` names the
    // attempt in messages; `initial` (which holds the token) never appears.
    void authenticate(const std::string& mechanism, const std::string& initial, const std::string& acknowledgement,
                      const std::string& shown);
    const std::string& host() const { return _settings.host; }
    unsigned port() const { return _settings.port; }
    // Folder names are UTF-8 here; they go to the server in modified UTF-7.
    ImapSelected select(const std::string& folder);
    // UIDs from `first` upwards (ascending; only UIDs >= first).
    std::vector<std::uint32_t> uidsFrom(std::uint32_t first);
    // The RFC822.SIZE of each message, by UID (for batching within a memory bound).
    std::vector<std::pair<std::uint32_t, std::uint64_t>> sizes(const std::vector<std::uint32_t>& uids);
    // Fetches whole messages (BODY.PEEK[], not marking them seen) with their INTERNALDATE.
    std::vector<ImapMessage> fetch(const std::vector<std::uint32_t>& uids);
    // The first `bytes` bytes of one message (BODY.PEEK[]<0.bytes>), for a
    // message too large to fetch whole.
    ImapMessage fetchHead(std::uint32_t uid, std::size_t bytes);
    // One command for many UIDs (sent as a compact set such as 4:9,12).
    void addFlag(std::uint32_t uid, const std::string& flag);
    void addFlag(const std::vector<std::uint32_t>& uids, const std::string& flag);
    // MOVE, or COPY then \Deleted (never EXPUNGE) when the server lacks MOVE.
    void move(std::uint32_t uid, const std::string& folder);
    void move(const std::vector<std::uint32_t>& uids, const std::string& folder);
    // IDLE until the server reports something or `wait` passes; true when it reported EXISTS.
    bool idle(std::chrono::seconds wait);
    void logout();

private:
    struct Part {
        std::string text;
        bool literal = false;
    };
    // Sends a command made of text and literal parts; returns its untagged
    // responses, throwing ImapError when it does not end in OK.
    std::vector<ImapResponse> command(const std::string& what, const std::vector<Part>& parts);
    ImapResponse readResponse(const std::string& what);
    void send(const std::string& bytes, const std::string& what);
    void readCapabilities(const std::vector<ImapResponse>& responses);

    struct Connection;
    ImapSettings _settings;
    std::unique_ptr<Connection> _connection;
    ImapResponseParser _parser;
    std::set<std::string> _capabilities;  // upper case
    unsigned _tag = 0;
};

}  // namespace duly::mail
