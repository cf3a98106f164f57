// AuditStore: the dashboard's audit log (who looked at or changed what) kept
// where every instance of `duly serve` and every `duly` command writes to the
// same one. Implemented by duly::store next to the cases; web::AuditLog keeps
// the rules (fields on one line, cut to their limit) and uses it.
// Every method throws std::runtime_error (StoreError) when the store fails:
// nothing goes unlogged.
#pragma once

#include "duly/engine/Time.h"

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace duly::engine {

struct AuditRecord {
    Instant at{};
    std::string actor, action, subject, detail;
};

// Which records `duly audit show` reads; an empty field does not filter.
struct AuditQuery {
    std::optional<Instant> since;     // at or after
    std::string actor;                // exactly this actor
    std::set<std::string> subjects;   // one of these subjects
};

class AuditStore {
public:
    virtual ~AuditStore() = default;

    virtual void appendAudit(const AuditRecord& record) = 0;
    // The records whose subject is one of `subjects`, oldest first (in the
    // order they were written when their times are equal).
    virtual std::vector<AuditRecord> auditAbout(const std::set<std::string>& subjects) const = 0;
    // The records `query` selects, oldest first (then in the order written).
    virtual std::vector<AuditRecord> auditRecords(const AuditQuery& query) const = 0;
    // Writes `records` and then `marker` in one transaction, unless a record
    // with the marker's subject and detail is already there (the same old
    // file imported by another process, or before a crash); returns whether
    // it wrote them. Two processes importing at once are serialised.
    virtual bool importAudit(const std::vector<AuditRecord>& records, const AuditRecord& marker) = 0;
    // Removes the records written before `cutoff`; returns how many.
    virtual std::size_t removeAuditBefore(Instant cutoff) = 0;
};

}  // namespace duly::engine
