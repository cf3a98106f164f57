// DirectoryImport: officers and customers from CSV files with a header row.
// Each bad row gets its own message naming row and column; good rows are
// still imported; re-importing updates by id / reference. The file may be
// UTF-8 (with or without a byte order mark) or Windows-1252, which is
// converted with a note; anything else is refused whole (TextDecoding.h).
//   officers:  id,name,position,email,phone,team,manager_id,role
//   customers: reference,name,salutation,email,phone,address_line_1,
//              address_line_2,address_line_3,town,postcode,language,formats,
//              preferred_channel
#pragma once

#include "duly/engine/CaseStore.h"
#include "duly/engine/Directory.h"

#include <string>
#include <string_view>
#include <vector>

namespace duly::engine {

struct ImportReport {
    std::size_t imported = 0;
    std::vector<std::string> errors;  // "officers.csv:4: column email: expected …"
    std::vector<std::string> notes;   // "customers.csv: not UTF-8, read as Windows-1252 …"
};

// Parse only (no store): fills `out` with the good rows.
ImportReport readOfficers(std::string_view text, const std::string& file, std::vector<Officer>& out);
ImportReport readCustomers(std::string_view text, const std::string& file, std::vector<Customer>& out);

// Parse and upsert the good rows into `store`.
ImportReport importOfficers(std::string_view text, const std::string& file, CaseStore& store);
ImportReport importCustomers(std::string_view text, const std::string& file, CaseStore& store);

// True for an address such as j.smith@example.org (one @, a dot after it,
// no spaces, commas, semicolons, quotes or angle brackets).
bool isEmail(const std::string& s);
// True for a UK postcode such as "PR25 2LW" or "pr252lw".
bool isUkPostcode(const std::string& s);

// True when `tag` is a well-formed BCP 47 language tag (checked with ICU).
bool isLanguageTag(std::string_view tag);

}  // namespace duly::engine
