// RetentionSchedule: how long a charter keeps each kind of correspondence's
// personal data after its case closes (a charter's [retention] table,
// docs/data-protection.md). Plain data; the rules that use it are in
// DataProtection.h, and yearsFor is defined in DataProtection.cpp.
#pragma once

#include "duly/engine/Channel.h"

#include <map>

namespace duly::engine {

// How many whole years after its case closes each kind of correspondence
// keeps its personal data; then the case is anonymised.
struct RetentionSchedule {
    // Defaults: complaints 6 years (the Limitation Act's six years for a
    // claim in contract), everything else 2 years.
    static constexpr int kComplaintYears = 6;
    static constexpr int kOtherYears = 2;
    static constexpr int kMaxYears = 100;

    std::map<Kind, int> years;  // kinds not listed keep the defaults
    int yearsFor(Kind kind) const;
    bool operator==(const RetentionSchedule&) const = default;
};

}  // namespace duly::engine
