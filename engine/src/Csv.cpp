// Csv: RFC 4180 reading with line numbers. A quoted field may span lines; a
// record's line is where it starts, which is the line a spreadsheet user
// sees. Blank lines are skipped.
#include "duly/engine/Csv.h"

namespace duly::engine {
namespace {

constexpr std::size_t kMaxField = 64 * 1024;
constexpr std::size_t kMaxFields = 1024;  // per record: a directory has a few dozen columns

}  // namespace

CsvParseResult parseCsv(std::string_view text) {
    CsvParseResult result;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

    std::size_t line = 1;
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        CsvRecord record;
        record.line = line;
        std::string field;
        bool recordDone = false;
        bool anyContent = false;
        while (!recordDone) {
            field.clear();
            if (i < n && text[i] == '"') {
                const std::size_t quoteLine = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                    ++i;
                    if (field.size() > kMaxField) {
                        result.error = "line " + std::to_string(quoteLine) + ": a field is longer than 64 KiB";
                        return result;
                    }
                }
                if (!closed) {
                    result.error = "line " + std::to_string(quoteLine) + ": a quoted field is never closed";
                    return result;
                }
                // Anything between the closing quote and the separator is kept
                // (lenient, as spreadsheets write it).
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
                anyContent = true;
            } else {
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    field += text[i++];
                    if (field.size() > kMaxField) {
                        result.error = "line " + std::to_string(line) + ": a field is longer than 64 KiB";
                        return result;
                    }
                }
                if (!field.empty()) anyContent = true;
            }
            record.fields.push_back(field);
            if (record.fields.size() > kMaxFields) {
                result.error = "line " + std::to_string(record.line) + ": more than 1024 fields";
                return result;
            }
            if (i < n && text[i] == ',') {
                ++i;
                anyContent = true;
                continue;
            }
            // End of record: CRLF, LF, lone CR or end of text.
            if (i < n && text[i] == '\r') ++i;
            if (i < n && text[i] == '\n') ++i;
            ++line;
            recordDone = true;
        }
        if (anyContent) result.records.push_back(std::move(record));
    }
    return result;
}

}  // namespace duly::engine
