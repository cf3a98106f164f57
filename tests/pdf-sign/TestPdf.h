// TestPdf: small, valid PDFs written byte by byte for the signing tests, in
// the shapes the signer must handle: a classic cross-reference table (as
// libharu writes), a cross-reference stream with a PNG predictor, objects
// inside a compressed object stream, a hybrid file (table plus /XRefStm), an existing AcroForm with a field
// called Signature1 and indirect /Fields and /Annots arrays, document
// information and /Lang to be kept. Also the hostile shapes of issue 11,
// made from those: incremental updates that rewrite objects (a /Fields array
// naming one signature 10,000 times, 101 signature fields) and thousands of
// cross-reference sections naming one /XRefStm. Deterministic; cannot fail.
#pragma once

#include <zlib.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace duly::pdf::test {

struct TestPdfOptions {
    bool xrefStream = false;     // a cross-reference stream instead of a table
    bool objectStream = false;   // most objects in an object stream (implies xrefStream)
    bool hybrid = false;         // object stream, a classic table and /XRefStm (PDF 1.7, 7.5.8.4)
    bool acroForm = false;       // an AcroForm with a text field "Signature1"
    bool finalNewline = true;    // whether the file ends with an end-of-line
    std::string text = "Dear Mr Fairclough, we will fix the back door on Tuesday.";
};

inline std::string deflate(const std::string& data) {
    uLongf len = compressBound(static_cast<uLong>(data.size()));
    std::string out(len, '\0');
    compress2(reinterpret_cast<Bytef*>(out.data()), &len, reinterpret_cast<const Bytef*>(data.data()),
              static_cast<uLong>(data.size()), 9);
    out.resize(len);
    return out;
}

inline std::string makeTestPdf(const TestPdfOptions& o = {}) {
    const bool xrefStream = o.xrefStream || o.objectStream;
    const bool objectStream = o.objectStream || o.hybrid;
    std::map<int, std::string> objs;
    objs[1] = std::string("<< /Type /Catalog /Pages 2 0 R /Lang (en-GB)") + (o.acroForm ? " /AcroForm 7 0 R" : "") +
              " /ViewerPreferences << /DisplayDocTitle true >> >>";
    objs[2] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
    objs[3] = std::string("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R ") +
              "/Resources << /Font << /F1 5 0 R >> >>" + (o.acroForm ? " /Annots 9 0 R" : "") + " >>";
    objs[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    objs[6] = "<< /Title (Your repair) /Author (Dee Parker) /Subject (PHG-2026-00001) /Producer (Duly tests) >>";
    if (o.acroForm) {
        objs[7] = "<< /Fields 8 0 R /DA (/Helv 0 Tf 0 g) >>";
        objs[8] = "[10 0 R]";
        objs[9] = "[10 0 R]";
        objs[10] = "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Signature1) /Rect [0 0 0 0] /P 3 0 R >>";
    }
    const std::string content = "BT /F1 12 Tf 72 760 Td (" + o.text + ") Tj ET";
    const std::string stream4 = "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream";

    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::map<int, std::pair<int, std::size_t>> xref;  // number -> (type, offset or stream number / index)
    auto put = [&](int n, const std::string& body) {
        xref[n] = {1, out.size()};
        out += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
    };
    put(4, stream4);
    int size = o.acroForm ? 11 : 7;
    if (objectStream) {
        const int stm = size++;
        std::string header, bodies;
        std::size_t index = 0;
        for (const auto& [n, body] : objs) {
            header += std::to_string(n) + " " + std::to_string(bodies.size()) + " ";
            bodies += body + "\n";
            xref[n] = {2, index++};
        }
        const std::string data = header + bodies;
        const std::string z = deflate(data);
        put(stm, "<< /Type /ObjStm /N " + std::to_string(objs.size()) + " /First " + std::to_string(header.size()) +
                     " /Filter /FlateDecode /Length " + std::to_string(z.size()) + " >>\nstream\n" + z + "\nendstream");
        // Type-2 entries carry the object stream's number (high bits) and the index.
        for (auto& [n, e] : xref)
            if (e.first == 2) e = {2, (static_cast<std::size_t>(stm) << 16) | e.second};
    } else {
        for (const auto& [n, body] : objs) put(n, body);
    }
    const std::string id = "<00112233445566778899AABBCCDDEEFF>";
    const std::size_t xrefAt = out.size();
    if (!xrefStream && !o.hybrid) {
        out += "xref\n0 " + std::to_string(size) + "\n0000000000 65535 f\r\n";
        for (int n = 1; n < size; ++n) {
            char line[32];
            std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", xref[n].second);
            out += line;
        }
        out += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Info 6 0 R /ID [" + id + " " + id +
               "] >>\nstartxref\n" + std::to_string(xrefAt) + "\n%%EOF" + (o.finalNewline ? "\n" : "");
        return out;
    }
    // Rows of 7 bytes (W [1 4 2]), PNG "Up" predictor as qpdf writes them.
    auto xrefRows = [&](int count) {
        std::vector<unsigned char> prev(7, 0);
        std::string rows;
        for (int n = 0; n < count; ++n) {
            unsigned char row[7] = {0, 0, 0, 0, 0, 0xff, 0xff};
            if (n > 0) {
                const auto [type, value] = xref[n];
                const std::size_t f2 = type == 1 ? value : value >> 16;
                const std::size_t f3 = type == 1 ? 0 : value & 0xffff;
                row[0] = static_cast<unsigned char>(type);
                for (int k = 0; k < 4; ++k) row[1 + k] = static_cast<unsigned char>(f2 >> (8 * (3 - k)));
                row[5] = static_cast<unsigned char>(f3 >> 8);
                row[6] = static_cast<unsigned char>(f3);
            }
            rows += '\x02';
            for (int k = 0; k < 7; ++k) rows += static_cast<char>(static_cast<unsigned char>(row[k] - prev[k]));
            for (int k = 0; k < 7; ++k) prev[k] = row[k];
        }
        return deflate(rows);
    };
    const std::string xrefParms = " /W [1 4 2] /Filter /FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >>";
    if (o.hybrid) {
        const int stm = size++;
        xref[stm] = {1, out.size()};
        const std::string z = xrefRows(size);
        out += std::to_string(stm) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(size) + xrefParms + " /Length " +
               std::to_string(z.size()) + " >>\nstream\n" + z + "\nendstream\nendobj\n";
        const std::size_t tableAt = out.size();
        // The table lists only the objects at offsets, one subsection each;
        // older readers never see the compressed ones.
        out += "xref\n0 1\n0000000000 65535 f\r\n";
        for (int n = 1; n < size; ++n) {
            if (xref[n].first != 1) continue;
            char line[48];
            std::snprintf(line, sizeof line, "%d 1\n%010zu 00000 n\r\n", n, xref[n].second);
            out += line;
        }
        out += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Info 6 0 R /ID [" + id + " " + id +
               "] /XRefStm " + std::to_string(xref[stm].second) + " >>\nstartxref\n" + std::to_string(tableAt) + "\n%%EOF\n";
        return out;
    }
    const int self = size++;
    xref[self] = {1, xrefAt};
    const std::string z = xrefRows(size);
    out += std::to_string(self) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(size) + xrefParms +
           " /Root 1 0 R /Info 6 0 R /ID [" + id + " " + id + "] /Length " + std::to_string(z.size()) +
           " >>\nstream\n" + z + "\nendstream\nendobj\nstartxref\n" + std::to_string(xrefAt) + "\n%%EOF" +
           (o.finalNewline ? "\n" : "");
    return out;
}

// The number after the last `key` in `pdf` ("startxref", "/Size ").
inline std::size_t lastNumberAfter(const std::string& pdf, const std::string& key) {
    return std::stoul(pdf.substr(pdf.rfind(key) + key.size()));
}

// `pdf` with an incremental update (a classic table) that writes `objects`
// (number -> body) and says the file now has `size` objects.
inline std::string withUpdate(std::string pdf, const std::map<int, std::string>& objects, std::size_t size) {
    const std::size_t prev = lastNumberAfter(pdf, "startxref");
    std::map<int, std::size_t> at;
    for (const auto& [n, body] : objects) {
        at[n] = pdf.size();
        pdf += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
    }
    const std::size_t xrefAt = pdf.size();
    pdf += "xref\n";
    for (auto it = at.begin(); it != at.end();) {
        auto end = it;
        int count = 0;
        while (end != at.end() && end->first == it->first + count) ++end, ++count;
        pdf += std::to_string(it->first) + " " + std::to_string(count) + "\n";
        for (; it != end; ++it) {
            char line[32];
            std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", it->second);
            pdf += line;
        }
    }
    pdf += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Prev " + std::to_string(prev) +
           " >>\nstartxref\n" + std::to_string(xrefAt) + "\n%%EOF\n";
    return pdf;
}

// A hybrid file (TestPdfOptions::hybrid) followed by `more` empty classic
// sections whose trailers all name the file's one /XRefStm, as in the file
// that kept `duly pdf verify` busy for tens of minutes.
inline std::string withSectionsSharingXRefStm(std::string pdf, int more) {
    const std::size_t xrefStm = lastNumberAfter(pdf, "/XRefStm ");
    const std::size_t size = lastNumberAfter(pdf, "/Size ");
    std::size_t prev = lastNumberAfter(pdf, "startxref");
    for (int i = 0; i < more; ++i) {
        const std::size_t at = pdf.size();
        pdf += "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size " + std::to_string(size) +
               " /Root 1 0 R /Info 6 0 R /XRefStm " + std::to_string(xrefStm) + " /Prev " + std::to_string(prev) + " >>\n";
        prev = at;
    }
    return pdf + "startxref\n" + std::to_string(prev) + "\n%%EOF\n";
}

}  // namespace duly::pdf::test
