// SigningIdentityImpl (private to duly_pdf): what a SigningIdentity holds.
// Immutable after loading; the CMS code reads it from several threads.
#pragma once

#include "duly/pdf/SigningIdentity.h"
#include "OpenSslSupport.h"

#include <optional>
#include <string>
#include <vector>

namespace duly::pdf {

// The DER of one CAdES signature of this identity cut where it changes
// from letter to letter (CadesSignature.cpp): everything but the
// message-digest and the signature value is the same for every letter.
struct CadesTemplate {
    struct Wrapper {
        unsigned char tag;
        std::string before, after;  // the element's content around the next one in
    };
    std::vector<Wrapper> wrappers;  // ContentInfo … SignerInfo, outermost first
    std::string signedAttributes;   // the [0] IMPLICIT SET's content, in DER order
    std::size_t digestAt = 0;       // where the 32 bytes of the message-digest go in it
    std::string betweenAttributesAndSignature;  // the signatureAlgorithm
};

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
    std::optional<CadesTemplate> cades;  // absent: each signature is built with OpenSSL's CMS calls
};

}  // namespace duly::pdf
