// SqliteCaseStore's AuditStore half: the dashboard's audit log in table
// audit_log (migration 18), one for every instance of `duly serve` and every
// command sharing the store. Database errors pass through as Poco
// exceptions (std::exception).
#include "duly/store/SqliteCaseStore.h"

#include "SqliteSupport.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <algorithm>

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

std::size_t SqliteCaseStore::removeAuditBefore(Instant cutoff) {
    std::lock_guard lock(_mutex);
    Int before = seconds(cutoff);
    Statement st(*_session);
    st << sql(*_session, "DELETE FROM audit_log WHERE at < ?"), use(before);
    return st.execute();
}

}  // namespace duly::store
