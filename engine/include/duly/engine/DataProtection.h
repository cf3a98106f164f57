// DataProtection: the rules UK GDPR sets for what Duly holds about a
// customer, written once for the command line, the dashboard and `duly
// serve`: how long a closed case keeps its personal data (a charter's
// [retention] table), and when erasing a customer must be refused (a case
// still open, or a complaint the customer may still take to the Housing
// Ombudsman). Pure functions of cases and dates; nothing here throws.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/Channel.h"
#include "duly/engine/Directory.h"
#include "duly/engine/RetentionSchedule.h"
#include "duly/engine/Time.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

// The time from which a closed case's personal data is past its retention
// period: its closing time plus the kind's years (on the same calendar day;
// 29 February becomes 1 March). Nothing for a case that is not closed.
std::optional<Instant> retentionEnds(const Case& c, const RetentionSchedule& schedule);

// How long after a landlord's final answer to a complaint the customer may
// refer it to the Housing Ombudsman (the Housing Ombudsman Scheme: normally
// within 12 months of the end of the landlord's complaints procedure).
inline constexpr int kOmbudsmanReferralMonths = 12;

// For a complaint that has been answered or closed: the end of the window
// in which the customer may refer it to the ombudsman (12 months after the
// later of the reply and the closing). Nothing for other kinds, or for a
// complaint not yet answered.
std::optional<Instant> referralWindowEnds(const Case& c);

// Why the personal data of a customer with these cases may not be erased
// at `now`, naming the case and what stops it ("case PHG-2026-00004 is
// still open"); nothing when it may. Only the first reason is given.
std::optional<std::string> erasureRefusal(const std::vector<Case>& cases, Instant now);

// One correction of a customer's record (rectification), kept as its
// history.
struct CustomerChange {
    std::string field;   // as in kCorrectableFields: "name", "address-line-1", "formats", …
    std::string before;
    std::string after;
    std::string actor;   // officer id, or "cli"
    Instant at{};
};

// The fields of a customer's record a manager may correct, as named on the
// command line (--name …), in the dashboard's form and in the history.
inline constexpr const char* kCorrectableFields[] = {
    "name", "salutation", "email", "phone", "address-line-1", "address-line-2", "address-line-3",
    "town", "postcode", "language", "formats", "preferred-contact"};
// "name, salutation, … preferred-contact"
std::string acceptedCorrectableFields();

// Sets `field` of `customer` to `value` after checking it as an import of
// customers would (an email address, a UK postcode, a BCP 47 language tag,
// formats from kKnownFormats separated by commas, email/post/phone; no
// control characters, at most 200 bytes); returns the change, or nothing
// when the value is what the record already says. Throws InputError naming
// the field, what was expected and the value given.
std::optional<CustomerChange> correctField(Customer& customer, const std::string& field, const std::string& value,
                                           const std::string& actor, Instant at);

// Checks a corrected record as a whole (a customer who prefers email has an
// address to write to; one who prefers post has a first address line and a
// postcode); throws InputError saying what is missing.
void checkCorrectedCustomer(const Customer& customer);

}  // namespace duly::engine
