// CadesSignature: builds the detached CAdES signature with OpenSSL's CMS API
// and signs the signed attributes itself (see the header for why). The
// attributes are re-added in DER SET OF order so that the bytes signed here
// are the bytes any verifier re-encodes from the SignerInfo.
#include "duly/pdf/CadesSignature.h"

#include "OpenSslSupport.h"
#include "SigningIdentityImpl.h"

#include <algorithm>
#include <optional>
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

// The signature value over the DER SET OF the signed attributes.
std::vector<unsigned char> signAttributes(const SigningIdentity::Impl& id, std::string_view signedAttributes) {
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
    sig.resize(sigLen);
    return sig;
}

// tag, length octets, content.
std::string tlv(unsigned char tag, std::string_view content) {
    std::string out(1, static_cast<char>(tag));
    appendLength(out, content.size());
    out += content;
    return out;
}

// One DER element at `at` in `der`: its tag, where its content starts and
// its length. Nothing when it runs past the end or its length is not DER's.
struct Element {
    unsigned char tag;
    std::size_t content, length;
    std::size_t end() const { return content + length; }
};
std::optional<Element> elementAt(std::string_view der, std::size_t at) {
    if (at + 2 > der.size()) return std::nullopt;
    const auto tag = static_cast<unsigned char>(der[at]);
    if ((tag & 0x1f) == 0x1f) return std::nullopt;  // multi-byte tags: none in a CMS signature
    std::size_t len = static_cast<unsigned char>(der[at + 1]), content = at + 2;
    if (len & 0x80) {
        const std::size_t n = len & 0x7f;
        if (n == 0 || n > 4 || content + n > der.size()) return std::nullopt;
        len = 0;
        for (std::size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<unsigned char>(der[content + i]);
        content += n;
    }
    if (content + len > der.size()) return std::nullopt;
    return Element{tag, content, len};
}

// The children of the element `e` of `der`.
std::optional<std::vector<Element>> childrenOf(std::string_view der, const Element& e) {
    std::vector<Element> out;
    for (std::size_t at = e.content; at < e.end();) {
        auto child = elementAt(der, at);
        if (!child || child->end() > e.end()) return std::nullopt;
        out.push_back(*child);
        at = child->end();
    }
    return out;
}

// The DER of the template's signature with `attributes` (the signed
// attributes' content) and `signature` (the value) put in.
std::string assemble(const CadesTemplate& t, std::string_view attributes, std::string_view signature) {
    std::string inner = tlv(0xA0, attributes) + t.betweenAttributesAndSignature + tlv(0x04, signature);
    for (auto w = t.wrappers.rbegin(); w != t.wrappers.rend(); ++w) inner = tlv(w->tag, w->before + inner + w->after);
    return inner;
}

std::string fromTemplate(const SigningIdentity::Impl& id, const CadesTemplate& t, std::string_view sha256) {
    std::string attributes = t.signedAttributes;
    attributes.replace(t.digestAt, sha256.size(), sha256);
    const auto sig = signAttributes(id, tlv(0x31, attributes));
    return assemble(t, attributes, std::string_view(reinterpret_cast<const char*>(sig.data()), sig.size()));
}

// The template of `der`, a signature made with `marker` as its digest, and
// that signature's value.
std::optional<std::pair<CadesTemplate, std::string>> templateOf(std::string_view der, std::string_view marker) {
    CadesTemplate t;
    auto e = elementAt(der, 0);
    if (!e || e->end() != der.size()) return std::nullopt;
    // ContentInfo → [0] → SignedData → signerInfos: each time into the last child.
    for (int level = 0; level < 4; ++level) {
        const auto children = childrenOf(der, *e);
        if (!children || children->empty()) return std::nullopt;
        const std::size_t last = children->size() - 1;
        const std::size_t childStart = last == 0 ? e->content : (*children)[last - 1].end();
        t.wrappers.push_back({e->tag, std::string(der.substr(e->content, childStart - e->content)), ""});
        e = (*children)[last];
    }
    // The one SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs,
    // signatureAlgorithm, signature, and nothing after it.
    const auto children = childrenOf(der, *e);
    if (!children || children->size() != 6) return std::nullopt;
    const Element& attrs = (*children)[3];
    const Element& sig = (*children)[5];
    if (e->tag != 0x30 || attrs.tag != 0xA0 || sig.tag != 0x04) return std::nullopt;
    t.wrappers.push_back({e->tag, std::string(der.substr(e->content, (*children)[2].end() - e->content)), ""});
    t.signedAttributes = std::string(der.substr(attrs.content, attrs.length));
    t.betweenAttributesAndSignature = std::string(der.substr(attrs.end(), (*children)[4].end() - attrs.end()));
    const std::size_t at = t.signedAttributes.find(marker);
    if (at == std::string::npos || t.signedAttributes.find(marker, at + 1) != std::string::npos) return std::nullopt;
    t.digestAt = at;
    return std::make_pair(std::move(t), std::string(der.substr(sig.content, sig.length)));
}

std::string createWithOpenSsl(const SigningIdentity& identity, std::string_view sha256) {
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
    const auto sig = signAttributes(id, signedAttributes);
    if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.data(), static_cast<int>(sig.size())))
        opensslFailed("setting the signature value");

    unsigned char* out = nullptr;
    const int len = i2d_CMS_ContentInfo(cms.get(), &out);
    if (len <= 0) opensslFailed("encoding the CMS ContentInfo");
    std::string result(reinterpret_cast<char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
    return result;
}

}  // namespace

std::string createCadesSignature(const SigningIdentity& identity, std::string_view sha256) {
    if (sha256.size() != 32) throw std::invalid_argument("createCadesSignature: a SHA-256 digest is 32 bytes");
    const auto& id = identity.impl();
    if (id.cades) return fromTemplate(id, *id.cades, sha256);
    return createWithOpenSsl(identity, sha256);
}

void prepareCadesTemplate(SigningIdentity& identity) {
    auto& id = const_cast<SigningIdentity::Impl&>(identity.impl());
    if (id.cades) return;
    // A marker for the digest, found exactly once in the attributes.
    std::string marker(32, '\0');
    for (std::size_t i = 0; i < marker.size(); ++i) marker[i] = static_cast<char>(0xA5 ^ (i * 37));
    const std::string made = createWithOpenSsl(identity, marker);
    auto cut = templateOf(made, marker);
    // Put back together with its own signature value, it must be the very
    // bytes OpenSSL made; else every signature is made by OpenSSL.
    if (!cut || assemble(cut->first, cut->first.signedAttributes, cut->second) != made) return;
    id.cades = std::move(cut->first);
}

}  // namespace duly::pdf
