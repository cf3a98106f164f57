// SigningIdentityImpl (private to duly_pdf): what a SigningIdentity holds.
// Immutable after loading; the CMS code reads it from several threads.
#pragma once

#include "duly/pdf/SigningIdentity.h"
#include "OpenSslSupport.h"

namespace duly::pdf {

struct SigningIdentity::Impl {
    ossl::Pkey key;
    ossl::X509Ptr certificate;
    ossl::CertStack chain;  // the CA certificates from the PKCS#12 file, may be empty
    std::string signerName;
    std::string subject;
    std::string keyDescription;
    std::chrono::sys_seconds notBefore{};
    std::chrono::sys_seconds notAfter{};
    std::size_t maxSignatureSize = 0;
};

}  // namespace duly::pdf
