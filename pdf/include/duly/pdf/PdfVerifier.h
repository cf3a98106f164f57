// PdfVerifier: checks the signatures of a PDF as Duly writes them and says,
// for each, who signed, whether the /ByteRange covers the whole file but the
// signature's /Contents, whether bytes were added after signing, whether
// the digest of the signed bytes matches the CMS message-digest, whether the
// CMS signature verifies with the signer's certificate (and the ESS
// signing-certificate-v2 attribute names that certificate), and, given CA
// certificates, whether the signer's certificate chains to one of them.
// verify() never throws for a bad PDF: a file it cannot read is a report
// with `structureError` set and `unreadable` true. Each signature is checked
// once however often the form names it, and at most 100 are. TrustAnchors::fromPemFile throws InputError.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duly::pdf {

// The certificates a signer's chain must reach (PEM, one or more).
class TrustAnchors {
public:
    struct Impl;
    // Throws InputError naming the file when it cannot be read or holds no certificate.
    static TrustAnchors fromPemFile(const std::filesystem::path& pem);
    static TrustAnchors fromPem(std::string_view pem, const std::string& source);
    const Impl& impl() const { return *_impl; }
    const std::string& source() const { return _source; }

private:
    TrustAnchors(std::shared_ptr<const Impl> impl, std::string source)
        : _impl(std::move(impl)), _source(std::move(source)) {}
    std::shared_ptr<const Impl> _impl;
    std::string _source;
};

struct SignatureCheck {
    std::string fieldName;
    std::string subFilter;        // "ETSI.CAdES.detached"
    std::string signingTime;      // /M as written ("D:20261202093000+00'00'")
    std::string signerName;       // the signer certificate's common name
    std::string signerSubject;    // RFC 2253
    std::string issuer;           // RFC 2253
    std::array<std::uint64_t, 4> byteRange{};
    bool byteRangeCoversAllButContents = false;  // starts at 0; the gap is exactly this /Contents
    std::uint64_t bytesAfter = 0;                // bytes of the file after the signed range
    bool digestMatches = false;                  // SHA-256 (or the CMS's digest) of the range = message-digest
    bool signatureValid = false;                 // the signed attributes verify with the certificate's key
    bool signingCertificateMatches = false;      // ESS signing-certificate-v2 names the signer's certificate
    std::optional<bool> trusted;                 // set when anchors were given
    std::string trustDetail;                     // why not trusted, from OpenSSL
    std::vector<std::string> problems;           // each reason this signature is not valid, in words

    bool valid() const { return problems.empty(); }
};

struct VerificationReport {
    std::uint64_t fileSize = 0;
    std::string structureError;  // the PDF could not be read far enough to find its signatures, or has none
    bool unreadable = false;     // structureError says why the file could not be read as a PDF (not merely unsigned)
    std::vector<SignatureCheck> signatures;

    // Readable, at least one signature, and every signature valid.
    bool valid() const;
};

class PdfVerifier {
public:
    explicit PdfVerifier(std::optional<TrustAnchors> anchors = std::nullopt) : _anchors(std::move(anchors)) {}
    VerificationReport verify(std::string_view pdf) const;

private:
    std::optional<TrustAnchors> _anchors;
};

}  // namespace duly::pdf
