// SqlitePersonalData: the PersonalDataStore half of SqliteCaseStore — a
// customer's cases, corrections to their record with its history, and the
// anonymisation of cases (erasure and retention). Anonymising runs in one
// IMMEDIATE transaction; then VACUUM rewrites the file and a TRUNCATE
// checkpoint empties the write-ahead journal, so with secure_delete (set
// when the store is opened) the removed bytes are in neither file. On
// PostgreSQL the same statements run in one transaction and VACUUM follows
// (see rewriteFile for what that does and does not remove).
// Failures of SQLite are StoreErrors naming the file.
#include "duly/store/SqliteCaseStore.h"

#include "duly/engine/InputError.h"

#include "SqliteSupport.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <chrono>
#include <random>
#include <thread>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using namespace duly::engine;

namespace duly::store {

using namespace detail;

namespace {

// "anon-" and 16 random hex digits.
std::string anonymousId() {
    std::random_device random;
    std::string out = "anon-";
    const char* hex = "0123456789abcdef";
    for (int i = 0; i < 4; ++i) {
        const auto word = random();
        for (int shift = 12; shift >= 0; shift -= 4) out += hex[(word >> shift) & 0xf];
    }
    return out;
}

}  // namespace

std::vector<std::string> SqliteCaseStore::casesOfCustomer(const std::string& customerRef) const {
    std::lock_guard lock(_mutex);
    std::string key = customerRef;
    std::vector<std::string> refs;
    *_session << sql(*_session, "SELECT reference FROM cases WHERE customer_ref = ? ORDER BY received, id"), use(key),
        into(refs), now;
    return refs;
}

void SqliteCaseStore::correctCustomer(const Customer& corrected, const std::vector<CustomerChange>& changes) {
    std::lock_guard lock(_mutex);
    inTransaction(*_session, [&] {
        std::string key = corrected.reference;
        int found = 0;
        *_session << sql(*_session, "SELECT COUNT(*) FROM customers WHERE reference = ?"), use(key), into(found), now;
        if (!found) throw InputError("no customer " + corrected.reference);
        upsertCustomer(corrected);  // the recursive mutex is held; runs inside this transaction
        for (const auto& c : changes) {
            std::string field = c.field, before = c.before, after = c.after, actor = c.actor;
            Int at = seconds(c.at);
            *_session << sql(*_session,
                             "INSERT INTO customer_changes (customer_ref, field, old_value, new_value, actor, at)"
                             " VALUES (?, ?, ?, ?, ?, ?)"),
                use(key), use(field), use(before), use(after), use(actor), use(at), now;
        }
    }, "", _statements.get());
}

std::vector<CustomerChange> SqliteCaseStore::customerChanges(const std::string& customerRef) const {
    std::lock_guard lock(_mutex);
    std::string key = customerRef;
    Statement st(*_session);
    st << sql(*_session,
              "SELECT field, old_value, new_value, actor, at FROM customer_changes WHERE customer_ref = ? ORDER BY id"),
        use(key);
    st.execute();
    RecordSet rs(st);
    std::vector<CustomerChange> out;
    for (std::size_t r = 0; r < rs.rowCount(); ++r)
        out.push_back({text(rs, 0, r), text(rs, 1, r), text(rs, 2, r), text(rs, 3, r), instant(integer(rs, 4, r))});
    return out;
}

Anonymised SqliteCaseStore::anonymise(const std::vector<std::string>& caseReferences, const std::string& customerRef,
                                      const CaseEvent& note, bool rewrite) {
    std::lock_guard lock(_mutex);
    auto& s = *_session;
    // VACUUM cannot run inside a transaction: this is never part of a batch.
    if (inOpenTransaction(s)) throw std::logic_error("SqliteCaseStore::anonymise called inside a write batch");
    Anonymised result;
    inTransaction(s, [&] {
        result.anonymousId = anonymousId();
        for (const auto& ref : caseReferences) {
            std::string key = ref;
            Statement st(s);
            st << sql(*_session,
                      "SELECT id, CASE WHEN anonymised_at IS NULL THEN 0 ELSE 1 END FROM cases WHERE reference = ?"),
                use(key);
            st.execute();
            RecordSet rs(st);
            if (rs.rowCount() == 0) throw InputError("no case " + ref);
            if (integer(rs, 1, 0)) continue;
            Int caseId = integer(rs, 0, 0);
            Int at = seconds(note.at);
            std::string anon = result.anonymousId;
            // What the reports read stays: dates, channel, kind, charter,
            // officer, state, extension days, dates given. A reason for a
            // withheld acknowledgement may quote the sender; "erased" keeps
            // the fact that one was withheld.
            s << sql(s,
                     "UPDATE cases SET customer_ref = ?, subject = '', holding_reason = '', call_number = '',"
                     " acknowledgement_withheld = CASE WHEN acknowledgement_withheld = '' THEN '' ELSE 'erased' END,"
                     " anonymised_at = ? WHERE id = ?"),
                use(anon), use(at), use(caseId), now;
            s << sql(s, "DELETE FROM raw_items WHERE item_id IN (SELECT id FROM items WHERE case_id = ?)"), use(caseId),
                now;
            s << sql(s, "DELETE FROM attachments WHERE item_id IN (SELECT id FROM items WHERE case_id = ?)"),
                use(caseId), now;
            s << sql(s,
                     "UPDATE items SET subject = '', body = '', source = '', sender = '', fingerprint = '' WHERE "
                     "case_id = ?"),
                use(caseId), now;
            s << sql(s, "UPDATE events SET detail = '' WHERE case_id = ?"), use(caseId), now;
            s << sql(s, "UPDATE extensions SET reason = '' WHERE case_id = ?"), use(caseId), now;
            // The calls made stay (when, by whom, answered or not); the
            // number dialled and what was said go.
            s << sql(s, "UPDATE calls SET phone = '', note = '' WHERE case_id = ?"), use(caseId), now;
            // The representative is a person too: all of them goes. A
            // remedy's kind, amount and dates stay for the reports, its
            // words (which may name people) go; a referral holds no one.
            s << sql(s, "DELETE FROM representatives WHERE case_id = ?"), use(caseId), now;
            s << sql(s, "UPDATE remedies SET detail = '' WHERE case_id = ?"), use(caseId), now;
            // Letters and emails: the facts of sending stay, the words and
            // the address go; anything still queued will not be sent.
            s << sql(s,
                     std::string("UPDATE outbound SET bytes = ") + emptyBytes(s) +
                         ", recipient = '', last_result = 'erased',"
                         " state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END WHERE case_reference = ?"),
                use(key), now;
            s << sql(s, "DELETE FROM quarantine WHERE case_reference = ?"), use(key), now;
            // Officers' digests (no case of their own) that list this case
            // with its subject.
            s << sql(s, std::string("UPDATE outbound SET bytes = ") + emptyBytes(s) +
                            " WHERE case_reference = '' AND " +
                            (postgres(s) ? "position(convert_to(?, 'UTF8') IN bytes) > 0"
                                         : "instr(bytes, CAST(? AS BLOB)) > 0")),
                use(key), now;
            insertEvents(s, caseId, {note}, _statements.get());
            ++result.cases;
        }
        if (!customerRef.empty()) {
            std::string key = customerRef;
            s << sql(s, "DELETE FROM customers WHERE reference = ?"), use(key), now;
            s << sql(s, "DELETE FROM customer_changes WHERE customer_ref = ?"), use(key), now;
        }
    }, "", _statements.get());
    if (rewrite) result.journalEmptied = rewriteFile();
    return result;
}

bool SqliteCaseStore::rewriteFile() {
    std::lock_guard lock(_mutex);
    auto& s = *_session;
    if (inOpenTransaction(s)) throw std::logic_error("SqliteCaseStore::rewriteFile called inside a write batch");
    if (postgres(s)) {
        // XXX: PostgreSQL has no secure_delete. VACUUM prunes the removed
        // rows from the tables' pages so they are no longer readable
        // through the database, but their bytes may stay in free space and
        // in write-ahead log segments until PostgreSQL reuses them (and in
        // any base backup or WAL archive). Encrypted storage and the
        // archive's retention are the administrator's part there.
        try {
            for (const char* table :
                 {"cases", "items", "raw_items", "attachments", "events", "extensions", "calls", "representatives",
                  "remedies", "outbound", "quarantine", "customers", "customer_changes"})
                s << std::string("VACUUM ") + table, now;
            return true;
        } catch (const Poco::Exception& e) {
            throw StoreError(storeFile(s) + ": the personal data is removed but VACUUM failed (" + e.displayText() +
                             "); run VACUUM on the database to finish");
        }
    }
    try {
        s << sql(s, "VACUUM"), now;
        // TRUNCATE waits (busy_timeout) for readers of older snapshots; one
        // that keeps reading leaves the journal as it is.
        int busy = 1, frames = 0, done = 0;
        for (int attempt = 0; attempt < 5 && busy; ++attempt) {
            if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(200));
            s << "PRAGMA wal_checkpoint(TRUNCATE)", into(busy), into(frames), into(done), now;
        }
        return busy == 0;
    } catch (const Poco::Exception& e) {
        throw StoreError(storeFile(s) + ": the personal data is removed but the file could not be rewritten (" +
                         e.displayText() + "); stop duly and run VACUUM on the store with sqlite3 to finish");
    }
}

}  // namespace duly::store
