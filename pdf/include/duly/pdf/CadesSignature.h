// CadesSignature: the CMS SignedData inside a PAdES baseline B-B signature
// (ETSI EN 319 142-1; CAdES, ETSI EN 319 122-1): detached, SHA-256, signed
// attributes content-type, message-digest and signing-certificate-v2 and
// nothing else (PAdES keeps the signing time in the signature dictionary's
// /M, and forbids the CMS signing-time attribute), certificates: the
// signer's and the chain from the PKCS#12 file.
// OpenSSL's CMS_add1_signer(CMS_CADES) adds signing-certificate-v2, but its
// CMS_SignerInfo_sign always adds signing-time; so the signed attributes
// are put in DER order and signed here, and the signature set into the
// SignerInfo. Failure inside OpenSSL throws std::runtime_error with its text.
#pragma once

#include "duly/pdf/SigningIdentity.h"

#include <string>
#include <string_view>

namespace duly::pdf {

// DER-encoded ContentInfo for `sha256` (the 32-byte digest of the signed bytes).
std::string createCadesSignature(const SigningIdentity& identity, std::string_view sha256);

// Prepares the identity's signatures to be made from a template (called
// once, when the identity is loaded): a signature built by OpenSSL's CMS
// calls, with a marker for the digest, cut into the parts that never
// change. Each later signature then only puts in its digest, signs the
// signed attributes and puts the lengths right — the CMS structure,
// certificate copies and signing-certificate-v2 hash were most of a
// signature's cost besides the key operation. Leaves the identity as it
// is (each signature built by OpenSSL) when the template does not give
// back the very bytes OpenSSL made.
void prepareCadesTemplate(SigningIdentity& identity);

}  // namespace duly::pdf
