// AuditStore: the dashboard's audit log (who looked at or changed what) kept
// where every instance of `duly serve` and every `duly` command writes to the
// same one. Implemented by duly::store next to the cases; web::AuditLog keeps
// the rules (fields on one line, cut to their limit) and uses it.
// Every method throws std::runtime_error (StoreError) when the store fails:
// nothing goes unlogged.
#pragma once

#include "duly/engine/Time.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace duly::engine {

struct AuditRecord {
    Instant at{};
    std::string actor, action, subject, detail;
};

class AuditStore {
public:
    virtual ~AuditStore() = default;

    virtual void appendAudit(const AuditRecord& record) = 0;
    // The records whose subject is one of `subjects`, oldest first (in the
    // order they were written when their times are equal).
    virtual std::vector<AuditRecord> auditAbout(const std::set<std::string>& subjects) const = 0;
    // Removes the records written before `cutoff`; returns how many.
    virtual std::size_t removeAuditBefore(Instant cutoff) = 0;
};

}  // namespace duly::engine
