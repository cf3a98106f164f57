// SqliteCaseStore's AuditStore half: the dashboard's audit log in table
// audit_log (migration 18), one for every instance of `duly serve` and every
// command sharing the store. Database errors pass through as Poco
// exceptions (std::exception).
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <limits>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::store {

using namespace detail;

void SqliteCaseStore::appendAudit(const AuditRecord& r) {
    std::lock_guard lock(_mutex);
    Int at = seconds(r.at);
    std::string actor = r.actor, action = r.action, subject = r.subject, detail = r.detail;
    *_session << sql(*_session, "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)"),
        use(at), use(actor), use(action), use(subject), use(detail), now;
}

std::vector<AuditRecord> SqliteCaseStore::auditAbout(const std::set<std::string>& subjects) const {
    std::lock_guard lock(_mutex);
    std::vector<std::pair<Int, AuditRecord>> found;
    for (const auto& subject : subjects) {
        std::string s = subject;
        Statement st(*_session);
        st << sql(*_session, "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE subject = ?"), use(s),
            now;
        RecordSet rs(st);
        for (std::size_t r = 0; r < rs.rowCount(); ++r)
            found.push_back({integer(rs, 0, r),
                             AuditRecord{instant(integer(rs, 1, r)), text(rs, 2, r), text(rs, 3, r), text(rs, 4, r),
                                         text(rs, 5, r)}});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.second.at != b.second.at ? a.second.at < b.second.at : a.first < b.first;
    });
    std::vector<AuditRecord> out;
    out.reserve(found.size());
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

std::vector<AuditRecord> SqliteCaseStore::auditRecords(const AuditQuery& q) const {
    std::lock_guard lock(_mutex);
    // One statement whatever the filters: an unused filter compares a value
    // with itself ("? = ''" is true), so the placeholders stay in order.
    Int since = q.since ? seconds(*q.since) : std::numeric_limits<Int>::min();
    std::string actor = q.actor;
    std::string text0 = "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE at >= ? AND (? = '' OR actor = ?)";
    std::vector<std::string> subjects(q.subjects.begin(), q.subjects.end());
    if (!subjects.empty()) {
        text0 += " AND subject IN (";
        for (std::size_t i = 0; i < subjects.size(); ++i) text0 += i ? ", ?" : "?";
        text0 += ")";
    }
    text0 += " ORDER BY at, id";
    Statement st(*_session);
    st << sql(*_session, text0), use(since), use(actor), use(actor);
    for (auto& subject : subjects) st, use(subject);
    st.execute();
    RecordSet rs(st);
    std::vector<AuditRecord> out;
    out.reserve(rs.rowCount());
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back(AuditRecord{instant(integer(rs, 1, r)), text(rs, 2, r), text(rs, 3, r), text(rs, 4, r),
                                  text(rs, 5, r)});
    return out;
}

bool SqliteCaseStore::importAudit(const std::vector<AuditRecord>& records, const AuditRecord& marker) {
    std::lock_guard lock(_mutex);
    return inTransaction(*_session, [&] {
        // SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL
        // would let two transactions both find no marker.
        if (postgres(*_session)) {
            Int locked = 0;
            *_session << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(4417018)) AS duly_audit_import_lock",
                into(locked), now;
        }
        std::string subject = marker.subject, detail = marker.detail;
        Int found = 0;
        *_session << sql(*_session, "SELECT COUNT(*) FROM audit_log WHERE subject = ? AND detail = ?"), use(subject),
            use(detail), into(found), now;
        if (found) return false;
        for (const auto* r : [&] {
                 std::vector<const AuditRecord*> all;
                 for (const auto& x : records) all.push_back(&x);
                 all.push_back(&marker);
                 return all;
             }()) {
            Int at = seconds(r->at);
            std::string actor = r->actor, action = r->action, subj = r->subject, det = r->detail;
            *_session << sql(*_session,
                             "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)"),
                use(at), use(actor), use(action), use(subj), use(det), now;
        }
        return true;
    });
}

std::size_t SqliteCaseStore::removeAuditBefore(Instant cutoff) {
    std::lock_guard lock(_mutex);
    Int before = seconds(cutoff);
    Statement st(*_session);
    st << sql(*_session, "DELETE FROM audit_log WHERE at < ?"), use(before);
    return st.execute();
}

}  // namespace duly::store
