// DirectoryImport: officers and customers from CSV. Columns are found by
// their header names, so a spreadsheet may order them as it likes; a missing
// column stops the whole file (nothing would import correctly), a bad row
// stops only that row. Every problem of a bad row is reported.
#include "duly/engine/DirectoryImport.h"

#include "duly/engine/Csv.h"
#include "duly/engine/TextDecoding.h"

#include <unicode/locid.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

namespace duly::engine {
namespace {

std::string trim(std::string s) {
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// C0 controls, DEL and (in UTF-8) the C1 controls U+0080…U+009F.
bool hasControl(const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) return true;
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;
    }
    return false;
}

// U+FFFD: a program before Duly lost a character here ("Zo\uFFFD").
bool hasReplacementCharacter(const std::string& s) { return s.find("\xEF\xBF\xBD") != std::string::npos; }

constexpr const char* kWithoutReplacement =
    " without U+FFFD, the character a program leaves where it lost a letter";

// One data row, with access to its fields by column name and a list of
// problems found so far.
class Row {
public:
    Row(const CsvRecord& record, const std::map<std::string, std::size_t>& columns, const std::string& file)
        : _record(record), _columns(columns), _file(file) {}

    std::string get(const std::string& column) const {
        auto it = _columns.find(column);
        if (it == _columns.end() || it->second >= _record.fields.size()) return {};
        return trim(_record.fields[it->second]);
    }

    void bad(const std::string& column, const std::string& expected, const std::string& found) {
        _problems.push_back(_file + ":" + std::to_string(_record.line) + ": column " + column + ": expected " +
                            expected + ", found \"" + found + "\"");
    }

    std::string required(const std::string& column, const std::string& expected) {
        std::string v = get(column);
        if (v.empty()) bad(column, expected, "");
        else if (hasControl(v)) bad(column, expected + " without control characters", v);
        else if (!hasVisibleCharacter(v)) bad(column, expected + " with a letter or digit that shows", v);
        else if (hasReplacementCharacter(v)) bad(column, expected + kWithoutReplacement, v);
        return v;
    }

    std::string optional(const std::string& column) {
        std::string v = get(column);
        if (hasControl(v)) bad(column, "text without control characters", v);
        else if (hasReplacementCharacter(v)) bad(column, std::string("text") + kWithoutReplacement, v);
        return v;
    }

    bool ok() const { return _problems.empty(); }
    const std::vector<std::string>& problems() const { return _problems; }

private:
    const CsvRecord& _record;
    const std::map<std::string, std::size_t>& _columns;
    const std::string& _file;
    std::vector<std::string> _problems;
};

// Reads the header, checks the required columns and calls `each` per row.
template <typename Each>
ImportReport readTable(std::string_view text, const std::string& file, const std::vector<std::string>& required,
                       Each each) {
    ImportReport report;
    const DecodedText decoded = decodeText(text);
    if (!decoded.error.empty()) {
        report.errors.push_back(file + ":" + std::to_string(decoded.errorLine) + ": " + decoded.error);
        return report;
    }
    if (decoded.encoding == TextEncoding::Windows1252)
        report.notes.push_back(file + ": not UTF-8, so read as Windows-1252 (the first such character is on line " +
                               std::to_string(decoded.firstConvertedLine) +
                               "); if a name looks wrong, save the file as \"CSV UTF-8\" and import it again");
    auto csv = parseCsv(decoded.text);
    if (!csv.error.empty()) {
        report.errors.push_back(file + ": " + csv.error);
        return report;
    }
    if (csv.records.empty()) {
        report.errors.push_back(file + ": the file is empty (expected a header row: " + [&] {
            std::string h;
            for (const auto& c : required) h += (h.empty() ? "" : ",") + c;
            return h;
        }() + ")");
        return report;
    }
    std::map<std::string, std::size_t> columns;
    const auto& header = csv.records.front();
    for (std::size_t i = 0; i < header.fields.size(); ++i) columns[lower(trim(header.fields[i]))] = i;
    std::vector<std::string> missing;
    for (const auto& c : required)
        if (!columns.count(c)) missing.push_back(c);
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        report.errors.push_back(file + ":" + std::to_string(header.line) + ": the header row has no column " + list);
        return report;
    }
    for (std::size_t r = 1; r < csv.records.size(); ++r) {
        Row row(csv.records[r], columns, file);
        each(row);
        if (row.ok()) ++report.imported;
        else report.errors.insert(report.errors.end(), row.problems().begin(), row.problems().end());
    }
    return report;
}

const std::vector<std::string> kOfficerColumns = {"id", "name", "position", "email", "phone", "team", "manager_id", "role"};
const std::vector<std::string> kCustomerColumns = {"reference",      "name",           "salutation",     "email",
                                                   "phone",          "address_line_1", "address_line_2", "address_line_3",
                                                   "town",           "postcode",       "language",       "formats",
                                                   "preferred_channel"};

bool isIdentifier(const std::string& s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace

bool isEmail(const std::string& s) {
    static const std::regex re(R"(^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+$)");
    return std::regex_match(s, re);
}

bool isUkPostcode(const std::string& s) {
    static const std::regex re(R"(^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$)");
    return std::regex_match(s, re);
}

bool isLanguageTag(std::string_view tag) {
    if (tag.empty() || tag.size() > 64) return false;
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = icu::Locale::forLanguageTag(icu::StringPiece(tag.data(), static_cast<int32_t>(tag.size())), status);
    return U_SUCCESS(status) && !locale.isBogus() && std::string(locale.getLanguage()).size() >= 2;
}

ImportReport readOfficers(std::string_view text, const std::string& file, std::vector<Officer>& out) {
    std::vector<Officer> rows;
    auto report = readTable(text, file, kOfficerColumns, [&](Row& row) {
        Officer o;
        o.id = row.required("id", "an officer id (letters, digits, . _ -)");
        if (!o.id.empty() && !isIdentifier(o.id)) row.bad("id", "an officer id (letters, digits, . _ -)", o.id);
        o.name = row.required("name", "the officer's name");
        o.position = row.required("position", "the officer's position, as signed on letters");
        o.email = row.required("email", "an email address such as j.smith@example.org");
        if (!o.email.empty() && !isEmail(o.email)) row.bad("email", "an email address such as j.smith@example.org", o.email);
        o.phone = row.optional("phone");
        o.team = row.required("team", "the officer's team");
        o.managerId = row.optional("manager_id");
        if (!o.managerId.empty() && !isIdentifier(o.managerId))
            row.bad("manager_id", "the id of another officer, or nothing", o.managerId);
        if (!o.managerId.empty() && o.managerId == o.id)
            row.bad("manager_id", "the id of another officer, or nothing", o.managerId);
        std::string role = lower(row.optional("role"));
        if (role.empty()) role = "officer";
        if (auto r = roleFromName(role)) o.role = *r;
        else row.bad("role", "officer, manager or administrator", row.get("role"));
        if (row.ok()) rows.push_back(std::move(o));
    });
    out.insert(out.end(), rows.begin(), rows.end());
    return report;
}

ImportReport readCustomers(std::string_view text, const std::string& file, std::vector<Customer>& out) {
    std::vector<Customer> rows;
    auto report = readTable(text, file, kCustomerColumns, [&](Row& row) {
        Customer c;
        c.reference = row.required("reference", "the customer's reference");
        // Starting with a letter or digit: the reference is written into the
        // print run's manifest CSV, where a leading - would make a formula.
        if (!c.reference.empty() && (!isIdentifier(c.reference) || !std::isalnum(static_cast<unsigned char>(c.reference[0]))))
            row.bad("reference", "a reference of letters, digits, . _ -, starting with a letter or digit", c.reference);
        c.name = row.required("name", "the customer's name");
        c.salutation = row.optional("salutation");
        if (c.salutation.empty() && !c.name.empty()) c.salutation = "Dear " + c.name;
        c.email = row.optional("email");
        if (!c.email.empty() && !isEmail(c.email)) row.bad("email", "an email address or nothing", c.email);
        c.phone = row.optional("phone");
        c.addressLine1 = row.optional("address_line_1");
        c.addressLine2 = row.optional("address_line_2");
        c.addressLine3 = row.optional("address_line_3");
        c.town = row.optional("town");
        c.postcode = row.optional("postcode");
        if (!c.postcode.empty() && !isUkPostcode(c.postcode))
            row.bad("postcode", "a UK postcode such as PR25 2LW", c.postcode);
        std::transform(c.postcode.begin(), c.postcode.end(), c.postcode.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        c.language = row.optional("language");
        if (c.language.empty()) c.language = "en-GB";
        else if (!isLanguageTag(c.language))
            row.bad("language", "a BCP 47 language tag such as en-GB, ur or yue-Hant", c.language);
        const std::string formats = row.optional("formats");
        bool standardAsked = false;
        std::size_t start = 0;
        while (start <= formats.size() && !formats.empty()) {
            auto end = formats.find(';', start);
            std::string f = lower(trim(formats.substr(start, end == std::string::npos ? std::string::npos : end - start)));
            if (f == "standard") {
                // Standard print is what everyone gets: nothing to record.
                standardAsked = true;
            } else if (!f.empty()) {
                bool known = std::any_of(std::begin(kKnownFormats), std::end(kKnownFormats),
                                         [&](const char* k) { return f == k; });
                if (known) c.formats.push_back(f);
                else
                    row.bad("formats", "formats separated by ; from standard, large-print, braille, audio, easy-read", f);
            }
            if (end == std::string::npos) break;
            start = end + 1;
        }
        if (standardAsked && std::find(c.formats.begin(), c.formats.end(), "large-print") != c.formats.end())
            row.bad("formats", "standard or large-print, not both", formats);
        std::string preferred = lower(row.optional("preferred_channel"));
        if (preferred.empty()) preferred = c.email.empty() ? "post" : "email";
        if (auto p = preferredChannelFromName(preferred)) c.preferredChannel = *p;
        else row.bad("preferred_channel", "email, post or phone", row.get("preferred_channel"));
        if (c.preferredChannel == PreferredChannel::Email && c.email.empty() && row.ok())
            row.bad("email", "an email address, because preferred_channel is email", "");
        if (c.preferredChannel == PreferredChannel::Post && (c.addressLine1.empty() || c.postcode.empty()) && row.ok())
            row.bad(c.addressLine1.empty() ? "address_line_1" : "postcode",
                    "a postal address, because preferred_channel is post", "");
        // Optional column: the brand (a [brand.ID] of the charter) whose
        // letterhead their letters carry.
        c.brand = row.optional("brand");
        if (!c.brand.empty() && (c.brand.size() > 40 || !std::all_of(c.brand.begin(), c.brand.end(), [](unsigned char ch) {
                                     return (ch >= 'a' && ch <= 'z') || std::isdigit(ch) || ch == '-';
                                 })))
            row.bad("brand", "a brand id of lower-case letters, digits and hyphens, such as key, or nothing", c.brand);
        if (row.ok()) rows.push_back(std::move(c));
    });
    out.insert(out.end(), rows.begin(), rows.end());
    return report;
}

ImportReport importOfficers(std::string_view text, const std::string& file, CaseStore& store) {
    std::vector<Officer> officers;
    auto report = readOfficers(text, file, officers);
    // A manager must exist, in this file or already in the store.
    std::set<std::string> ids;
    for (const auto& o : officers) ids.insert(o.id);
    std::size_t dropped = 0;
    std::vector<Officer> valid;
    for (const auto& o : officers) {
        if (!o.managerId.empty() && !ids.count(o.managerId) && !store.officer(o.managerId)) {
            report.errors.push_back(file + ": officer " + o.id + ": column manager_id: expected the id of an officer "
                                    "in this file or already imported, found \"" + o.managerId + "\"");
            ++dropped;
            continue;
        }
        valid.push_back(o);
    }
    // Managers go in before the officers they manage, whatever the file's order.
    std::set<std::string> stored;
    while (!valid.empty()) {
        std::vector<Officer> waiting;
        for (auto& o : valid) {
            if (o.managerId.empty() || stored.count(o.managerId) || !ids.count(o.managerId) ||
                std::none_of(valid.begin(), valid.end(), [&](const Officer& v) { return v.id == o.managerId; })) {
                store.upsertOfficer(o);
                stored.insert(o.id);
            } else {
                waiting.push_back(o);
            }
        }
        if (waiting.size() == valid.size()) {  // a cycle of managers: store them as they are
            for (const auto& o : waiting) store.upsertOfficer(o);
            break;
        }
        valid = std::move(waiting);
    }
    report.imported -= dropped;
    return report;
}

ImportReport importCustomers(std::string_view text, const std::string& file, CaseStore& store) {
    std::vector<Customer> customers;
    auto report = readCustomers(text, file, customers);
    for (const auto& c : customers) store.upsertCustomer(c);
    return report;
}

}  // namespace duly::engine
