// PdfStreamDecoder: turns a stream's stored bytes into its data for the
// streams the signer reads (cross-reference and object streams): no filter,
// or /FlateDecode with an optional PNG or TIFF predictor (PDF 1.7, 7.4.4).
// Output is bounded (kMaxDecodedSize, or less as the caller asks); any other filter, corrupt data or a
// malformed predictor row throws PdfFormatError naming the stream.
#pragma once

#include "duly/pdf/PdfObject.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace duly::pdf {

class PdfStreamDecoder {
public:
    static constexpr std::size_t kMaxDecodedSize = 64u << 20;

    // `dict` is the stream dictionary (with direct /Filter and /DecodeParms);
    // `what` names the stream in messages ("the cross-reference stream at offset 1234").
    static std::string decode(const PdfObject& dict, std::string_view raw, const std::string& what);
    // The same, refusing output beyond `limit` bytes (at most kMaxDecodedSize);
    // `limitText` says in the refusal what the limit is for ("the bytes left of
    // the 256 MiB a file may decode to"), or is empty for the per-stream limit.
    static std::string decode(const PdfObject& dict, std::string_view raw, const std::string& what, std::size_t limit,
                              const std::string& limitText);
};

}  // namespace duly::pdf
