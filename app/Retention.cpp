// Retention: see Retention.h.
#include "Retention.h"

#include "duly/engine/DataProtection.h"
#include "duly/engine/ZoneRules.h"

#include <map>

using namespace duly::engine;

namespace duly::app {

namespace {

// Every closed case whose retention ends before `before`, with that end.
std::vector<std::pair<Case, Instant>> pastRetention(const store::SqliteCaseStore& store, CharterBook& charters,
                                                    Instant before) {
    // No kind is kept less than one year: older closings are the only candidates.
    const Instant oldest = before - std::chrono::days{365};
    std::vector<std::pair<Case, Instant>> out;
    for (auto& c : store.closedCasesNotAnonymised(oldest + std::chrono::days{1})) {
        const auto ends = retentionEnds(c, charters.get(c.charter).retention);
        if (!ends || *ends >= before) continue;
        // Never before the customer's time to go to the ombudsman is over.
        if (auto referral = referralWindowEnds(c); referral && *referral >= before) continue;
        out.emplace_back(std::move(c), *ends);
    }
    return out;
}

}  // namespace

RetentionReport runRetention(store::SqliteCaseStore& store, CharterBook& charters, web::AuditLog* audit,
                             int auditLogDays, Instant now, bool dryRun, const std::string& actor) {
    RetentionReport report;
    // One anonymous id per customer: their cases stay together, under no name.
    std::map<std::string, std::vector<std::string>> byCustomer;
    for (const auto& [c, ends] : pastRetention(store, charters, now)) {
        const int years = charters.get(c.charter).retention.yearsFor(c.kind);
        report.lines.push_back(std::string(dryRun ? "would anonymise " : "anonymised ") + c.reference + " (" +
                               std::string(kindName(c.kind)) + " closed " +
                               formatDate(ZoneRules::london().toLocal(*c.closedAt).date) + ", kept " +
                               std::to_string(years) + (years == 1 ? " year" : " years") + ")");
        byCustomer[c.customerRef].push_back(c.reference);
        ++report.anonymised;
    }
    if (dryRun) return report;
    const CaseEvent note{0, EventType::Note, now, actor, "personal data removed: past the charter's retention period"};
    // One rewrite of the file for the whole run, not one per customer.
    for (const auto& [customer, refs] : byCustomer) store.anonymise(refs, "", note, false);
    if (!byCustomer.empty()) report.journalEmptied = store.rewriteFile();
    if (audit) {
        report.auditLinesRemoved = audit->removeBefore(now - std::chrono::days{auditLogDays});
        if (report.anonymised || report.auditLinesRemoved)
            audit->write(now, actor, "retention run", "retention",
                         std::to_string(report.anonymised) + " cases anonymised, " +
                             std::to_string(report.auditLinesRemoved) + " audit lines removed");
    }
    return report;
}

std::size_t dueForAnonymisation(const store::SqliteCaseStore& store, CharterBook& charters, Instant before) {
    return pastRetention(store, charters, before).size();
}

}  // namespace duly::app
