// PdfSigner and PdfVerifier together: a signed letter verifies for RSA and
// ECDSA and for every cross-reference shape; the original bytes, document
// information and /Lang are kept; the CMS is PAdES B-B (signing-certificate-v2,
// no signing-time); any changed byte, appended bytes or an untrusted chain
// make it invalid; PDFs that cannot be signed are refused with a message.
// Hostile files: a signature named 10,000 times by /Fields is checked once,
// more than 100 signatures make the file unreadable, and thousands of
// sections sharing one /XRefStm are signed and verified as one.
#include "HaruPdf.h"
#include "TestPdf.h"
#include "TestPki.h"

#include "duly/engine/InputError.h"
#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfReader.h"
#include "duly/pdf/PdfSigner.h"
#include "duly/pdf/PdfVerifier.h"

#include <openssl/cms.h>

#include <gtest/gtest.h>

#include <map>
#include <thread>

using namespace duly::pdf;
using duly::pdf::test::makeTestPdf;
using duly::pdf::test::TestPdfOptions;
using duly::pdf::test::TestPki;

namespace {

const SigningIdentity& identity(const std::string& kind) {
    static const SigningIdentity rsa = SigningIdentity::fromFiles(TestPki::file("rsa.p12"), TestPki::file("password.txt"));
    static const SigningIdentity ec = SigningIdentity::fromFiles(TestPki::file("ec.p12"), TestPki::file("password.txt"));
    return kind == "rsa" ? rsa : ec;
}

const TrustAnchors& anchors() {
    static const TrustAnchors a = TrustAnchors::fromPemFile(TestPki::file("ca.pem"));
    return a;
}

SignatureRequest request() {
    SignatureRequest r;
    r.time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    r.reason = "Letter from Progress Housing Group";
    r.location = "Leyland";
    return r;
}

std::string problems(const VerificationReport& report) {
    std::string out = report.structureError;
    for (const auto& s : report.signatures)
        for (const auto& p : s.problems) out += (out.empty() ? "" : "; ") + p;
    return out;
}

struct Shape {
    const char* name;
    TestPdfOptions options;
};

std::vector<Shape> shapes() {
    std::vector<Shape> out;
    out.push_back({"classic table", {}});
    TestPdfOptions x;
    x.xrefStream = true;
    out.push_back({"cross-reference stream", x});
    TestPdfOptions os;
    os.objectStream = true;
    os.acroForm = true;
    out.push_back({"object stream with an AcroForm", os});
    TestPdfOptions hybrid;
    hybrid.hybrid = true;
    out.push_back({"hybrid table with /XRefStm", hybrid});
    TestPdfOptions form;
    form.acroForm = true;
    form.finalNewline = false;
    out.push_back({"classic with an AcroForm, no final newline", form});
    return out;
}

}  // namespace

class SignedLetter : public ::testing::TestWithParam<std::string> {};

TEST_P(SignedLetter, VerifiesInEveryShape) {
    const PdfSigner signer(identity(GetParam()));
    for (const auto& shape : shapes()) {
        SCOPED_TRACE(shape.name);
        const std::string original = makeTestPdf(shape.options);
        const std::string signedPdf = signer.sign(original, request());
        // An incremental update: the original bytes come first, unchanged.
        ASSERT_EQ(signedPdf.compare(0, original.size(), original), 0);
        const auto report = PdfVerifier(anchors()).verify(signedPdf);
        ASSERT_TRUE(report.valid()) << problems(report);
        ASSERT_EQ(report.signatures.size(), 1u);
        const auto& s = report.signatures[0];
        EXPECT_EQ(s.signerName, identity(GetParam()).signerName());
        EXPECT_EQ(s.subFilter, "ETSI.CAdES.detached");
        EXPECT_EQ(s.fieldName, shape.options.acroForm ? "Signature2" : "Signature1");
        EXPECT_TRUE(s.byteRangeCoversAllButContents);
        EXPECT_EQ(s.bytesAfter, 0u);
        EXPECT_EQ(s.byteRange[2] + s.byteRange[3], signedPdf.size());
        EXPECT_TRUE(s.digestMatches);
        EXPECT_TRUE(s.signatureValid);
        EXPECT_TRUE(s.signingCertificateMatches);
        EXPECT_EQ(s.trusted, std::optional<bool>(true));

        // The newest revision keeps the document information and /Lang, and
        // its cross-reference section is of the same kind as before.
        PdfReader r(signedPdf);
        EXPECT_EQ(r.newestSectionIsStream(), shape.options.xrefStream || shape.options.objectStream);
        const PdfObject info = r.resolve(*r.trailer().find("Info"));
        EXPECT_EQ(info.find("Title")->text(), "Your repair");
        EXPECT_EQ(info.find("Author")->text(), "Dee Parker");
        EXPECT_EQ(info.find("Subject")->text(), "PHG-2026-00001");
        const PdfObject catalog = r.object(r.trailer().find("Root")->ref());
        EXPECT_EQ(catalog.find("Lang")->text(), "en-GB");
        EXPECT_TRUE(catalog.find("ViewerPreferences")->isDictionary());
        const PdfObject form = r.resolve(*catalog.find("AcroForm"));
        EXPECT_EQ(form.find("SigFlags")->integerValue(), 3);
        const PdfObject fields = r.resolve(*form.find("Fields"));
        EXPECT_EQ(fields.items().size(), shape.options.acroForm ? 2u : 1u);
        const PdfObject page = r.object({3, 0});
        const PdfObject annots = r.resolve(*page.find("Annots"));
        EXPECT_EQ(annots.items().back().ref(), fields.items().back().ref());
    }
}

INSTANTIATE_TEST_SUITE_P(Keys, SignedLetter, ::testing::Values("rsa", "ec"));

TEST(PdfSigner, SignsWhatLibharuWrites) {
    const std::string original = duly::pdf::test::makeHaruPdf();
    for (const char* kind : {"rsa", "ec"}) {
        const std::string signedPdf = PdfSigner(identity(kind)).sign(original, request());
        const auto report = PdfVerifier(anchors()).verify(signedPdf);
        EXPECT_TRUE(report.valid()) << kind << ": " << problems(report);
        PdfReader r(signedPdf);
        const PdfObject info = r.resolve(*r.trailer().find("Info"));
        EXPECT_EQ(info.find("Author")->text(), "Dee Parker");
    }
}

TEST(PdfSigner, CmsIsPadesBaselineB) {
    const std::string signedPdf = PdfSigner(identity("rsa")).sign(makeTestPdf(), request());
    const auto at = signedPdf.find("/Contents<") + 10;
    const auto end = signedPdf.find('>', at);
    std::string der;
    for (std::size_t i = at; i + 1 < end; i += 2) der += static_cast<char>(std::stoi(signedPdf.substr(i, 2), nullptr, 16));
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(cms, nullptr);
    EXPECT_EQ(OBJ_obj2nid(CMS_get0_type(cms)), NID_pkcs7_signed);
    ASN1_OCTET_STRING** content = CMS_get0_content(cms);
    ASSERT_NE(content, nullptr);
    EXPECT_EQ(*content, nullptr);  // detached
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1), 0);
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1), 0);
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1), 0);
    EXPECT_LT(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1), 0);  // PAdES: the time is in /M
    EXPECT_EQ(CMS_signed_get_attr_count(si), 3);
    CMS_ContentInfo_free(cms);
    EXPECT_NE(signedPdf.find("/SubFilter/ETSI.CAdES.detached"), std::string::npos);
    EXPECT_NE(signedPdf.find("/Reason(Letter from Progress Housing Group)"), std::string::npos);
    EXPECT_NE(signedPdf.find("/Extensions <</ESIC <</BaseVersion /1.7/ExtensionLevel 2>>>>"), std::string::npos);
}

TEST(PdfSigner, RsaSignaturesAreDeterministic) {
    const SignatureRequest r = request();
    const PdfSigner signer(identity("rsa"));
    EXPECT_EQ(signer.sign(makeTestPdf(), r), signer.sign(makeTestPdf(), r));
}

TEST(PdfVerifier, AnyChangedByteIsReported) {
    const std::string signedPdf = PdfSigner(identity("ec")).sign(makeTestPdf(), request());
    const auto report = PdfVerifier().verify(signedPdf);
    ASSERT_TRUE(report.valid()) << problems(report);
    const auto br = report.signatures[0].byteRange;
    // Where the DER signature ends inside the hex /Contents: its last 64
    // bytes are the signature value; after it comes zero padding.
    std::string der;
    for (std::size_t i = br[1] + 1; i + 1 < br[2]; i += 2)
        der += static_cast<char>(std::stoi(signedPdf.substr(i, 2), nullptr, 16));
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(cms, nullptr);
    CMS_ContentInfo_free(cms);
    const std::size_t derEnd = br[1] + 1 + 2 * static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(der.data()));
    ASSERT_LT(derEnd, br[2] - 1);
    for (std::size_t i = 0; i < signedPdf.size(); ++i) {
        const bool inContents = i >= br[1] && i < br[2];
        // Inside /Contents: the signature value and the padding (other CMS
        // bytes, such as the CA's certificate, are not covered by the signature).
        if (inContents && (i < derEnd - 128 || i + 1 == br[2])) continue;
        if (inContents && i > derEnd && i % 7 != 0) continue;  // a sample of the padding
        std::string changed = signedPdf;
        changed[i] = inContents ? (changed[i] == '0' ? '1' : '0') : static_cast<char>(changed[i] ^ 0x01);
        EXPECT_FALSE(PdfVerifier().verify(changed).valid()) << "byte " << i << " changed unnoticed";
    }
}

TEST(PdfVerifier, OneChangedLetterIsADigestMismatch) {
    std::string signedPdf = PdfSigner(identity("rsa")).sign(makeTestPdf(), request());
    signedPdf[signedPdf.find("back door")] = 'h';
    const auto report = PdfVerifier(anchors()).verify(signedPdf);
    ASSERT_EQ(report.signatures.size(), 1u);
    EXPECT_FALSE(report.signatures[0].digestMatches);
    EXPECT_TRUE(report.signatures[0].signatureValid);  // the signed attributes are intact
    EXPECT_EQ(problems(report),
              "the file changed after signing: the digest of the signed bytes does not match the one in the signature");
}

TEST(PdfVerifier, AppendedBytesAreReported) {
    const std::string signedPdf = PdfSigner(identity("rsa")).sign(makeTestPdf(), request()) + "% appended\n";
    const auto report = PdfVerifier().verify(signedPdf);
    ASSERT_EQ(report.signatures.size(), 1u);
    EXPECT_EQ(report.signatures[0].bytesAfter, 11u);
    EXPECT_TRUE(report.signatures[0].digestMatches);
    EXPECT_EQ(problems(report), "the file changed after signing: 11 bytes were added after the signed part");
}

TEST(PdfVerifier, UntrustedChainAndUnsignedFiles) {
    const std::string signedPdf = PdfSigner(identity("ec")).sign(makeTestPdf(), request());
    const auto other = TrustAnchors::fromPemFile(TestPki::file("other-ca.pem"));
    const auto report = PdfVerifier(other).verify(signedPdf);
    ASSERT_EQ(report.signatures.size(), 1u);
    EXPECT_EQ(report.signatures[0].trusted, std::optional<bool>(false));
    EXPECT_FALSE(report.valid());
    EXPECT_NE(problems(report).find("does not chain to"), std::string::npos) << problems(report);

    const auto unsignedReport = PdfVerifier().verify(makeTestPdf());
    EXPECT_FALSE(unsignedReport.valid());
    EXPECT_EQ(unsignedReport.structureError, "the PDF has no signature (no signed /Sig field in its AcroForm)");
    EXPECT_FALSE(unsignedReport.unreadable);  // read, but not signed
    const auto garbage = PdfVerifier().verify("not a pdf");
    EXPECT_TRUE(garbage.unreadable);
    EXPECT_EQ(garbage.structureError, "cannot read the PDF: offset 0: expected a PDF header '%PDF-' in the first 1024 bytes");
}

TEST(PdfSigner, RefusesWhatItCannotSign) {
    const PdfSigner signer(identity("rsa"));
    auto messageOf = [&](const std::string& pdf, SignatureRequest r) -> std::string {
        try {
            signer.sign(pdf, r);
        } catch (const duly::engine::InputError& e) {
            return e.what();
        }
        return "(signed)";
    };
    std::string encrypted = makeTestPdf();
    encrypted.replace(encrypted.find("/Root 1 0 R"), 11, "/Root 1 0 R /Encrypt 5 0 R");
    // Offsets stay right: the trailer comes after every object.
    EXPECT_EQ(messageOf(encrypted, request()),
              "the PDF is encrypted (/Encrypt in its trailer); only unencrypted PDFs are signed");
    EXPECT_EQ(messageOf("%PDF-1.4\n", request()),
              "offset 9: expected 'startxref' near the end of the file; it is not a complete PDF");
    SignatureRequest late = request();
    late.time = std::chrono::sys_seconds{std::chrono::seconds{4102444800}};  // 2100-01-01
    const std::string lateMessage = messageOf(makeTestPdf(), late);
    EXPECT_EQ(lateMessage.rfind("the certificate of Progress Housing Group (test RSA) is valid from 20", 0), 0u) << lateMessage;
    EXPECT_NE(lateMessage.find(" UTC, not at the signing time 2100-01-01 00:00:00 UTC"), std::string::npos) << lateMessage;
    // One array serving as both /Fields and the page's /Annots.
    TestPdfOptions form;
    form.acroForm = true;
    std::string shared = makeTestPdf(form);
    shared.replace(shared.find("/Annots 9 0 R"), 13, "/Annots 8 0 R");
    EXPECT_EQ(messageOf(shared, request()),
              "object 8 plays two parts (catalog, page, AcroForm, /Fields or /Annots); it cannot be updated");
}

TEST(PdfSigner, SignsFromSeveralThreads) {
    const PdfSigner signer(identity("ec"));
    const std::string pdf = makeTestPdf();
    std::vector<std::string> out(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < out.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) out[t] = signer.sign(pdf, request());
        });
    for (auto& t : threads) t.join();
    for (const auto& o : out) EXPECT_TRUE(PdfVerifier(anchors()).verify(o).valid());
}

namespace {

// A signed letter with an AcroForm (its /Fields is object 8), and the number
// of the signature field the signer added (/Size and /Size + 1 are the
// signature and its field).
std::pair<std::string, int> signedLetterWithAForm() {
    TestPdfOptions o;
    o.acroForm = true;
    const std::string pdf = makeTestPdf(o);
    const int field = int(PdfReader(pdf).size()) + 1;
    return {PdfSigner(identity("ec")).sign(pdf, request()), field};
}

}  // namespace

// /Fields naming one signature 10,000 times made verify check it 10,000 times
// (39 s, 6 MB printed): it is one signature, checked once.
TEST(PdfVerifier, OneSignatureNamedTenThousandTimesIsCheckedOnce) {
    const auto [signedPdf, field] = signedLetterWithAForm();
    std::string fields = "[";
    for (int i = 0; i < 10'000; ++i) fields += std::to_string(field) + " 0 R ";
    fields += "]";
    const std::string hostile =
        duly::pdf::test::withUpdate(signedPdf, {{8, fields}}, PdfReader(signedPdf).size());
    const auto report = PdfVerifier(anchors()).verify(hostile);
    ASSERT_EQ(report.signatures.size(), 1u) << report.structureError;
    EXPECT_EQ(report.signatures[0].fieldName, "Signature2");
    EXPECT_TRUE(report.signatures[0].digestMatches);
    EXPECT_NE(problems(report).find("bytes were added after the signed part"), std::string::npos) << problems(report);
}

// Two fields naming one /Sig dictionary: one signature.
TEST(PdfVerifier, OneSignatureDictionaryUnderTwoFieldsIsCheckedOnce) {
    const auto [signedPdf, field] = signedLetterWithAForm();
    const std::size_t size = PdfReader(signedPdf).size();
    const std::string twin = "<< /FT /Sig /T (Twin) /V " + std::to_string(field - 1) + " 0 R >>";
    const std::string hostile = duly::pdf::test::withUpdate(
        signedPdf, {{8, "[10 0 R " + std::to_string(field) + " 0 R " + std::to_string(size) + " 0 R]"}, {int(size), twin}},
        size + 1);
    const auto report = PdfVerifier().verify(hostile);
    ASSERT_EQ(report.signatures.size(), 1u) << report.structureError;
    EXPECT_EQ(report.signatures[0].fieldName, "Signature2");
}

// 101 signature fields, each its own signature: more than the verifier
// checks; the file is refused as unreadable before any is checked.
TEST(PdfVerifier, MoreThanAHundredSignaturesAreRefusedUnread) {
    TestPdfOptions o;
    o.acroForm = true;
    const std::string pdf = makeTestPdf(o);
    const int size = int(PdfReader(pdf).size());
    std::map<int, std::string> objects;
    std::string fields = "[";
    for (int i = 0; i < 101; ++i) {
        const int field = size + 2 * i, sig = field + 1;
        fields += std::to_string(field) + " 0 R ";
        objects[field] = "<< /FT /Sig /T (S" + std::to_string(i) + ") /V " + std::to_string(sig) + " 0 R >>";
        objects[sig] = "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> >>";
    }
    objects[8] = fields + "]";
    const std::string hostile = duly::pdf::test::withUpdate(pdf, objects, std::size_t(size + 202));
    const auto report = PdfVerifier().verify(hostile);
    EXPECT_TRUE(report.unreadable);
    EXPECT_TRUE(report.signatures.empty());
    EXPECT_EQ(report.structureError,
              "cannot read the PDF: more than 100 signatures in the AcroForm's fields; none was checked");
    // 100 are checked, each once.
    objects[8] = fields.substr(0, fields.rfind(std::to_string(size + 200) + " 0 R ")) + "]";
    const auto hundred = PdfVerifier().verify(duly::pdf::test::withUpdate(pdf, objects, std::size_t(size + 202)));
    EXPECT_FALSE(hundred.unreadable) << hundred.structureError;
    EXPECT_EQ(hundred.signatures.size(), 100u);
}

// The signer reads the hybrid file whose 4,096 sections share one /XRefStm
// as it reads the plain one, and the result verifies.
TEST(PdfSigner, SignsAFileWhoseSectionsShareOneXRefStm) {
    TestPdfOptions o;
    o.hybrid = true;
    const std::string hostile =
        duly::pdf::test::withSectionsSharingXRefStm(makeTestPdf(o), int(PdfReader::kMaxXrefSections) - 2);
    const std::string signedPdf = PdfSigner(identity("ec")).sign(hostile, request());
    const auto report = PdfVerifier(anchors()).verify(signedPdf);
    EXPECT_TRUE(report.valid()) << problems(report);
}
