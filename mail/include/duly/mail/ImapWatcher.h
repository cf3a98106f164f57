// ImapWatcher: one IMAP mailbox as Duly signs in to it — its settings, the
// connection (password or OAuth 2.0, a refused token renewed once), the
// wait for new mail with IDLE, and the sign-in check of `duly check-mail`.
// Reading the folder's new messages in batches, and the order of writing
// their cases before flagging or moving them, belong to the IMAP source of
// flow/MailboxSource, which opens its pass here. Connection failures throw
// ImapError.
#pragma once

#include "duly/engine/Time.h"
#include "duly/mail/ImapClient.h"
#include "duly/mail/OAuth2TokenProvider.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace duly::mail {

struct ImapMailboxSettings {
    std::string name;         // the mailbox's name in the config: the ledger's key
    std::string url;          // imap://HOST[:PORT]/FOLDER or imaps://…
    bool plain = false;       // imap:// without STARTTLS (loopback tests)
    std::string username;
    std::string passwordFile; // first line is the password, or
    std::string passwordEnv;  // this environment variable holds it
    // Set: sign in with an OAuth 2.0 token (AUTHENTICATE OAUTHBEARER or
    // XOAUTH2) instead of a password.
    std::shared_ptr<OAuth2TokenProvider> oauth2;
    std::string caFile;
    std::string processed = "flag";  // "flag" (\Seen and the keyword $Duly) or "move:FOLDER"
    std::size_t batch = 50;   // at most this many messages per UID FETCH (and per store commit)
    std::uint64_t batchBytes = 16 * 1024 * 1024;  // and at most this many bytes (one larger message goes alone)
    std::uint64_t maxMessage = 64 * 1024 * 1024;  // larger messages: only their head is fetched, for quarantine
};

// What `duly check-mail` reports of one mailbox.
struct ImapCheck {
    std::string signedInWith;  // LOGIN, XOAUTH2 or OAUTHBEARER
    std::string folder;
    std::uint32_t messages = 0;
    bool idle = false;
};

// "02-Dec-2026 01:39:36 +0000" (the day may be space-padded) as an Instant.
std::optional<engine::Instant> parseInternalDate(const std::string& text);

class ImapWatcher {
public:
    // How much of a message over maxMessage is fetched, for quarantine.
    static constexpr std::size_t kKeptOfTooLarge = 1024 * 1024;

    // Throws InputError when the URL or the processed setting is wrong.
    explicit ImapWatcher(ImapMailboxSettings settings);

    const ImapMailboxSettings& settings() const { return _settings; }

    // Connects, signs in and selects the folder for one pass over it;
    // `selected` gets its UIDVALIDITY, UIDNEXT and size. Throws ImapError.
    std::unique_ptr<ImapClient> open(ImapSelected& selected);

    // Waits with IDLE (or sleeps `pollSeconds` where IDLE is missing) until
    // new mail may have arrived, `maxWait` passes or `stop` is set. Returns
    // true when mail may have arrived (EXISTS, a poll period passed, or the
    // folder's UIDNEXT moved since this watcher's last wait: mail that came
    // while it was reconnecting).
    // With OAuth 2.0 the wait also ends when the token is due for renewal
    // (Exchange drops a connection whose token has expired), returning
    // false; the next wait signs in with a new token, and mail that came
    // meanwhile moves UIDNEXT, so nothing is missed.
    // Touches no store, so it may run on a thread of its own. Throws ImapError.
    bool waitForMail(std::chrono::seconds maxWait, std::chrono::seconds pollSeconds, const std::atomic<bool>& stop);

    // Connects, signs in, selects the folder and logs out; changes nothing.
    ImapCheck check();

private:
    // Connects and signs in. With OAuth 2.0, a token the server refuses is
    // forgotten and a new one fetched, once, on a new connection.
    std::unique_ptr<ImapClient> connect(std::string* mechanism = nullptr);

    ImapMailboxSettings _settings;
    ImapUrl _url;
    std::uint32_t _lastUidNext = 0;  // waitForMail: UIDNEXT when the last wait began
};

}  // namespace duly::mail
