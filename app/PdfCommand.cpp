// duly pdf: signs a letter's PDF with the organisation's certificate and
// verifies signed letters (docs/signing.md). `sign` writes OUT through a
// temporary file, fsync and rename, so OUT is absent or complete; it never
// prints the password. `verify` prints each check and exits 1 when any
// signature is not valid or the file changed after signing (or has no
// signature); files that cannot be read, as files or as PDFs, and bad
// options are status 2.
#include "Command.h"
#include "Config.h"

#include "duly/engine/PrivateFiles.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/mail/DurableFile.h"
#include "duly/pdf/PdfSigner.h"
#include "duly/pdf/PdfVerifier.h"
#include "duly/pdf/SigningIdentity.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <ostream>
#include <sstream>

using duly::engine::InputError;
namespace fs = std::filesystem;

namespace {

const char* kUsage = R"(Usage: duly pdf sign IN OUT [--p12 FILE --password-file FILE | --config FILE]
                    [--reason TEXT] [--name TEXT] [--location TEXT] [--contact TEXT] [--time TIME]
       duly pdf verify FILE [--ca CA.pem]

sign    signs the PDF IN with the certificate and key in a PKCS#12 file (PAdES baseline B-B,
        ETSI.CAdES.detached, as an incremental update) and writes OUT.
          --p12            the organisation's PKCS#12 (.p12/.pfx) file
          --password-file  a file whose first line is the PKCS#12 password
                           (without --p12: the [signing] table of the config file)
          --config         the config file (default HOME/config/duly.toml)
          --reason         /Reason (default: signing.reason), e.g. "Letter from Progress Housing Group"
          --name           /Name (default: the certificate's common name)
          --location, --contact   /Location and /ContactInfo
          --time           the signing time written as /M, RFC 3339 (default: now)
verify  names each signer and checks that the signature covers the whole file but itself, that
        nothing changed or was added after signing, that the signature verifies, and with --ca that
        the signer's certificate chains to a certificate in CA.pem.

Exit status: 0 signed / every signature valid, 1 a signature is not valid, the file changed or
it has no signature, 2 bad input (a file that cannot be read, or read as a PDF, a wrong password,
a PDF that cannot be signed).
)";

std::string readWhole(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(what + " " + path + ": cannot be read (missing or no permission)");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeAtomically(const fs::path& out, std::string_view bytes) {
    try {
        duly::engine::writePrivateFileAtomically(out, bytes);
    } catch (const std::exception& e) {
        throw InputError(out.string() + ": cannot be written (" + e.what() + ")");
    }
}

int runSign(duly::app::Context& ctx) {
    auto& a = ctx.args;
    auto p12 = a.option("p12");
    auto passwordFile = a.option("password-file");
    const auto configFile = a.option("config");
    std::string defaultReason;
    if (!p12) {
        if (passwordFile) throw InputError("duly pdf sign: --password-file goes with --p12");
        const auto config = duly::app::loadConfig(ctx.home, configFile ? std::optional<fs::path>(*configFile) : std::nullopt);
        if (!config.signing)
            throw InputError("duly pdf sign needs --p12 FILE --password-file FILE, or a [signing] table in " +
                             config.file.string() + " (see docs/signing.md)");
        p12 = config.signing->p12.string();
        passwordFile = config.signing->passwordFile.string();
        defaultReason = config.signing->reason;
    } else if (!passwordFile) {
        throw InputError("duly pdf sign needs --password-file FILE with --p12 (see duly pdf --help)");
    }
    duly::pdf::SignatureRequest request;
    request.reason = a.option("reason").value_or(defaultReason);
    request.name = a.option("name").value_or("");
    request.location = a.option("location").value_or("");
    request.contactInfo = a.option("contact").value_or("");
    if (auto t = a.option("time")) request.time = duly::engine::parseRfc3339(*t, "--time");
    else request.time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::string in = a.positional(1, "the PDF to sign (IN)");
    const std::string out = a.positional(2, "where to write the signed PDF (OUT)");
    if (a.positionals().size() > 3) throw InputError("duly pdf sign: unexpected '" + a.positionals()[3] + "' after OUT");
    a.finish();

    const std::string pdf = readWhole(in, "PDF");
    const auto identity = duly::pdf::SigningIdentity::fromFiles(*p12, *passwordFile);
    const duly::pdf::PdfSigner signer(identity);
    std::string signedPdf;
    try {
        signedPdf = signer.sign(pdf, request);
    } catch (const InputError& e) {
        throw InputError(in + ": " + e.what());
    }
    writeAtomically(out, signedPdf);
    ctx.out << "signed " << in << " as " << identity.signerName() << " (" << identity.keyDescription() << "), wrote "
            << out << " (" << signedPdf.size() - pdf.size() << " bytes added)\n";
    return 0;
}

std::string yesNo(bool b) { return b ? "yes" : "no"; }

int runVerify(duly::app::Context& ctx) {
    auto& a = ctx.args;
    std::optional<duly::pdf::TrustAnchors> anchors;
    if (auto ca = a.option("ca")) anchors = duly::pdf::TrustAnchors::fromPemFile(*ca);
    const std::string file = a.positional(1, "the PDF to verify");
    if (a.positionals().size() > 2) throw InputError("duly pdf verify: unexpected '" + a.positionals()[2] + "' after FILE");
    a.finish();

    const std::string pdf = readWhole(file, "PDF");
    const duly::pdf::PdfVerifier verifier(anchors);
    const auto report = verifier.verify(pdf);
    auto& o = ctx.out;
    if (report.unreadable) throw InputError(file + ": " + report.structureError);
    if (!report.structureError.empty()) {
        o << file << ": NOT VALID: " << report.structureError << "\n";
        return 1;
    }
    for (const auto& s : report.signatures) {
        o << file << ": signature " << s.fieldName << " by " << (s.signerName.empty() ? "(unknown)" : s.signerName) << "\n";
        if (!s.signerSubject.empty()) o << "  certificate:        " << s.signerSubject << "\n";
        if (!s.issuer.empty()) o << "  issued by:          " << s.issuer << "\n";
        o << "  kind:               " << s.subFilter << "\n";
        if (!s.signingTime.empty()) o << "  signing time (/M):  " << s.signingTime << "\n";
        o << "  byte range:         [" << s.byteRange[0] << " " << s.byteRange[1] << " " << s.byteRange[2] << " "
          << s.byteRange[3] << "] covers the whole file but the signature: "
          << yesNo(s.byteRangeCoversAllButContents && s.bytesAfter == 0) << "\n";
        o << "  changed after signing: "
          << (!s.digestMatches ? "yes (the signed bytes do not match the signature)"
              : s.bytesAfter > 0 ? "yes (" + std::to_string(s.bytesAfter) + " bytes added after the signed part)"
                                 : std::string("no"))
          << "\n";
        o << "  digest matches:     " << yesNo(s.digestMatches) << "\n";
        o << "  signature verifies: " << yesNo(s.signatureValid) << "\n";
        o << "  signing-certificate-v2 names the signer: " << yesNo(s.signingCertificateMatches) << "\n";
        if (s.trusted) o << "  trusted by " << anchors->source() << ": " << (*s.trusted ? "yes" : "no (" + s.trustDetail + ")") << "\n";
        else o << "  trusted:            not checked (give --ca CA.pem)\n";
        for (const auto& p : s.problems) o << "  problem: " << p << "\n";
    }
    if (report.valid()) {
        o << file << ": valid\n";
        return 0;
    }
    o << file << ": NOT VALID\n";
    return 1;
}

int runPdf(duly::app::Context& ctx) {
    const std::string action = ctx.args.positional(0, "an action (sign, verify)");
    if (action == "sign") return runSign(ctx);
    if (action == "verify") return runVerify(ctx);
    throw InputError("duly pdf: unknown action '" + action + "' (expected sign or verify)");
}

}  // namespace

duly::app::CommandRegistration reg{"pdf", "sign a letter's PDF and verify signed PDFs", kUsage, runPdf};
