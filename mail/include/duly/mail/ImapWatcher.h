// ImapWatcher: takes the new messages of one IMAP mailbox into Duly,
// exactly once. It owns the order of the steps for each batch of messages —
// fetch (BODY.PEEK, so nothing is marked read early), hand each to the ingest
// function (which writes its case), save the mailbox's progress (UIDVALIDITY
// and the last UID) in the ledger, commit all that as one write batch (one
// flush to disk for the batch), then flag or move the messages — so a crash at
// any point either repeats a fetch that Message-ID de-duplication absorbs
// or leaves a message unflagged; nothing is lost and nothing is deleted.
// When UIDVALIDITY changes the whole folder is read again from UID 1.
// Connection failures throw ImapError; a message the ingest function
// refuses stops the run for this mailbox so it is retried next time.
#pragma once

#include "duly/engine/MailLedger.h"
#include "duly/engine/Time.h"
#include "duly/mail/ImapClient.h"
#include "duly/mail/OAuth2TokenProvider.h"

#include <atomic>
#include <functional>
#include <iosfwd>
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

struct ImapWatchReport {
    std::size_t fetched = 0;   // messages handed to the ingest function and marked processed
    std::size_t failed = 0;    // a message the ingest function refused (left for the next run)
    bool uidValidityChanged = false;
    bool idleOffered = false;  // the server has IDLE
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
    // Takes one message; throws to refuse it (it stays for the next run).
    // For a message over the size bound, `raw` is its first kKeptOfTooLarge
    // bytes and `tooLarge` says why (the caller quarantines it).
    using Ingest = std::function<void(const std::string& raw, std::optional<engine::Instant> internalDate,
                                      const std::string& tooLarge)>;
    static constexpr std::size_t kKeptOfTooLarge = 1024 * 1024;

    // Throws InputError when the URL or the processed setting is wrong.
    explicit ImapWatcher(ImapMailboxSettings settings);

    // Connects, logs in, takes in every message after the last UID kept in
    // `ledger` (and saves each new one there), logs out. Throws ImapError
    // when the server cannot be reached or refuses.
    ImapWatchReport watchOnce(engine::MailLedger& ledger, const Ingest& ingest, std::ostream& log);

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
