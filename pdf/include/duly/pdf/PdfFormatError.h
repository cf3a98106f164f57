// PdfFormatError: the exception for a PDF (or PKCS#12, CMS) that cannot be
// used as given: malformed syntax, a missing key, a structure we do not
// accept. Its message names the byte offset and what was expected
// ("offset 1234: expected 'obj' after the object number, found 'xref'"), so
// the person holding the file can find the place. It is an InputError, so
// the command line reports it as bad input with status 2.
#pragma once

#include "duly/engine/InputError.h"

#include <cstdint>
#include <string>

namespace duly::pdf {

class PdfFormatError : public duly::engine::InputError {
public:
    explicit PdfFormatError(const std::string& message) : duly::engine::InputError(message) {}
    // "offset N: MESSAGE"
    PdfFormatError(std::uint64_t offset, const std::string& message)
        : duly::engine::InputError("offset " + std::to_string(offset) + ": " + message) {}
};

}  // namespace duly::pdf
