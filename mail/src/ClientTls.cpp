// ClientTls: one client TLS context. See ClientTls.h.
#include "duly/mail/ClientTls.h"

#include <Poco/Net/SSLManager.h>

#include <mutex>

namespace duly::mail {

Poco::Net::Context::Ptr clientTlsContext(const ClientTrust& trust) {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
    Poco::Net::Context::Params params;
    params.caLocation = trust.caFile;
    params.loadDefaultCAs = trust.caFile.empty() || trust.systemCAsToo;
    params.verificationMode = trust.verification;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4";
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    return context;
}

}  // namespace duly::mail
