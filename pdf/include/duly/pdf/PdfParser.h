// PdfParser: reads PDF tokens and values (PDF 1.7, 7.2-7.3) from bytes held
// elsewhere (the file in memory, or a decoded object stream). It owns only a
// position. Every read is bounded: nesting depth, items per array or
// dictionary, digits per number, and it never reads past the end. Malformed
// input throws PdfFormatError naming the offset and what was expected.
#pragma once

#include "duly/pdf/PdfObject.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace duly::pdf {

class PdfParser {
public:
    static constexpr int kMaxDepth = 32;
    static constexpr std::size_t kMaxItems = 1'000'000;

    // `label` prefixes messages for bytes that are not the file itself
    // ("object stream 12"); empty means offsets are file offsets.
    explicit PdfParser(std::string_view data, std::string label = {});

    std::size_t position() const { return _pos; }
    // Throws when pos is beyond the end.
    void seek(std::uint64_t pos);
    bool atEnd();  // after whitespace and comments

    void skipWhitespace();  // and comments
    // Consumes `keyword` when it stands next (followed by a delimiter,
    // whitespace or the end); returns whether it did.
    bool acceptKeyword(std::string_view keyword);
    // As acceptKeyword, but throws "expected 'KEYWORD' CONTEXT, found 'x'".
    void expectKeyword(std::string_view keyword, std::string_view context);
    // A non-negative integer token; throws naming `what` when there is none.
    std::uint64_t readUnsigned(std::string_view what);
    // One value; indirect references "N G R" are read as references.
    PdfObject parseObject();
    // "N G obj"; returns N and G.
    PdfRef parseObjectHeader();

    // The next token as written (for messages), without consuming it.
    std::string peekToken();
    // Throws PdfFormatError at the current position (or `at`).
    [[noreturn]] void fail(const std::string& message) const;
    [[noreturn]] void failAt(std::size_t at, const std::string& message) const;

    static bool isWhitespace(unsigned char c);
    static bool isDelimiter(unsigned char c);

private:
    PdfObject parseValue(int depth);
    PdfObject parseNumberOrReference();
    PdfObject parseName();
    PdfObject parseLiteralString();
    PdfObject parseHexString();
    std::string readRegularRun();

    std::string_view _data;
    std::string _label;
    std::size_t _pos = 0;
};

}  // namespace duly::pdf
