// ClientTls: the one TLS set-up for every connection Duly opens as a client
// (IMAP, SMTP, an OAuth 2.0 token endpoint): TLS 1.2 or later, strong
// ciphers only, the certificate checked against `caFile` (or the system's
// CAs), OpenSSL initialised once for the process. Throws what Poco throws
// for a CA file it cannot load.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace duly::mail {

struct ClientTrust {
    std::string caFile;         // empty: the system's CAs
    bool systemCAsToo = false;  // the system's CAs as well as caFile
    // How the server's certificate is checked. Relaxed checks the chain and
    // the name, except that Poco accepts any name on a loopback address;
    // strict checks the name there too; none is for tests that say so.
    Poco::Net::Context::VerificationMode verification = Poco::Net::Context::VERIFY_RELAXED;
};

Poco::Net::Context::Ptr clientTlsContext(const ClientTrust& trust);

}  // namespace duly::mail
