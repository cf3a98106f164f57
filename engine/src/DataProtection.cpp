// DataProtection: retention periods and the erasure refusals; see
// DataProtection.h.
#include "duly/engine/DataProtection.h"

#include "duly/engine/DirectoryImport.h"
#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"

#include <algorithm>
#include <cctype>

namespace duly::engine {

namespace {

// `t` moved by whole months on the UTC calendar, keeping the time of day; a
// day the month lacks (31st, 29 February) moves to the first of the next.
Instant addMonths(Instant t, int months) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const auto timeOfDay = t - day;
    std::chrono::year_month_day ymd{day};
    ymd += std::chrono::months{months};
    const Date moved = ymd.ok() ? Date{ymd} : Date{ymd.year() / ymd.month() / std::chrono::last} + std::chrono::days{1};
    return moved + timeOfDay;
}

std::string londonDate(Instant t) { return formatDate(ZoneRules::london().toLocal(t).date); }

}  // namespace

int RetentionSchedule::yearsFor(Kind kind) const {
    if (auto it = years.find(kind); it != years.end()) return it->second;
    return isComplaint(kind) ? kComplaintYears : kOtherYears;
}

std::optional<Instant> retentionEnds(const Case& c, const RetentionSchedule& schedule) {
    if (c.state != CaseState::Closed || !c.closedAt) return std::nullopt;
    return addMonths(*c.closedAt, 12 * schedule.yearsFor(c.kind));
}

// A complaint's final answer: the later of its reply and its closing.
std::optional<Instant> finalAnswer(const Case& c) {
    std::optional<Instant> answered = c.repliedAt;
    if (c.closedAt && (!answered || *c.closedAt > *answered)) answered = c.closedAt;
    return answered;
}

std::optional<Instant> referralWindowEnds(const Case& c) {
    if (!isComplaint(c.kind)) return std::nullopt;
    auto answered = finalAnswer(c);
    if (!answered) return std::nullopt;
    return addMonths(*answered, kOmbudsmanReferralMonths);
}

std::optional<std::string> erasureRefusal(const std::vector<Case>& cases, Instant now) {
    for (const auto& c : cases)
        if (c.state == CaseState::Open) return "case " + c.reference + " is still open";
    for (const auto& c : cases) {
        auto ends = referralWindowEnds(c);
        if (ends && now < *ends)
            return "complaint " + c.reference + " was answered on " + londonDate(*finalAnswer(c)) +
                   " and the customer may refer it to the Housing Ombudsman until " + londonDate(*ends);
    }
    return std::nullopt;
}

std::string acceptedCorrectableFields() {
    std::string out;
    for (const char* f : kCorrectableFields) out += (out.empty() ? "" : ", ") + std::string(f);
    return out;
}

namespace {

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::optional<CustomerChange> correctField(Customer& customer, const std::string& field, const std::string& given,
                                           const std::string& actor, Instant at) {
    const std::string value = trimmed(given);
    auto bad = [&](const std::string& expected) -> InputError {
        return InputError("--" + field + ": expected " + expected + ", found \"" + value.substr(0, 80) + "\"");
    };
    if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; }))
        throw bad("text on one line without control characters");
    if (value.size() > 200) throw bad("at most 200 bytes");
    std::string* text = nullptr;
    std::string before, after = value;
    if (field == "name") {
        if (value.empty()) throw bad("the customer's name");
        text = &customer.name;
    } else if (field == "salutation") {
        text = &customer.salutation;
    } else if (field == "email") {
        if (!value.empty() && !isEmail(value)) throw bad("an email address such as j.smith@example.org, or nothing");
        text = &customer.email;
    } else if (field == "phone") {
        text = &customer.phone;
    } else if (field == "address-line-1") {
        text = &customer.addressLine1;
    } else if (field == "address-line-2") {
        text = &customer.addressLine2;
    } else if (field == "address-line-3") {
        text = &customer.addressLine3;
    } else if (field == "town") {
        text = &customer.town;
    } else if (field == "postcode") {
        if (!value.empty() && !isUkPostcode(value)) throw bad("a UK postcode such as PR25 2LW, or nothing");
        std::transform(after.begin(), after.end(), after.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        text = &customer.postcode;
    } else if (field == "language") {
        if (!isLanguageTag(value)) throw bad("a BCP 47 language tag such as en-GB, ur or yue-Hant");
        if (customer.language == value && customer.languageConfirmed) return std::nullopt;
        before = customer.language;
        customer.language = value;
        customer.languageConfirmed = true;  // a person has now said which
        return CustomerChange{field, before, value, actor, at};
    } else if (field == "formats") {
        std::vector<std::string> formats;
        std::size_t start = 0;
        while (start <= value.size() && !value.empty()) {
            auto end = value.find(',', start);
            std::string f = trimmed(value.substr(start, end == std::string::npos ? std::string::npos : end - start));
            std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            const bool known = std::any_of(std::begin(kKnownFormats), std::end(kKnownFormats),
                                           [&](const char* k) { return f == k; });
            if (!known) throw bad("formats separated by commas from large-print, braille, audio, easy-read, or nothing");
            if (std::find(formats.begin(), formats.end(), f) == formats.end()) formats.push_back(f);
            if (end == std::string::npos) break;
            start = end + 1;
        }
        if (formats == customer.formats) return std::nullopt;
        before = joined(customer.formats);
        customer.formats = formats;
        return CustomerChange{field, before, joined(formats), actor, at};
    } else if (field == "preferred-contact") {
        auto channel = preferredChannelFromName(value);
        if (!channel) throw bad("email, post or phone");
        if (*channel == customer.preferredChannel) return std::nullopt;
        before = std::string(preferredChannelName(customer.preferredChannel));
        customer.preferredChannel = *channel;
        return CustomerChange{field, before, value, actor, at};
    } else {
        throw InputError("unknown field \"" + field.substr(0, 40) + "\" (accepted: " + acceptedCorrectableFields() + ")");
    }
    if (*text == after) return std::nullopt;
    before = *text;
    *text = after;
    return CustomerChange{field, before, after, actor, at};
}

void checkCorrectedCustomer(const Customer& c) {
    if (c.preferredChannel == PreferredChannel::Email && c.email.empty())
        throw InputError("customer " + c.reference + " prefers email but would have no email address: give --email, or --preferred-contact post");
    if (c.preferredChannel == PreferredChannel::Post && (c.addressLine1.empty() || c.postcode.empty()))
        throw InputError("customer " + c.reference + " prefers post but would have no " +
                         (c.addressLine1.empty() ? "first address line (--address-line-1)" : "postcode (--postcode)"));
}

}  // namespace duly::engine
