// CadesSignature: builds the detached CAdES signature with OpenSSL's CMS API
// and signs the signed attributes itself (see the header for why). The
// attributes are re-added in DER SET OF order so that the bytes signed here
// are the bytes any verifier re-encodes from the SignerInfo.
#include "duly/pdf/CadesSignature.h"

#include "OpenSslSupport.h"
#include "SigningIdentityImpl.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace duly::pdf {
namespace {

[[noreturn]] void opensslFailed(const char* what) {
    throw std::runtime_error(std::string("CMS signature: ") + what + " failed: " + ossl::errors());
}

std::string der(const X509_ATTRIBUTE* attr) {
    unsigned char* buf = nullptr;
    const int len = i2d_X509_ATTRIBUTE(attr, &buf);
    if (len <= 0) opensslFailed("encoding a signed attribute");
    std::string out(reinterpret_cast<char*>(buf), static_cast<std::size_t>(len));
    OPENSSL_free(buf);
    return out;
}

// DER length octets.
void appendLength(std::string& out, std::size_t len) {
    if (len < 0x80) {
        out += static_cast<char>(len);
        return;
    }
    std::string bytes;
    for (std::size_t l = len; l > 0; l >>= 8) bytes.insert(bytes.begin(), static_cast<char>(l & 0xff));
    out += static_cast<char>(0x80 | bytes.size());
    out += bytes;
}

// Puts the signed attributes in DER order and returns their encoding as
// the SET OF that is signed (RFC 5652, 5.4).
std::string sortSignedAttributes(CMS_SignerInfo* si) {
    std::vector<std::pair<std::string, ossl::Attribute>> attrs;
    while (CMS_signed_get_attr_count(si) > 0) {
        ossl::Attribute a(CMS_signed_delete_attr(si, 0));
        if (!a) opensslFailed("taking out a signed attribute");
        std::string encoded = der(a.get());
        attrs.emplace_back(std::move(encoded), std::move(a));
    }
    std::sort(attrs.begin(), attrs.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::string content;
    for (auto& [encoded, a] : attrs) {
        if (!CMS_signed_add1_attr(si, a.get())) opensslFailed("putting back a signed attribute");
        content += encoded;
    }
    std::string set = "\x31";
    appendLength(set, content.size());
    return set + content;
}

}  // namespace

std::string createCadesSignature(const SigningIdentity& identity, std::string_view sha256) {
    if (sha256.size() != 32) throw std::invalid_argument("createCadesSignature: a SHA-256 digest is 32 bytes");
    const auto& id = identity.impl();
    const unsigned flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY;
    ossl::Cms cms(CMS_sign(nullptr, nullptr, id.chain.get(), nullptr, flags));
    if (!cms) opensslFailed("CMS_sign");
    CMS_SignerInfo* si = CMS_add1_signer(cms.get(), id.certificate.get(), id.key.get(), EVP_sha256(),
                                         flags | CMS_CADES | CMS_NOSMIMECAP);
    if (!si) opensslFailed("CMS_add1_signer");
    if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) <= 0)
        opensslFailed("adding the content-type attribute");
    if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, sha256.data(),
                                    static_cast<int>(sha256.size())) <= 0)
        opensslFailed("adding the message-digest attribute");
    if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) < 0)
        throw std::runtime_error("CMS signature: OpenSSL did not add the signing-certificate-v2 attribute");

    const std::string signedAttributes = sortSignedAttributes(si);
    ossl::MdCtx md(EVP_MD_CTX_new());
    if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, id.key.get()) <= 0)
        opensslFailed("EVP_DigestSignInit");
    std::size_t sigLen = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(signedAttributes.data());
    if (EVP_DigestSign(md.get(), nullptr, &sigLen, data, signedAttributes.size()) <= 0)
        opensslFailed("EVP_DigestSign (size)");
    std::vector<unsigned char> sig(sigLen);
    if (EVP_DigestSign(md.get(), sig.data(), &sigLen, data, signedAttributes.size()) <= 0)
        opensslFailed("EVP_DigestSign");
    if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.data(), static_cast<int>(sigLen)))
        opensslFailed("setting the signature value");

    unsigned char* out = nullptr;
    const int len = i2d_CMS_ContentInfo(cms.get(), &out);
    if (len <= 0) opensslFailed("encoding the CMS ContentInfo");
    std::string result(reinterpret_cast<char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
    return result;
}

}  // namespace duly::pdf
