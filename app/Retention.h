// Retention: the retention schedule carried out — each closed case past
// its charter's [retention] period is anonymised (PersonalDataStore), one
// customer's cases together, and audit log lines older than [web]
// audit_log_days are removed. Shared by `duly retention run` and the daily
// run inside `duly serve`. A charter that cannot be loaded is an
// InputError naming its file; the store's failures pass through.
#pragma once

#include "duly/engine/CharterBook.h"
#include "duly/engine/Time.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/AuditLog.h"

#include <optional>
#include <string>
#include <vector>

namespace duly::app {

struct RetentionReport {
    std::vector<std::string> lines;  // one per case: what was (or would be) done and why
    std::size_t anonymised = 0;      // cases (or, dry run, cases that would be)
    std::size_t auditLinesRemoved = 0;
    bool journalEmptied = true;      // false: see engine::Anonymised
};

// Anonymises what has passed its date at `now` (with `dryRun`, only says
// what it would do). `audit` may be null; its lines older than
// `auditLogDays` are removed (not with `dryRun`).
RetentionReport runRetention(store::SqliteCaseStore& store, engine::CharterBook& charters, web::AuditLog* audit,
                             int auditLogDays, engine::Instant now, bool dryRun, const std::string& actor);

// How many closed cases reach the end of their retention period before
// `before` (and are not yet anonymised): "due for anonymisation this month".
std::size_t dueForAnonymisation(const store::SqliteCaseStore& store, engine::CharterBook& charters,
                                engine::Instant before);

}  // namespace duly::app
