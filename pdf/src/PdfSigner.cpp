// PdfSigner: the incremental update that carries a signature. Reads the
// newest revision through PdfReader, rewrites only the objects that must
// change, fills /ByteRange once every offset is known, then digests the
// covered bytes and writes the hex CMS into the /Contents placeholder.
#include "duly/pdf/PdfSigner.h"

#include "duly/engine/InputError.h"
#include "duly/pdf/CadesSignature.h"
#include "duly/pdf/PdfFormatError.h"
#include "duly/pdf/PdfReader.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

namespace duly::pdf {
namespace {

constexpr int kMaxPageTreeDepth = 32;
constexpr std::size_t kMaxFieldsScanned = 100'000;
constexpr std::size_t kByteRangeWidth = 60;  // "[0 b c d]" and padding; room for 3 numbers of 18 digits

PdfRef firstPage(PdfReader& reader, const PdfObject& catalog) {
    const PdfObject* pages = catalog.find("Pages");
    if (!pages || !pages->isReference()) throw PdfFormatError("the catalog has no /Pages reference: the PDF has no pages");
    PdfRef ref = pages->ref();
    for (int depth = 0; depth < kMaxPageTreeDepth; ++depth) {
        PdfObject node = reader.object(ref);
        if (!node.isDictionary())
            throw PdfFormatError("page tree object " + std::to_string(ref.number) + " is not a dictionary");
        const PdfObject* type = node.find("Type");
        const PdfObject* kidsEntry = node.find("Kids");
        if ((type && type->isName("Page")) || (!type && !kidsEntry)) return ref;
        if (!kidsEntry) throw PdfFormatError("page tree node " + std::to_string(ref.number) + " has no /Kids");
        PdfObject kids = reader.resolve(*kidsEntry);
        if (!kids.isArray() || kids.items().empty() || !kids.items()[0].isReference())
            throw PdfFormatError("page tree node " + std::to_string(ref.number) +
                                 " has no first kid (expected /Kids [N 0 R ...])");
        ref = kids.items()[0].ref();
    }
    throw PdfFormatError("the page tree is more than " + std::to_string(kMaxPageTreeDepth) + " levels deep");
}

// PDF header version as 10 * major + minor ("%PDF-1.4" is 14), 0 when unreadable.
int headerVersion(std::string_view file) {
    const auto at = file.find("%PDF-");
    if (at == std::string_view::npos || at + 8 > file.size()) return 0;
    const char major = file[at + 5], minor = file[at + 7];
    if (major < '0' || major > '9' || file[at + 6] != '.' || minor < '0' || minor > '9') return 0;
    return (major - '0') * 10 + (minor - '0');
}

int nameVersion(const PdfObject* v) {
    if (!v || !v->isName() || v->text().size() != 3 || v->text()[1] != '.') return 0;
    return (v->text()[0] - '0') * 10 + (v->text()[2] - '0');
}

std::string hexOf(std::string_view bytes) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

void collectFieldNames(PdfReader& reader, const PdfObject& fields, std::set<std::string>& names) {
    std::size_t scanned = 0;
    for (const auto& item : fields.items()) {
        if (++scanned > kMaxFieldsScanned) break;
        PdfObject field = reader.resolve(item);
        if (const PdfObject* t = field.find("T"); t && t->isString()) names.insert(t->text());
    }
}

// "2026-12-02 09:30:00 UTC"
std::string readableTime(std::chrono::sys_seconds time) {
    const std::string d = pdfDate(time);  // D:YYYYMMDDHHmmSS+00'00'
    return d.substr(2, 4) + "-" + d.substr(6, 2) + "-" + d.substr(8, 2) + " " + d.substr(10, 2) + ":" +
           d.substr(12, 2) + ":" + d.substr(14, 2) + " UTC";
}

struct Written {
    std::uint32_t number;
    std::uint32_t generation;
    std::size_t offset;
};

}  // namespace

std::string pdfDate(std::chrono::sys_seconds time) {
    const std::time_t t = time.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d+00'00'", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string PdfSigner::sign(std::string_view pdf, const SignatureRequest& request) const {
    if (request.time < _identity.notBefore() || request.time > _identity.notAfter())
        throw duly::engine::InputError("the certificate of " + _identity.signerName() + " is valid from " +
                                       readableTime(_identity.notBefore()) + " to " +
                                       readableTime(_identity.notAfter()) + ", not at the signing time " +
                                       readableTime(request.time));
    PdfReader reader(pdf);
    const PdfObject& trailer = reader.trailer();
    if (trailer.find("Encrypt"))
        throw PdfFormatError("the PDF is encrypted (/Encrypt in its trailer); only unencrypted PDFs are signed");
    const PdfObject* rootEntry = trailer.find("Root");
    if (!rootEntry || !rootEntry->isReference())
        throw PdfFormatError(reader.startxref(), "the trailer has no /Root reference to the catalog");
    const PdfRef rootRef = rootEntry->ref();
    PdfObject catalog = reader.object(rootRef);
    if (!catalog.isDictionary())
        throw PdfFormatError("the catalog (object " + std::to_string(rootRef.number) + ") is not a dictionary");
    const PdfRef pageRef = firstPage(reader, catalog);
    PdfObject page = reader.object(pageRef);

    std::uint32_t nextNumber = reader.size();
    const PdfRef sigRef{nextNumber++, 0};
    const PdfRef fieldRef{nextNumber++, 0};
    std::vector<std::pair<PdfRef, PdfObject>> rewritten;
    bool catalogChanged = false, pageChanged = false;

    // AcroForm: direct in the catalog, or an object of its own.
    PdfObject acroForm = PdfObject::dictionary();
    std::optional<PdfRef> acroFormRef;
    if (const PdfObject* af = catalog.find("AcroForm"); af && !af->isNull()) {
        if (af->isReference()) {
            PdfObject resolved = reader.object(af->ref());
            if (!resolved.isNull()) {
                acroFormRef = af->ref();
                acroForm = std::move(resolved);
            }
        } else {
            acroForm = *af;
        }
        if (!acroForm.isDictionary()) throw PdfFormatError("the catalog's /AcroForm is not a dictionary");
    }
    std::set<std::string> names;
    const PdfObject* fieldsEntry = acroForm.find("Fields");
    if (fieldsEntry && fieldsEntry->isReference()) {
        PdfObject fields = reader.object(fieldsEntry->ref());
        if (!fields.isArray()) throw PdfFormatError("the AcroForm's /Fields object is not an array");
        collectFieldNames(reader, fields, names);
        fields.items().push_back(PdfObject::reference(fieldRef));
        rewritten.emplace_back(fieldsEntry->ref(), std::move(fields));
    } else {
        PdfObject fields = fieldsEntry && fieldsEntry->isArray() ? *fieldsEntry : PdfObject::array();
        if (fieldsEntry && !fieldsEntry->isArray() && !fieldsEntry->isNull())
            throw PdfFormatError("the AcroForm's /Fields is not an array");
        collectFieldNames(reader, fields, names);
        fields.items().push_back(PdfObject::reference(fieldRef));
        acroForm.set("Fields", std::move(fields));
    }
    std::int64_t sigFlags = 0;
    if (const PdfObject* f = acroForm.find("SigFlags"); f && f->isInteger()) sigFlags = f->integerValue();
    acroForm.set("SigFlags", PdfObject::integer(sigFlags | 3));
    if (acroFormRef) {
        rewritten.emplace_back(*acroFormRef, std::move(acroForm));
    } else {
        catalog.set("AcroForm", std::move(acroForm));
        catalogChanged = true;
    }

    // ETSI.CAdES.detached is PDF 2.0, or PDF 1.7 with the ESIC extension level 2 (ETSI EN 319 142-1).
    const int version = std::max(headerVersion(pdf), nameVersion(catalog.find("Version")));
    if (version < 20) {
        if (version < 17) {
            catalog.set("Version", PdfObject::name("1.7"));
            catalogChanged = true;
        }
        const PdfObject* ext = catalog.find("Extensions");
        if (!ext || ext->isNull() || (ext->isDictionary() && !ext->find("ESIC"))) {
            PdfObject extensions = ext && ext->isDictionary() ? *ext : PdfObject::dictionary();
            extensions.set("ESIC", PdfObject::dictionary({{"BaseVersion", PdfObject::name("1.7")},
                                                           {"ExtensionLevel", PdfObject::integer(2)}}));
            catalog.set("Extensions", std::move(extensions));
            catalogChanged = true;
        }
    }

    // The widget goes into the first page's /Annots.
    if (const PdfObject* annots = page.find("Annots"); annots && annots->isReference()) {
        PdfObject list = reader.object(annots->ref());
        if (!list.isArray()) throw PdfFormatError("the first page's /Annots object is not an array");
        list.items().push_back(PdfObject::reference(fieldRef));
        rewritten.emplace_back(annots->ref(), std::move(list));
    } else {
        PdfObject list = annots && annots->isArray() ? *annots : PdfObject::array();
        if (annots && !annots->isArray() && !annots->isNull())
            throw PdfFormatError("the first page's /Annots is not an array");
        list.items().push_back(PdfObject::reference(fieldRef));
        page.set("Annots", std::move(list));
        pageChanged = true;
    }
    if (pageChanged) rewritten.emplace_back(pageRef, std::move(page));
    if (catalogChanged) rewritten.emplace_back(rootRef, std::move(catalog));
    std::set<std::uint32_t> numbers;
    for (const auto& [ref, value] : rewritten) {
        (void)value;
        if (!numbers.insert(ref.number).second)
            throw PdfFormatError("object " + std::to_string(ref.number) +
                                 " plays two parts (catalog, page, AcroForm, /Fields or /Annots); it cannot be updated");
    }

    std::string fieldName;
    for (int n = 1;; ++n) {
        fieldName = "Signature" + std::to_string(n);
        if (!names.count(fieldName)) break;
    }

    // Write the update.
    std::string out;
    const std::size_t placeholderBytes = _identity.maxSignatureSize();
    out.reserve(pdf.size() + 2 * placeholderBytes + 4096);
    out.append(pdf);
    if (out.empty() || (out.back() != '\n' && out.back() != '\r')) out += '\n';
    std::vector<Written> written;
    auto begin = [&](PdfRef ref) {
        written.push_back({ref.number, ref.generation, out.size()});
        out += std::to_string(ref.number) + " " + std::to_string(ref.generation) + " obj\n";
    };
    auto end = [&] { out += "\nendobj\n"; };

    begin(sigRef);
    out += "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M";
    PdfObject::string(pdfDate(request.time)).serializeTo(out);
    out += "/Name";
    pdfTextString(request.name.empty() ? _identity.signerName() : request.name).serializeTo(out);
    if (!request.reason.empty()) {
        out += "/Reason";
        pdfTextString(request.reason).serializeTo(out);
    }
    if (!request.location.empty()) {
        out += "/Location";
        pdfTextString(request.location).serializeTo(out);
    }
    if (!request.contactInfo.empty()) {
        out += "/ContactInfo";
        pdfTextString(request.contactInfo).serializeTo(out);
    }
    out += "/ByteRange";
    const std::size_t byteRangeAt = out.size();
    out.append(kByteRangeWidth, ' ');
    out += "/Contents";
    const std::size_t contentsAt = out.size();
    out += '<';
    out.append(2 * placeholderBytes, '0');
    out += '>';
    const std::size_t contentsEnd = out.size();
    out += ">>";
    end();

    begin(fieldRef);
    PdfObject field = PdfObject::dictionary({
        {"Type", PdfObject::name("Annot")},
        {"Subtype", PdfObject::name("Widget")},
        {"FT", PdfObject::name("Sig")},
        {"T", PdfObject::string(fieldName)},
        {"V", PdfObject::reference(sigRef)},
        {"F", PdfObject::integer(132)},  // Print | Locked
        {"Rect", PdfObject::array({PdfObject::integer(0), PdfObject::integer(0), PdfObject::integer(0),
                                   PdfObject::integer(0)})},
        {"P", PdfObject::reference(pageRef)},
    });
    field.serializeTo(out);
    end();

    for (const auto& [ref, value] : rewritten) {
        begin(ref);
        value.serializeTo(out);
        end();
    }

    // The new trailer keeps /Root, /Info and /ID of the newest one.
    PdfObject newTrailer = PdfObject::dictionary();
    auto copyTrailerEntries = [&] {
        newTrailer.set("Root", PdfObject::reference(rootRef));
        if (const PdfObject* info = trailer.find("Info")) newTrailer.set("Info", *info);
        if (const PdfObject* id = trailer.find("ID")) newTrailer.set("ID", *id);
        newTrailer.set("Prev", PdfObject::integer(static_cast<std::int64_t>(reader.startxref())));
    };

    const std::size_t xrefAt = out.size();
    if (!reader.newestSectionIsStream()) {
        std::sort(written.begin(), written.end(), [](const Written& a, const Written& b) { return a.number < b.number; });
        out += "xref\n";
        for (std::size_t i = 0; i < written.size();) {
            std::size_t j = i + 1;
            while (j < written.size() && written[j].number == written[j - 1].number + 1) ++j;
            out += std::to_string(written[i].number) + " " + std::to_string(j - i) + "\n";
            for (; i < j; ++i) {
                char entry[32];
                std::snprintf(entry, sizeof entry, "%010zu %05u n\r\n", written[i].offset, written[i].generation);
                out += entry;
            }
        }
        newTrailer.set("Size", PdfObject::integer(nextNumber));
        copyTrailerEntries();
        out += "trailer\n";
        newTrailer.serializeTo(out);
        out += "\n";
    } else {
        const PdfRef xrefRef{nextNumber++, 0};
        written.push_back({xrefRef.number, 0, xrefAt});
        std::sort(written.begin(), written.end(), [](const Written& a, const Written& b) { return a.number < b.number; });
        const int offsetWidth = xrefAt > 0xffffffffu ? 8 : 4;
        std::string data;
        PdfObject index = PdfObject::array();
        for (std::size_t i = 0; i < written.size();) {
            std::size_t j = i + 1;
            while (j < written.size() && written[j].number == written[j - 1].number + 1) ++j;
            index.items().push_back(PdfObject::integer(written[i].number));
            index.items().push_back(PdfObject::integer(static_cast<std::int64_t>(j - i)));
            for (; i < j; ++i) {
                data += '\x01';
                for (int k = offsetWidth - 1; k >= 0; --k)
                    data += static_cast<char>((written[i].offset >> (8 * k)) & 0xff);
                data += static_cast<char>((written[i].generation >> 8) & 0xff);
                data += static_cast<char>(written[i].generation & 0xff);
            }
        }
        newTrailer.set("Type", PdfObject::name("XRef"));
        newTrailer.set("Size", PdfObject::integer(nextNumber));
        newTrailer.set("W", PdfObject::array({PdfObject::integer(1), PdfObject::integer(offsetWidth),
                                              PdfObject::integer(2)}));
        newTrailer.set("Index", std::move(index));
        copyTrailerEntries();
        newTrailer.set("Length", PdfObject::integer(static_cast<std::int64_t>(data.size())));
        out += std::to_string(xrefRef.number) + " 0 obj\n";
        newTrailer.serializeTo(out);
        out += "\nstream\n";
        out += data;
        out += "\nendstream\nendobj\n";
    }
    out += "startxref\n" + std::to_string(xrefAt) + "\n%%EOF\n";

    // Now every offset is known: the byte range, then the digest over it.
    const std::size_t total = out.size();
    const std::string byteRange = "[0 " + std::to_string(contentsAt) + " " + std::to_string(contentsEnd) + " " +
                                  std::to_string(total - contentsEnd) + "]";
    if (byteRange.size() > kByteRangeWidth) throw std::logic_error("PdfSigner: /ByteRange wider than its placeholder");
    out.replace(byteRangeAt, byteRange.size(), byteRange);

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLen = 0;
    {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        if (!md || EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1 ||
            EVP_DigestUpdate(md.get(), out.data(), contentsAt) != 1 ||
            EVP_DigestUpdate(md.get(), out.data() + contentsEnd, total - contentsEnd) != 1 ||
            EVP_DigestFinal_ex(md.get(), digest, &digestLen) != 1)
            throw std::runtime_error("PdfSigner: SHA-256 failed");
    }

    const std::string cms = createCadesSignature(_identity, std::string_view(reinterpret_cast<char*>(digest), digestLen));
    if (cms.size() > placeholderBytes)
        throw std::logic_error("PdfSigner: a signature of " + std::to_string(cms.size()) + " bytes is larger than the " +
                               std::to_string(placeholderBytes) + " measured for this identity");
    const std::string hex = hexOf(cms);
    out.replace(contentsAt + 1, hex.size(), hex);
    return out;
}

}  // namespace duly::pdf
