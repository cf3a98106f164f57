// MailSettings: config structs to the mail adapters' settings. Owns
// nothing; the token providers belong to mail::sharedTokenProvider.
#include "duly/flow/MailSettings.h"

#include "duly/engine/InputError.h"
#include "duly/flow/Dispatch.h"

namespace duly::flow {

SenderIdentity senderIdentity(const MailIdentity& mail) {
    return {mail.fromName, mail.fromAddress, mail.domain};
}

bool isImapMailbox(const MailboxConfig& mailbox) {
    return mailbox.url.rfind("imap://", 0) == 0 || mailbox.url.rfind("imaps://", 0) == 0;
}

mail::ImapMailboxSettings imapMailboxSettings(const MailboxConfig& mailbox) {
    mail::ImapMailboxSettings settings;
    settings.name = mailbox.name;
    settings.url = mailbox.url;
    settings.plain = mailbox.plain;
    settings.username = mailbox.username;
    settings.passwordFile = mailbox.passwordFile;
    settings.passwordEnv = mailbox.passwordEnv;
    settings.caFile = mailbox.caFile;
    settings.processed = mailbox.processed;
    if (mailbox.auth == "oauth2") settings.oauth2 = oauth2Provider("", mailbox.oauth2, mailbox.caFile);
    return settings;
}

std::shared_ptr<mail::OAuth2TokenProvider> oauth2Provider(const std::string& who, const OAuth2Config& oauth2,
                                                          const std::string& caFile) {
    mail::OAuth2Settings s;
    s.who = who;
    s.tokenUrl = oauth2.tokenUrl;
    s.clientId = oauth2.clientId;
    s.clientSecretFile = oauth2.clientSecretFile;
    s.clientSecretEnv = oauth2.clientSecretEnv;
    s.refreshTokenFile = oauth2.refreshTokenFile;
    s.scope = oauth2.scope;
    s.caFile = caFile;
    try {
        return mail::sharedTokenProvider(s);
    } catch (const mail::OAuth2Error& e) {
        throw engine::InputError(e.what());
    }
}

mail::SmtpSettings smtpSettings(const SmtpConfig& smtp, const std::string& heloName) {
    mail::SmtpSettings s;
    s.host = smtp.host;
    s.port = smtp.port;
    s.security = smtp.security == "tls"     ? mail::SmtpSecurity::ImplicitTls
                 : smtp.security == "plain" ? mail::SmtpSecurity::Plain
                                            : mail::SmtpSecurity::StartTls;
    s.username = smtp.username;
    if (smtp.auth == "oauth2") {
        s.auth = mail::SmtpAuth::OAuth2;
        s.oauth2 = oauth2Provider("smtp", smtp.oauth2, smtp.caFile);
    } else {
        s.auth = s.username.empty() ? mail::SmtpAuth::None : mail::SmtpAuth::Plain;
        s.passwordFile = smtp.passwordFile;
        s.passwordEnv = smtp.passwordEnv;
    }
    s.caFile = smtp.caFile;
    s.heloName = heloName;
    return s;
}

}  // namespace duly::flow
