// MailAuth: config to sign-in settings. Owns nothing; the token providers
// belong to mail::sharedTokenProvider.
#include "MailAuth.h"

#include "duly/engine/InputError.h"

namespace duly::app {

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

mail::SmtpSettings smtpSettings(const Config& config) {
    const SmtpConfig& smtp = *config.smtp;
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
    s.heloName = config.mail.domain;
    return s;
}

}  // namespace duly::app
