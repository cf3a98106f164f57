// MailSettings: what the mail steps take from the config file, as plain
// structs that app/Config fills in — Duly's own mail identity ([mail]), one
// mailbox to watch ([[mailbox]]), the SMTP server ([smtp]) and where an
// OAuth 2.0 token comes from — and how they become the mail adapters'
// settings (an IMAP mailbox for mail::ImapWatcher, the server for
// mail::SmtpTransport), so that the mail steps and `duly check-mail` sign in
// alike. Passwords are never held here: only where they come from.
#pragma once

#include "duly/mail/ImapWatcher.h"
#include "duly/mail/OAuth2TokenProvider.h"
#include "duly/mail/SmtpTransport.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace duly::flow {

struct SenderIdentity;  // Dispatch.h

// [mail]: who Duly's mail comes from and which addresses are its own (the
// loop rules do not answer them).
struct MailIdentity {
    std::string domain = "duly.invalid";
    std::string fromName;
    std::string fromAddress;
    std::vector<std::string> ownAddresses;
    std::size_t autoReplyLimit = 3;
};

// Who Duly's mail comes from, as Dispatch takes it.
SenderIdentity senderIdentity(const MailIdentity& mail);

// auth = "oauth2" in [smtp] or a [[mailbox]]: where its OAuth 2.0 tokens
// come from (docs/microsoft-365.md, docs/google-workspace.md). Same keys in both.
struct OAuth2Config {
    std::string tokenUrl;          // oauth2_token_url
    std::string clientId;          // oauth2_client_id
    std::string clientSecretFile;  // oauth2_client_secret_file, or
    std::string clientSecretEnv;   // oauth2_client_secret_env
    std::string refreshTokenFile;  // oauth2_refresh_token_file: the refresh-token grant
    std::string scope;             // oauth2_scope
};

// [smtp]: the server the outbox is delivered to.
struct SmtpConfig {
    std::string host;
    unsigned port = 587;
    std::string security = "starttls";  // starttls, tls, plain
    std::string username;
    std::string passwordFile;
    std::string passwordEnv;
    std::string auth = "password";  // password or oauth2
    OAuth2Config oauth2;
    std::string caFile;
    unsigned connections = 4;  // messages delivered side by side, each on its own connection
    unsigned claimSeconds = 600;  // how long a delivery run holds the messages it took (flow::Deliver::setHold)
};

// [[mailbox]]: one mailbox to watch and what its messages become.
struct MailboxConfig {
    std::string name;
    std::string url;          // maildir:PATH, imap://HOST[:PORT]/FOLDER, imaps://…
    std::string channel = "email";
    std::string kind;         // empty: each message is an enquiry until an officer says otherwise
    std::string charter;
    std::string brand;        // whose letterhead its cases' letters carry (a [brand.ID] of the charter); empty: the charter's
    std::string assign;
    std::string processed = "flag";  // flag, or move:FOLDER
    std::string username;
    std::string passwordFile;
    std::string passwordEnv;
    std::string auth = "password";  // password or oauth2 (IMAP only)
    OAuth2Config oauth2;
    std::string caFile;
    bool plain = false;       // allow imap:// without STARTTLS (loopback tests)
    int pollSeconds = 60;     // when the server has no IDLE
    // A new case whose subject or text has one of these (any case) is marked
    // urgent; one with a complaint word gets a "likely complaint" note for an
    // officer, who may reclassify it.
    std::vector<std::string> urgentWords;
    std::vector<std::string> complaintWords = {"complain", "not happy with"};
    int line = 0;             // where it is in the file, for messages
};

// True for imap:// and imaps:// mailboxes (the rest are maildir:).
bool isImapMailbox(const MailboxConfig& mailbox);

// The ImapWatcher settings of an imap:// or imaps:// mailbox. Throws
// InputError when its OAuth 2.0 token endpoint cannot be used.
mail::ImapMailboxSettings imapMailboxSettings(const MailboxConfig& mailbox);

// The process-wide token provider for `oauth2`; `who` starts its messages
// ("smtp"; empty for a mailbox, whose name the caller puts first). Throws
// InputError (a token endpoint URL the config check let through cannot
// happen, but the provider checks again).
std::shared_ptr<mail::OAuth2TokenProvider> oauth2Provider(const std::string& who, const OAuth2Config& oauth2,
                                                          const std::string& caFile);

// The SMTP transport's settings for [smtp], saying HELO as `heloName` (the
// [mail] domain). Throws InputError as oauth2Provider.
mail::SmtpSettings smtpSettings(const SmtpConfig& smtp, const std::string& heloName);

}  // namespace duly::flow
