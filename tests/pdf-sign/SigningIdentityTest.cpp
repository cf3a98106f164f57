// SigningIdentity: RSA-2048 and ECDSA P-256 identities load from PKCS#12;
// each kind of bad file or password gives its own message naming the file,
// and the password never appears in a message.
#include "TestPki.h"

#include "duly/engine/InputError.h"
#include "duly/pdf/SigningIdentity.h"

#include <gtest/gtest.h>

using duly::engine::InputError;
using duly::pdf::SigningIdentity;
using duly::pdf::test::TestPki;

namespace {

std::string loadError(const std::string& p12, const std::string& password) {
    const std::string der = TestPki::read(TestPki::file(p12));
    try {
        SigningIdentity::fromPkcs12(der, password, p12);
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).find(password), std::string::npos) << "the password leaked: " << e.what();
        return e.what();
    }
    return "(loaded)";
}

}  // namespace

TEST(SigningIdentity, LoadsRsaAndEcdsa) {
    const auto rsa = SigningIdentity::fromFiles(TestPki::file("rsa.p12"), TestPki::file("password.txt"));
    EXPECT_EQ(rsa.signerName(), "Progress Housing Group (test RSA)");
    EXPECT_EQ(rsa.subject(), "O=Duly Tests,CN=Progress Housing Group (test RSA)");
    EXPECT_EQ(rsa.keyDescription(), "RSA-2048");
    EXPECT_GT(rsa.maxSignatureSize(), 1000u);
    EXPECT_LT(rsa.maxSignatureSize(), 4000u);
    EXPECT_LT(rsa.notBefore(), rsa.notAfter());

    const auto ec = SigningIdentity::fromFiles(TestPki::file("ec.p12"), TestPki::file("password.txt"));
    EXPECT_EQ(ec.signerName(), "Progress Housing Group (test ECDSA)");
    EXPECT_EQ(ec.keyDescription(), "ECDSA P-256");
    EXPECT_LT(ec.maxSignatureSize(), rsa.maxSignatureSize());
}

TEST(SigningIdentity, MessagesForBadFilesAndPasswords) {
    EXPECT_EQ(loadError("rsa.p12", "not the password"),
              "rsa.p12: the password does not open it (its integrity check failed: a wrong password, or a damaged file)");
    EXPECT_EQ(loadError("ca.pem", TestPki::password()),
              "ca.pem: is not a PKCS#12 file (expected the DER bytes of a .p12 or .pfx, as made by 'openssl pkcs12 -export')");
    EXPECT_EQ(loadError("certs-only.p12", TestPki::password()),
              "certs-only.p12: holds no private key (expected the signing key with its certificate)");
    EXPECT_EQ(loadError("rsa1024.p12", TestPki::password()),
              "rsa1024.p12: its RSA key has 1024 bits; expected 2048 or more");
}

TEST(SigningIdentity, LegacyEncryptionIsExplained) {
    if (!std::filesystem::exists(TestPki::file("legacy.p12"))) GTEST_SKIP() << "this openssl cannot write legacy PKCS#12";
    EXPECT_EQ(loadError("legacy.p12", TestPki::password()),
              "legacy.p12: is encrypted with a legacy algorithm (RC2 or 3DES) that OpenSSL 3 does not load by "
              "default; export it again with AES (openssl pkcs12 -export ... -keypbe AES-256-CBC -certpbe AES-256-CBC)");
}

TEST(SigningIdentity, MissingFilesAreNamed) {
    try {
        SigningIdentity::fromFiles("/nonexistent/org.p12", TestPki::file("password.txt"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "PKCS#12 file /nonexistent/org.p12: cannot be read (missing or no permission)");
    }
    try {
        SigningIdentity::fromFiles(TestPki::file("rsa.p12"), "/nonexistent/password");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "password file /nonexistent/password: cannot be read (missing or no permission)");
    }
}
