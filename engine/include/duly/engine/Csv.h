// Csv: an RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF, a UTF-8
// byte order mark at the start) that keeps the line number of each record
// for messages. Bounded: a field over 64 KiB, a record of more than 1024
// fields or a quote left open at the end of the file is an error naming its
// line. It reads UTF-8 text: decode a file with TextDecoding first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace duly::engine {

struct CsvRecord {
    std::size_t line = 0;  // line where the record starts (1-based)
    std::vector<std::string> fields;
};

struct CsvParseResult {
    std::vector<CsvRecord> records;
    std::string error;  // empty when the whole text was read
};

CsvParseResult parseCsv(std::string_view text);

}  // namespace duly::engine
