// PdfSigner: signs a finished PDF in memory with a PAdES baseline B-B
// signature (/SubFilter /ETSI.CAdES.detached, CMS from CadesSignature),
// written as an incremental update (PDF 1.7, 7.5.6): the original bytes are
// kept unchanged, and after them come a /Sig dictionary with a /Contents
// placeholder sized for this identity, an invisible signature field and
// widget on the first page, the catalog, AcroForm and page objects that had
// to change (with every entry they had: document information, /Lang and
// the rest are kept), and a new cross-reference section of the same kind
// as the file's newest (table or stream) with /Prev. The /ByteRange covers
// the whole output except the /Contents value.
// sign() is const and thread-safe; it throws PdfFormatError for a PDF it
// cannot update (encrypted, no pages, malformed — with the offset) and
// InputError when the certificate is not valid at the signing time.
#pragma once

#include "duly/pdf/SigningIdentity.h"

#include <chrono>
#include <string>
#include <string_view>

namespace duly::pdf {

struct SignatureRequest {
    std::chrono::sys_seconds time;  // written as /M; PAdES keeps the claimed signing time there
    std::string reason;             // /Reason, optional
    std::string name;               // /Name; empty: the certificate's common name
    std::string location;           // /Location, optional
    std::string contactInfo;        // /ContactInfo, optional
};

class PdfSigner {
public:
    explicit PdfSigner(SigningIdentity identity) : _identity(std::move(identity)) {}

    // The signed PDF: `pdf` followed by the incremental update.
    std::string sign(std::string_view pdf, const SignatureRequest& request) const;

    const SigningIdentity& identity() const { return _identity; }

private:
    SigningIdentity _identity;
};

// "D:20261202093000+00'00'" for a UTC time (PDF 1.7, 7.9.4).
std::string pdfDate(std::chrono::sys_seconds time);

}  // namespace duly::pdf
