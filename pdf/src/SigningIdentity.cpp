// SigningIdentity: PKCS#12 loading. Checks, in order, that the file reads,
// is DER PKCS#12, opens with the password (MAC), holds a private key and
// its certificate, and that the key is RSA (2048 bits or more) or ECDSA.
// Then makes one signature to learn how large this identity's signatures are.
#include "duly/pdf/SigningIdentity.h"

#include "duly/engine/InputError.h"
#include "duly/pdf/CadesSignature.h"
#include "OpenSslSupport.h"
#include "SigningIdentityImpl.h"

#include <openssl/core_names.h>

#include <fstream>
#include <sstream>

namespace duly::pdf {
namespace {

using duly::engine::InputError;

std::string readFile(const std::filesystem::path& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(what + " " + path.string() + ": cannot be read (missing or no permission)");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::chrono::sys_seconds toSysSeconds(const ASN1_TIME* t) {
    struct tm tm {};
    if (!ASN1_TIME_to_tm(t, &tm)) return {};
    return std::chrono::sys_seconds{std::chrono::seconds{timegm(&tm)}};
}

// Securely forgets a password copy when it goes out of scope.
struct Wiped {
    std::string value;
    ~Wiped() { OPENSSL_cleanse(value.data(), value.size()); }
};

}  // namespace

SigningIdentity SigningIdentity::fromFiles(const std::filesystem::path& p12, const std::filesystem::path& passwordFile) {
    const std::string der = readFile(p12, "PKCS#12 file");
    Wiped password{readFile(passwordFile, "password file")};
    const auto eol = password.value.find_first_of("\r\n");
    if (eol != std::string::npos) {
        OPENSSL_cleanse(password.value.data() + eol, password.value.size() - eol);
        password.value.resize(eol);
    }
    return fromPkcs12(der, password.value, p12.string());
}

SigningIdentity SigningIdentity::fromPkcs12(std::string_view der, std::string_view password, const std::string& source) {
    ERR_clear_error();
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    ossl::Pkcs12 p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
    if (!p12) {
        ERR_clear_error();
        throw InputError(source + ": is not a PKCS#12 file (expected the DER bytes of a .p12 or .pfx, "
                                  "as made by 'openssl pkcs12 -export')");
    }
    Wiped pass{std::string(password)};
    const char* passArg = pass.value.c_str();
    if (PKCS12_mac_present(p12.get())) {
        bool ok = PKCS12_verify_mac(p12.get(), passArg, static_cast<int>(pass.value.size())) == 1;
        if (!ok && pass.value.empty()) {
            ok = PKCS12_verify_mac(p12.get(), nullptr, 0) == 1;
            if (ok) passArg = nullptr;
        }
        if (!ok) {
            ERR_clear_error();
            throw InputError(source + ": the password does not open it (its integrity check failed: "
                                      "a wrong password, or a damaged file)");
        }
    }
    EVP_PKEY* rawKey = nullptr;
    X509* rawCert = nullptr;
    STACK_OF(X509)* rawChain = nullptr;
    if (!PKCS12_parse(p12.get(), passArg, &rawKey, &rawCert, &rawChain)) {
        const unsigned long e = ERR_peek_last_error();
        ERR_clear_error();
        const bool unsupported = ERR_GET_REASON(e) == EVP_R_UNSUPPORTED_ALGORITHM ||
                                 ERR_GET_REASON(e) == ERR_R_UNSUPPORTED ||
                                 ERR_GET_REASON(e) == EVP_R_UNSUPPORTED_PRIVATE_KEY_ALGORITHM;
        if (unsupported)
            throw InputError(source + ": is encrypted with a legacy algorithm (RC2 or 3DES) that OpenSSL 3 does not "
                                      "load by default; export it again with AES (openssl pkcs12 -export ... "
                                      "-keypbe AES-256-CBC -certpbe AES-256-CBC)");
        throw InputError(source + ": its contents could not be decrypted or read (a wrong password, or a damaged file)");
    }
    auto impl = std::make_shared<Impl>();
    impl->key.reset(rawKey);
    impl->certificate.reset(rawCert);
    impl->chain.reset(rawChain ? rawChain : sk_X509_new_null());
    if (!impl->key) throw InputError(source + ": holds no private key (expected the signing key with its certificate)");
    if (!impl->certificate) throw InputError(source + ": holds no certificate for its private key");
    if (X509_check_private_key(impl->certificate.get(), impl->key.get()) != 1) {
        ERR_clear_error();
        throw InputError(source + ": its private key does not belong to its certificate");
    }
    const int bits = EVP_PKEY_get_bits(impl->key.get());
    if (EVP_PKEY_is_a(impl->key.get(), "RSA")) {
        if (bits < 2048)
            throw InputError(source + ": its RSA key has " + std::to_string(bits) + " bits; expected 2048 or more");
        impl->keyDescription = "RSA-" + std::to_string(bits);
    } else if (EVP_PKEY_is_a(impl->key.get(), "EC")) {
        char group[64] = {};
        std::size_t len = 0;
        EVP_PKEY_get_utf8_string_param(impl->key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len);
        const std::string g = group;
        if (g == "prime256v1" || g == "P-256") impl->keyDescription = "ECDSA P-256";
        else if (g == "secp384r1" || g == "P-384") impl->keyDescription = "ECDSA P-384";
        else if (g == "secp521r1" || g == "P-521") impl->keyDescription = "ECDSA P-521";
        else throw InputError(source + ": its elliptic-curve key is on curve '" + g + "'; expected P-256, P-384 or P-521");
    } else {
        throw InputError(source + ": its key is of type " + std::string(EVP_PKEY_get0_type_name(impl->key.get())) +
                         "; expected RSA or ECDSA (what PDF readers verify)");
    }
    impl->signerName = ossl::commonName(impl->certificate.get());
    impl->subject = ossl::nameText(X509_get_subject_name(impl->certificate.get()));
    impl->notBefore = toSysSeconds(X509_get0_notBefore(impl->certificate.get()));
    impl->notAfter = toSysSeconds(X509_get0_notAfter(impl->certificate.get()));

    SigningIdentity identity(impl);
    // One trial signature: the certificates dominate its size, RSA's is
    // fixed and ECDSA's varies by a few bytes.
    const std::string trial = createCadesSignature(identity, std::string(32, '\0'));
    impl->maxSignatureSize = trial.size() + 32;
    prepareCadesTemplate(identity);
    return identity;
}

const std::string& SigningIdentity::signerName() const { return _impl->signerName; }
const std::string& SigningIdentity::subject() const { return _impl->subject; }
const std::string& SigningIdentity::keyDescription() const { return _impl->keyDescription; }
std::chrono::sys_seconds SigningIdentity::notBefore() const { return _impl->notBefore; }
std::chrono::sys_seconds SigningIdentity::notAfter() const { return _impl->notAfter; }
std::size_t SigningIdentity::maxSignatureSize() const { return _impl->maxSignatureSize; }

}  // namespace duly::pdf
