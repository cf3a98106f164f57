// PdfVerifier: finds the signature fields through the catalog's AcroForm
// (bounded walk of /Fields and /Kids; a field or a signature reached twice,
// as a /Fields array naming one signature 10,000 times does, counts once,
// and more than kMaxSignatures make the file unreadable), then checks each /Sig dictionary's
// byte range, zero padding, digest, CMS signature, ESS signing certificate
// and, with anchors, the certificate chain. Every failed check adds a
// sentence to the signature's problems; none throws.
#include "duly/pdf/PdfVerifier.h"

#include "duly/engine/InputError.h"
#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfReader.h"
#include "OpenSslSupport.h"

#include <openssl/ess.h>
#include <openssl/pem.h>

#include <fstream>
#include <set>
#include <sstream>

namespace duly::pdf {

struct TrustAnchors::Impl {
    ossl::Store store;
};

namespace {

constexpr std::size_t kMaxFields = 10'000;
constexpr int kMaxFieldDepth = 16;
// Each signature costs a digest of the whole file and a CMS check; a letter
// has one, a contract a handful.
constexpr std::size_t kMaxSignatures = 100;

struct SigField {
    std::string name;
    PdfObject value;  // the /Sig dictionary
};

struct FieldWalk {
    std::vector<SigField> out;
    std::size_t seen = 0;                   // array items looked at
    std::set<std::uint32_t> fieldObjects;   // field objects met, by number
    std::set<std::uint32_t> signatureObjects;  // /V objects taken, by number
};

void collectSignatureFields(PdfReader& reader, const PdfObject& fields, int depth, bool inheritedSig,
                            const std::string& parentName, FieldWalk& walk) {
    if (depth > kMaxFieldDepth) throw PdfFormatError("form fields nested more than " + std::to_string(kMaxFieldDepth) + " deep");
    for (const auto& item : fields.items()) {
        if (++walk.seen > kMaxFields) throw PdfFormatError("more than " + std::to_string(kMaxFields) + " form fields");
        if (item.isReference() && !walk.fieldObjects.insert(item.ref().number).second) continue;
        PdfObject field = reader.resolve(item);
        if (!field.isDictionary()) continue;
        std::string name = parentName;
        if (const PdfObject* t = field.find("T"); t && t->isString()) name = name.empty() ? t->text() : name + "." + t->text();
        const PdfObject* ft = field.find("FT");
        const bool isSig = ft ? ft->isName("Sig") : inheritedSig;
        if (const PdfObject* kids = field.find("Kids")) {
            PdfObject list = reader.resolve(*kids);
            if (list.isArray()) collectSignatureFields(reader, list, depth + 1, isSig, name, walk);
        }
        if (!isSig) continue;
        if (const PdfObject* v = field.find("V")) {
            if (v->isReference() && !walk.signatureObjects.insert(v->ref().number).second) continue;
            PdfObject sig = reader.resolve(*v);
            if (!sig.isDictionary()) continue;
            if (walk.out.size() == kMaxSignatures)
                throw PdfFormatError("more than " + std::to_string(kMaxSignatures) +
                                     " signatures in the AcroForm's fields; none was checked");
            walk.out.push_back({name, std::move(sig)});
        }
    }
}

bool isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void checkSignature(std::string_view file, const SigField& field, const TrustAnchors* anchors, SignatureCheck& check) {
    const PdfObject& sig = field.value;
    check.fieldName = field.name;
    if (const PdfObject* sf = sig.find("SubFilter"); sf && sf->isName()) check.subFilter = sf->text();
    if (const PdfObject* m = sig.find("M"); m && m->isString()) check.signingTime = m->text();
    if (check.subFilter != "ETSI.CAdES.detached" && check.subFilter != "adbe.pkcs7.detached")
        check.problems.push_back("its /SubFilter is '" + check.subFilter +
                                 "'; expected ETSI.CAdES.detached (or adbe.pkcs7.detached)");

    // The byte range: [0 b c d] with the gap [b, c) exactly this /Contents.
    const PdfObject* br = sig.find("ByteRange");
    const PdfObject* contents = sig.find("Contents");
    if (!br || !br->isArray() || br->items().size() != 4) {
        check.problems.push_back("its /ByteRange is not an array of four integers");
        return;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        const PdfObject& v = br->items()[i];
        if (!v.isInteger() || v.integerValue() < 0) {
            check.problems.push_back("its /ByteRange holds something other than non-negative integers");
            return;
        }
        check.byteRange[i] = static_cast<std::uint64_t>(v.integerValue());
    }
    const auto [a, b, c, d] = check.byteRange;
    if (!contents || !contents->isString()) {
        check.problems.push_back("it has no /Contents string");
        return;
    }
    if (a != 0 || b > c || c > file.size() || d > file.size() - c) {
        check.problems.push_back("its /ByteRange [" + std::to_string(a) + " " + std::to_string(b) + " " +
                                 std::to_string(c) + " " + std::to_string(d) + "] does not fit a file of " +
                                 std::to_string(file.size()) + " bytes starting at 0");
        return;
    }
    bool gapIsContents = c - b >= 2 && file[b] == '<' && file[c - 1] == '>';
    for (std::uint64_t i = b + 1; gapIsContents && i + 1 < c; ++i) gapIsContents = isHex(file[i]);
    if (gapIsContents && (c - b - 2) / 2 != contents->text().size()) gapIsContents = false;
    check.byteRangeCoversAllButContents = gapIsContents;
    if (!gapIsContents)
        check.problems.push_back("the bytes its /ByteRange leaves out are not exactly its /Contents hex string");
    check.bytesAfter = file.size() - (c + d);
    if (check.bytesAfter > 0)
        check.problems.push_back("the file changed after signing: " + std::to_string(check.bytesAfter) +
                                 " bytes were added after the signed part");

    // The CMS, then zero padding to the end of the placeholder.
    const std::string& der = contents->text();
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    ossl::Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
    if (!cms) {
        ERR_clear_error();
        check.problems.push_back("its /Contents is not a CMS signature (DER ContentInfo)");
        return;
    }
    for (auto used = static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(der.data())); used < der.size(); ++used) {
        if (der[used] != '\0') {
            check.problems.push_back("its /Contents has bytes other than zero padding after the CMS signature");
            break;
        }
    }
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
    if (sk_CMS_SignerInfo_num(infos) != 1) {
        check.problems.push_back("its CMS has " + std::to_string(sk_CMS_SignerInfo_num(infos)) +
                                 " signer infos; expected exactly one");
        return;
    }
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
    CMS_set1_signers_certs(cms.get(), nullptr, 0);
    X509* signer = nullptr;
    X509_ALGOR* digestAlg = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, &signer, &digestAlg, nullptr);
    if (!signer) {
        ERR_clear_error();
        check.problems.push_back("its CMS does not carry the signer's certificate");
        return;
    }
    check.signerName = ossl::commonName(signer);
    check.signerSubject = ossl::nameText(X509_get_subject_name(signer));
    check.issuer = ossl::nameText(X509_get_issuer_name(signer));

    // Digest of the signed bytes against the message-digest attribute.
    const ASN1_OBJECT* digestOid = nullptr;
    X509_ALGOR_get0(&digestOid, nullptr, nullptr, digestAlg);
    const EVP_MD* md = EVP_get_digestbyobj(digestOid);
    auto* messageDigest = static_cast<ASN1_OCTET_STRING*>(
        CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
    if (!md || !messageDigest) {
        check.problems.push_back("its CMS has no usable digest algorithm or message-digest attribute");
    } else {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        ossl::MdCtx ctx(EVP_MD_CTX_new());
        const bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
                        EVP_DigestUpdate(ctx.get(), file.data(), static_cast<std::size_t>(b)) == 1 &&
                        EVP_DigestUpdate(ctx.get(), file.data() + c, static_cast<std::size_t>(d)) == 1 &&
                        EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1;
        check.digestMatches = ok && static_cast<unsigned>(ASN1_STRING_length(messageDigest)) == len &&
                              std::equal(digest, digest + len, ASN1_STRING_get0_data(messageDigest));
        if (!check.digestMatches)
            check.problems.push_back("the file changed after signing: the digest of the signed bytes does not match "
                                     "the one in the signature");
    }

    check.signatureValid = CMS_SignerInfo_verify(si) == 1;
    if (!check.signatureValid)
        check.problems.push_back("the signature does not verify with the signer's certificate (" + ossl::errors() + ")");

    // ESS signing-certificate-v2 must name the signer's certificate.
    auto* scv2 = static_cast<ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(
        si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE));
    if (scv2) {
        const unsigned char* q = ASN1_STRING_get0_data(scv2);
        ESS_SIGNING_CERT_V2* ss = d2i_ESS_SIGNING_CERT_V2(nullptr, &q, ASN1_STRING_length(scv2));
        ossl::CertStack chain(sk_X509_new_null());
        if (ss && chain && X509_up_ref(signer) == 1) {
            sk_X509_push(chain.get(), signer);
            check.signingCertificateMatches = OSSL_ESS_check_signing_certs(nullptr, ss, chain.get(), 1) == 1;
        }
        ESS_SIGNING_CERT_V2_free(ss);
        ERR_clear_error();
    }
    if (!check.signingCertificateMatches && check.subFilter == "ETSI.CAdES.detached")
        check.problems.push_back(scv2 ? "its signing-certificate-v2 attribute does not name the signer's certificate"
                                      : "it has no signing-certificate-v2 attribute (PAdES requires one)");

    if (anchors) {
        ossl::StoreCtx ctx(X509_STORE_CTX_new());
        ossl::CertStack untrusted(CMS_get1_certs(cms.get()));
        if (ctx && X509_STORE_CTX_init(ctx.get(), anchors->impl().store.get(), signer, untrusted.get()) == 1) {
            check.trusted = X509_verify_cert(ctx.get()) == 1;
            if (!*check.trusted)
                check.trustDetail = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
        } else {
            check.trusted = false;
            check.trustDetail = ossl::errors();
        }
        ERR_clear_error();
        if (!*check.trusted)
            check.problems.push_back("the signer's certificate does not chain to " + anchors->source() + " (" +
                                     check.trustDetail + ")");
    }
}

}  // namespace

TrustAnchors TrustAnchors::fromPemFile(const std::filesystem::path& pem) {
    std::ifstream in(pem, std::ios::binary);
    if (!in) throw duly::engine::InputError("CA file " + pem.string() + ": cannot be read (missing or no permission)");
    std::ostringstream s;
    s << in.rdbuf();
    return fromPem(s.str(), pem.string());
}

TrustAnchors TrustAnchors::fromPem(std::string_view pem, const std::string& source) {
    auto impl = std::make_shared<Impl>();
    impl->store.reset(X509_STORE_new());
    ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!impl->store || !bio) throw std::runtime_error("TrustAnchors: out of memory");
    int count = 0;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        X509_STORE_add_cert(impl->store.get(), cert);
        X509_free(cert);
        ++count;
    }
    ERR_clear_error();
    if (count == 0)
        throw duly::engine::InputError(source + ": holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    return TrustAnchors(impl, source);
}

bool VerificationReport::valid() const {
    if (!structureError.empty() || signatures.empty()) return false;
    for (const auto& s : signatures)
        if (!s.valid()) return false;
    return true;
}

VerificationReport PdfVerifier::verify(std::string_view pdf) const {
    VerificationReport report;
    report.fileSize = pdf.size();
    FieldWalk walk;
    try {
        PdfReader reader(pdf);
        const PdfObject* root = reader.trailer().find("Root");
        if (!root || !root->isReference()) throw PdfFormatError("the trailer has no /Root reference to the catalog");
        PdfObject catalog = reader.object(root->ref());
        const PdfObject* af = catalog.find("AcroForm");
        PdfObject acroForm = af ? reader.resolve(*af) : PdfObject();
        const PdfObject* fieldsEntry = acroForm.find("Fields");
        PdfObject list = fieldsEntry ? reader.resolve(*fieldsEntry) : PdfObject();
        if (list.isArray()) collectSignatureFields(reader, list, 0, false, "", walk);
    } catch (const duly::engine::InputError& e) {
        report.structureError = std::string("cannot read the PDF: ") + e.what();
        report.unreadable = true;
        return report;
    }
    const std::vector<SigField>& fields = walk.out;
    if (fields.empty()) {
        report.structureError = "the PDF has no signature (no signed /Sig field in its AcroForm)";
        return report;
    }
    for (const auto& field : fields) {
        SignatureCheck check;
        checkSignature(pdf, field, _anchors ? &*_anchors : nullptr, check);
        ERR_clear_error();
        report.signatures.push_back(std::move(check));
    }
    return report;
}

}  // namespace duly::pdf
