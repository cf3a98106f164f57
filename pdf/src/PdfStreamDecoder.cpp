// PdfStreamDecoder: zlib inflate with an output cap, and PNG (Predictor >= 10)
// and TIFF (Predictor 2, 8-bit) un-prediction row by row. Refuses filters it
// does not know rather than guessing.
#include "duly/pdf/PdfStreamDecoder.h"

#include "duly/pdf/PdfFormatError.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace duly::pdf {
namespace {

std::string inflate(std::string_view raw, const std::string& what, std::size_t limit, const std::string& limitText) {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) throw PdfFormatError(what + ": zlib could not start");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.avail_in = static_cast<uInt>(raw.size());
    std::string out;
    char buffer[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        rc = ::inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && z.avail_in == 0)) {
            std::string msg = z.msg ? z.msg : "corrupt data";
            inflateEnd(&z);
            throw PdfFormatError(what + ": /FlateDecode data is corrupt (" + msg + ")");
        }
        out.append(buffer, sizeof buffer - z.avail_out);
        if (out.size() > limit) {
            inflateEnd(&z);
            throw PdfFormatError(what + ": decodes to more than " + std::to_string(limit) + " bytes" +
                                 (limitText.empty() ? std::string() : " (" + limitText + ")"));
        }
        if (rc == Z_BUF_ERROR || (z.avail_in == 0 && z.avail_out != 0 && rc != Z_STREAM_END)) break;
    }
    inflateEnd(&z);
    return out;
}

std::int64_t intParam(const PdfObject* parms, const char* key, std::int64_t fallback, const std::string& what) {
    if (!parms) return fallback;
    const PdfObject* v = parms->find(key);
    if (!v || v->isNull()) return fallback;
    if (!v->isInteger()) throw PdfFormatError(what + ": /DecodeParms /" + key + " is not an integer");
    return v->integerValue();
}

std::string unpredict(std::string data, const PdfObject* parms, const std::string& what) {
    const std::int64_t predictor = intParam(parms, "Predictor", 1, what);
    if (predictor == 1) return data;
    const std::int64_t colors = intParam(parms, "Colors", 1, what);
    const std::int64_t bits = intParam(parms, "BitsPerComponent", 8, what);
    const std::int64_t columns = intParam(parms, "Columns", 1, what);
    if (colors < 1 || colors > 32 || bits != 8 || columns < 1 || columns > 1'000'000)
        throw PdfFormatError(what + ": unsupported predictor parameters (expected 8 bits per component, "
                                    "1-32 colours, 1-1000000 columns)");
    const auto bpp = static_cast<std::size_t>(colors);
    const auto rowSize = static_cast<std::size_t>(colors * columns);
    if (predictor == 2) {
        for (std::size_t row = 0; row + rowSize <= data.size(); row += rowSize)
            for (std::size_t i = bpp; i < rowSize; ++i)
                data[row + i] = static_cast<char>(static_cast<unsigned char>(data[row + i]) +
                                                  static_cast<unsigned char>(data[row + i - bpp]));
        return data;
    }
    if (predictor < 10 || predictor > 15) throw PdfFormatError(what + ": unknown /Predictor " + std::to_string(predictor));
    if (data.size() % (rowSize + 1) != 0)
        throw PdfFormatError(what + ": PNG-predicted data of " + std::to_string(data.size()) +
                             " bytes is not a whole number of rows of " + std::to_string(rowSize + 1));
    std::string out;
    out.reserve(data.size() / (rowSize + 1) * rowSize);
    std::vector<unsigned char> prev(rowSize, 0), cur(rowSize);
    for (std::size_t row = 0; row < data.size(); row += rowSize + 1) {
        const auto type = static_cast<unsigned char>(data[row]);
        for (std::size_t i = 0; i < rowSize; ++i) {
            const auto x = static_cast<unsigned char>(data[row + 1 + i]);
            const unsigned a = i >= bpp ? cur[i - bpp] : 0;
            const unsigned b = prev[i];
            const unsigned c = i >= bpp ? prev[i - bpp] : 0;
            unsigned v;
            switch (type) {
                case 0: v = x; break;
                case 1: v = x + a; break;
                case 2: v = x + b; break;
                case 3: v = x + (a + b) / 2; break;
                case 4: {
                    const int p = static_cast<int>(a + b) - static_cast<int>(c);
                    const int pa = std::abs(p - static_cast<int>(a));
                    const int pb = std::abs(p - static_cast<int>(b));
                    const int pc = std::abs(p - static_cast<int>(c));
                    v = x + ((pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c));
                    break;
                }
                default:
                    throw PdfFormatError(what + ": unknown PNG filter type " + std::to_string(type) + " in row " +
                                         std::to_string(row / (rowSize + 1)));
            }
            cur[i] = static_cast<unsigned char>(v & 0xff);
        }
        out.append(reinterpret_cast<const char*>(cur.data()), rowSize);
        prev.swap(cur);
    }
    return out;
}

}  // namespace

std::string PdfStreamDecoder::decode(const PdfObject& dict, std::string_view raw, const std::string& what) {
    return decode(dict, raw, what, kMaxDecodedSize, {});
}

std::string PdfStreamDecoder::decode(const PdfObject& dict, std::string_view raw, const std::string& what,
                                     std::size_t limit, const std::string& limitText) {
    limit = std::min(limit, kMaxDecodedSize);
    auto unfiltered = [&] {
        if (raw.size() > limit)
            throw PdfFormatError(what + ": holds more than " + std::to_string(limit) + " bytes" +
                                 (limitText.empty() ? std::string() : " (" + limitText + ")"));
        return std::string(raw);
    };
    const PdfObject* filter = dict.find("Filter");
    const PdfObject* parms = dict.find("DecodeParms");
    if (!filter || filter->isNull()) return unfiltered();
    if (filter->isArray()) {
        if (filter->items().empty()) return unfiltered();
        if (filter->items().size() != 1) throw PdfFormatError(what + ": more than one filter is not supported");
        filter = &filter->items()[0];
        if (parms && parms->isArray()) parms = parms->items().empty() ? nullptr : &parms->items()[0];
    }
    if (!filter->isName("FlateDecode"))
        throw PdfFormatError(what + ": unsupported filter" + (filter->isName() ? " /" + filter->text() : std::string()) +
                             " (expected /FlateDecode or none)");
    if (parms && !parms->isNull() && !parms->isDictionary())
        throw PdfFormatError(what + ": /DecodeParms is not a dictionary");
    return unpredict(inflate(raw, what, limit, limitText), parms && parms->isDictionary() ? parms : nullptr, what);
}

}  // namespace duly::pdf
