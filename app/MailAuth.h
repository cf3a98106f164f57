// MailAuth: the settings the mail adapters need from the config for
// signing in — the SMTP transport's settings (password or OAuth 2.0) and
// the shared OAuth 2.0 token provider of a mailbox or of [smtp]. Shared by
// MailService, ImapPush and `duly check-mail` so they sign in alike.
// Throws InputError (a token endpoint URL the config check let through
// cannot happen, but the provider checks again).
#pragma once

#include "Config.h"

#include "duly/mail/OAuth2TokenProvider.h"
#include "duly/mail/SmtpTransport.h"

#include <memory>
#include <string>

namespace duly::app {

// The process-wide token provider for `oauth2`; `who` starts its messages
// ("smtp"; empty for a mailbox, whose name the caller puts first).
std::shared_ptr<mail::OAuth2TokenProvider> oauth2Provider(const std::string& who, const OAuth2Config& oauth2,
                                                          const std::string& caFile);

// The SMTP transport's settings for [smtp] (which must be present).
mail::SmtpSettings smtpSettings(const Config& config);

}  // namespace duly::app
