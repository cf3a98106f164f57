// SigningIdentity: the organisation's signing key, its certificate and the
// certificates above it, loaded once from a PKCS#12 file and a password and
// then shared by every signature of a print run (copies share one immutable
// state, safe to use from several threads). Loading fails with InputError
// naming the file and what was wrong (unreadable, not PKCS#12, wrong
// password, no key, key and certificate that do not belong together, a key
// type or size we do not sign with); the password never appears in a message.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace duly::pdf {

class SigningIdentity {
public:
    struct Impl;  // OpenSSL objects; see src/SigningIdentityImpl.h

    // Reads `p12` and the password from the first line of `passwordFile`
    // (its line ending is not part of the password).
    static SigningIdentity fromFiles(const std::filesystem::path& p12, const std::filesystem::path& passwordFile);
    // From the bytes of a PKCS#12 file; `source` names it in messages.
    static SigningIdentity fromPkcs12(std::string_view der, std::string_view password, const std::string& source);

    // The certificate subject's common name ("Progress Housing Group").
    const std::string& signerName() const;
    // The whole subject, RFC 2253 ("CN=Progress Housing Group,O=...").
    const std::string& subject() const;
    // "RSA-2048" or "ECDSA P-256".
    const std::string& keyDescription() const;
    std::chrono::sys_seconds notBefore() const;
    std::chrono::sys_seconds notAfter() const;
    // The most bytes one CMS signature by this identity takes (DER), measured
    // once at load with some room for ECDSA's varying length.
    std::size_t maxSignatureSize() const;

    const Impl& impl() const { return *_impl; }

private:
    explicit SigningIdentity(std::shared_ptr<const Impl> impl) : _impl(std::move(impl)) {}
    std::shared_ptr<const Impl> _impl;
};

}  // namespace duly::pdf
