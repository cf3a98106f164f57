// Migrations: the schema, as a list of numbered steps, and the code that
// applies the missing ones when a store is opened (one transaction each,
// recorded in schema_version). Fails with InputError for a store newer than
// this code; SQLite's own errors pass through as Poco exceptions.
//
// The SQL keeps to what PostgreSQL also accepts, so a PostgreSQL store can
// reuse these statements with few changes:
// - times are INTEGER UTC seconds (BIGINT there), enumerations TEXT, the
//   civil date counted_from TEXT "YYYY-MM-DD" (DATE would also do there);
// - INTEGER PRIMARY KEY is SQLite's rowid alias: BIGINT GENERATED ALWAYS AS
//   IDENTITY there, and last_insert_rowid() becomes INSERT ... RETURNING id;
// - partial indexes, expression indexes on lower(email) and
//   INSERT ... ON CONFLICT ... DO UPDATE have the same syntax in both;
// - BEGIN IMMEDIATE is SQLite's; PostgreSQL takes row locks instead
//   (the sequence UPSERT locks its row by itself);
// - the PRAGMAs in SqliteCaseStore.cpp have no PostgreSQL counterpart.
#include "duly/store/Migrations.h"

#include "duly/engine/InputError.h"

#include <Poco/Data/Session.h>

#include <chrono>

using namespace Poco::Data::Keywords;

namespace duly::store {

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1,
         "officers, customers, cases, items and events",
         {
             "CREATE TABLE officers ("
             " id TEXT PRIMARY KEY, name TEXT NOT NULL, position TEXT NOT NULL, email TEXT NOT NULL,"
             " phone TEXT NOT NULL DEFAULT '', team TEXT NOT NULL, manager_id TEXT NOT NULL DEFAULT '',"
             " role TEXT NOT NULL)",
             "CREATE TABLE customers ("
             " reference TEXT PRIMARY KEY, name TEXT NOT NULL, salutation TEXT NOT NULL DEFAULT '',"
             " email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
             " address_line_1 TEXT NOT NULL DEFAULT '', address_line_2 TEXT NOT NULL DEFAULT '',"
             " address_line_3 TEXT NOT NULL DEFAULT '', town TEXT NOT NULL DEFAULT '',"
             " postcode TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT 'en-GB',"
             " formats TEXT NOT NULL DEFAULT '', preferred_channel TEXT NOT NULL DEFAULT 'email',"
             " language_confirmed INTEGER NOT NULL DEFAULT 1)",
             "CREATE INDEX customers_by_email ON customers (lower(email)) WHERE email <> ''",
             "CREATE TABLE reference_sequences ("
             " prefix TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (prefix, year))",
             "CREATE TABLE cases ("
             " id INTEGER PRIMARY KEY, reference TEXT NOT NULL UNIQUE, charter TEXT NOT NULL,"
             " channel TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,"
             " customer_ref TEXT NOT NULL DEFAULT '', officer_id TEXT NOT NULL DEFAULT '',"
             " subject TEXT NOT NULL DEFAULT '', received INTEGER NOT NULL, counted_from TEXT NOT NULL,"
             " acknowledge_by INTEGER, respond_by INTEGER, holding_reply_by INTEGER,"
             " acknowledged_at INTEGER, holding_reply_sent_at INTEGER, replied_at INTEGER, closed_at INTEGER,"
             " extension_days INTEGER NOT NULL DEFAULT 0)",
             // What is due, per officer, in due order: one partial index per kind
             // of action, so `duly due --officer X` reads only that officer's
             // open actions.
             "CREATE INDEX cases_due_acknowledge ON cases (officer_id, acknowledge_by)"
             " WHERE state = 'open' AND acknowledged_at IS NULL AND acknowledge_by IS NOT NULL",
             "CREATE INDEX cases_due_holding_reply ON cases (officer_id, holding_reply_by)"
             " WHERE state = 'open' AND holding_reply_sent_at IS NULL AND replied_at IS NULL"
             " AND holding_reply_by IS NOT NULL",
             "CREATE INDEX cases_due_respond ON cases (officer_id, respond_by)"
             " WHERE state = 'open' AND replied_at IS NULL AND respond_by IS NOT NULL",
             "CREATE INDEX cases_by_officer ON cases (officer_id, state, received)",
             "CREATE INDEX cases_by_customer ON cases (customer_ref)",
             "CREATE TABLE items ("
             " id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases (id), channel TEXT NOT NULL,"
             " received INTEGER NOT NULL, subject TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',"
             " source TEXT NOT NULL DEFAULT '', sender TEXT NOT NULL DEFAULT '')",
             "CREATE INDEX items_by_case ON items (case_id)",
             "CREATE TABLE events ("
             " id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases (id), type TEXT NOT NULL,"
             " at INTEGER NOT NULL, actor TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')",
             "CREATE INDEX events_by_case ON events (case_id)",
         }},
        {2,
         "mail: one item per Message-ID, raw messages, mailbox progress, quarantine, outbox",
         {
             // A message is taken in once: its Message-ID may be on one item only.
             "CREATE UNIQUE INDEX items_unique_source ON items (source) WHERE source LIKE '<%>'",
             "CREATE TABLE raw_items (item_id INTEGER PRIMARY KEY REFERENCES items (id), bytes BLOB NOT NULL)",
             "CREATE TABLE mailbox_progress ("
             " mailbox TEXT PRIMARY KEY, uid_validity INTEGER NOT NULL, last_uid INTEGER NOT NULL)",
             "CREATE TABLE quarantine ("
             " id INTEGER PRIMARY KEY, mailbox TEXT NOT NULL, message_key TEXT NOT NULL UNIQUE,"
             " received INTEGER NOT NULL, reason TEXT NOT NULL, case_reference TEXT NOT NULL DEFAULT '',"
             " raw BLOB NOT NULL)",
             "CREATE TABLE outbound ("
             " id INTEGER PRIMARY KEY, case_reference TEXT NOT NULL, document_key TEXT NOT NULL,"
             " route TEXT NOT NULL, message_key TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,"
             " bytes BLOB NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
             " queued_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, done_at INTEGER,"
             " last_result TEXT NOT NULL DEFAULT '')",
             "CREATE INDEX outbound_due ON outbound (route, next_attempt_at) WHERE state = 'queued'",
             "CREATE INDEX outbound_by_recipient ON outbound (lower(recipient), queued_at)",
             "CREATE INDEX outbound_by_case ON outbound (case_reference)",
         }},
        {3,
         "due lists in due order, per officer and for everyone; newest cases first",
         {
             // Migration 1's per-officer indexes left ties on the due time to
             // a sort; with the reference in the key each branch of the due
             // query comes out in final order and SQLite merges them. The
             // indexes without officer_id serve `duly due` for everyone (and
             // its --limit) without reading every open case.
             "DROP INDEX cases_due_acknowledge",
             "DROP INDEX cases_due_holding_reply",
             "DROP INDEX cases_due_respond",
             "CREATE INDEX cases_due_acknowledge ON cases (officer_id, acknowledge_by, reference)"
             " WHERE state = 'open' AND acknowledged_at IS NULL AND acknowledge_by IS NOT NULL",
             "CREATE INDEX cases_due_holding_reply ON cases (officer_id, holding_reply_by, reference)"
             " WHERE state = 'open' AND holding_reply_sent_at IS NULL AND replied_at IS NULL"
             " AND holding_reply_by IS NOT NULL",
             "CREATE INDEX cases_due_respond ON cases (officer_id, respond_by, reference)"
             " WHERE state = 'open' AND replied_at IS NULL AND respond_by IS NOT NULL",
             "CREATE INDEX cases_due_acknowledge_all ON cases (acknowledge_by, reference)"
             " WHERE state = 'open' AND acknowledged_at IS NULL AND acknowledge_by IS NOT NULL",
             "CREATE INDEX cases_due_holding_reply_all ON cases (holding_reply_by, reference)"
             " WHERE state = 'open' AND holding_reply_sent_at IS NULL AND replied_at IS NULL"
             " AND holding_reply_by IS NOT NULL",
             "CREATE INDEX cases_due_respond_all ON cases (respond_by, reference)"
             " WHERE state = 'open' AND replied_at IS NULL AND respond_by IS NOT NULL",
             // listCases newest first without an officer: read backwards
             // (the key ends with the id), no sort of every case.
             "CREATE INDEX cases_by_received ON cases (received)",
         }},
        {4,
         "holding replies: the officer's reason and new date",
         {
             "ALTER TABLE cases ADD COLUMN holding_reason TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE cases ADD COLUMN holding_new_date INTEGER",
         }},
        {5,
         "the scheduler's lookups: a case's documents, extended cases, cases awaiting triage",
         {
             "DROP INDEX outbound_by_case",
             "CREATE INDEX outbound_by_case ON outbound (case_reference, document_key)",
             "CREATE INDEX cases_extended ON cases (reference) WHERE state = 'open' AND extension_days > 0",
             "CREATE INDEX cases_awaiting_triage ON cases (received, reference)"
             " WHERE state = 'open' AND customer_ref = ''",
         }},
        {6,
         "attachments: the files that came with an item (a letter's scan, an email's attachments)",
         {
             "CREATE TABLE attachments ("
             " id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items (id), position INTEGER NOT NULL,"
             " name TEXT NOT NULL, content_type TEXT NOT NULL, bytes BLOB NOT NULL)",
             "CREATE INDEX attachments_by_item ON attachments (item_id, position)",
         }},
        {7,
         "the response clock paused while a case waits on the customer",
         {
             "ALTER TABLE cases ADD COLUMN paused_since INTEGER",
             "ALTER TABLE cases ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0",
             // The "waiting on the customer" list of each officer; few cases.
             "CREATE INDEX cases_paused ON cases (officer_id, paused_since) WHERE state = 'open' AND paused_since IS NOT NULL",
         }},
        {8,
         "brands: the letterhead a case's letters carry, from its mailbox or its customer",
         {
             "ALTER TABLE cases ADD COLUMN brand TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE customers ADD COLUMN brand TEXT NOT NULL DEFAULT ''",
         }},
        {9,
         "items found by source: the unique index covers Message-IDs only, so every lookup scanned all items",
         {
             "CREATE INDEX items_by_source ON items (source)",
         }},
        {10,
         "items' fingerprints (sender, Date and body): a Message-ID seen again is a duplicate only for the same message",
         {
             "ALTER TABLE items ADD COLUMN fingerprint TEXT NOT NULL DEFAULT ''",
         }},
        {11,
         "facts as fields, not event text: why an acknowledgement was withheld, the stage 1 officer, each"
         " extension, each date given to the customer (converted from the case history where it holds them)",
         {
             "ALTER TABLE cases ADD COLUMN acknowledgement_withheld TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE cases ADD COLUMN stage1_officer TEXT NOT NULL DEFAULT ''",
             "CREATE TABLE extensions (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases (id),"
             " number INTEGER NOT NULL, working_days INTEGER NOT NULL, reason TEXT NOT NULL, date_before INTEGER,"
             " date_after INTEGER, actor TEXT NOT NULL, at INTEGER NOT NULL, UNIQUE (case_id, number))",
             "CREATE TABLE dates_given (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases (id),"
             " document_key TEXT NOT NULL, date INTEGER NOT NULL, given_at INTEGER NOT NULL,"
             " UNIQUE (case_id, document_key))",
             // "no automatic acknowledgement: WHY" (30 characters before WHY).
             "UPDATE cases SET acknowledgement_withheld = COALESCE((SELECT substr(e.detail, 31) FROM events e"
             " WHERE e.case_id = cases.id AND e.type = 'note' AND e.detail LIKE 'no automatic acknowledgement: %'"
             " ORDER BY e.id LIMIT 1), '')",
             // "stage 1 handled by ID" (19 characters before ID), "nobody" when unassigned.
             "UPDATE cases SET stage1_officer = COALESCE((SELECT substr(e.detail, 20) FROM events e"
             " WHERE e.case_id = cases.id AND e.type = 'escalated-to-stage-2' AND e.detail LIKE 'stage 1 handled by %'"
             " ORDER BY e.id DESC LIMIT 1), '')",
             "UPDATE cases SET stage1_officer = '' WHERE stage1_officer = 'nobody'",
             // "N working days: REASON"; the dates around it were not kept.
             "INSERT INTO extensions (case_id, number, working_days, reason, actor, at)"
             " SELECT case_id, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY at, id), CAST(detail AS INTEGER),"
             " CASE WHEN instr(detail, ': ') > 0 THEN substr(detail, instr(detail, ': ') + 2) ELSE '' END, actor, at"
             " FROM events WHERE type = 'extended'",
         }},
        {12,
         "data protection: when a case's personal data was removed, and the history of corrections to customers",
         {
             // Set when the case's personal data is erased (the customer's
             // erasure, or the retention schedule); the case stays for the
             // reports under an anonymous customer id.
             "ALTER TABLE cases ADD COLUMN anonymised_at INTEGER",
             // The retention run reads closed cases not yet anonymised, by closing time.
             "CREATE INDEX cases_closed_to_anonymise ON cases (closed_at) WHERE state = 'closed' AND anonymised_at IS NULL",
             "CREATE TABLE customer_changes (id INTEGER PRIMARY KEY, customer_ref TEXT NOT NULL, field TEXT NOT NULL,"
             " old_value TEXT NOT NULL, new_value TEXT NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL)",
             "CREATE INDEX customer_changes_by_customer ON customer_changes (customer_ref, id)",
         }},
        {13,
         "stage 1 of a complaint taken to stage 2: its received, acknowledged, due and answered times and"
         " extension, kept when stage 2 starts its own clock",
         {
             "ALTER TABLE cases ADD COLUMN stage1_received INTEGER",
             "ALTER TABLE cases ADD COLUMN stage1_acknowledged_at INTEGER",
             "ALTER TABLE cases ADD COLUMN stage1_respond_by INTEGER",
             "ALTER TABLE cases ADD COLUMN stage1_replied_at INTEGER",
             "ALTER TABLE cases ADD COLUMN stage1_extension_days INTEGER NOT NULL DEFAULT 0",
         }},
        {14,
         "urgency: a case an officer or a mailbox rule marked urgent comes first in every queue and digest",
         {
             "ALTER TABLE cases ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0",
         }},
        {15,
         "the call log: the number to call back on a phone message, and each call an officer made on a case",
         {
             "ALTER TABLE cases ADD COLUMN call_number TEXT NOT NULL DEFAULT ''",
             "CREATE TABLE calls (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases (id),"
             " number INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL, phone TEXT NOT NULL,"
             " outcome TEXT NOT NULL, purpose TEXT NOT NULL, note TEXT NOT NULL, UNIQUE (case_id, number))",
         }},
        {16,
         "complaints: a case's representative with the customer's consent, its remedies, and its referral to the"
         " ombudsman",
         {
             // At most one representative per case (case_id is the key);
             // their address is its lines joined by line breaks, postcode
             // last. Deleted when removed, blanked when the case is erased.
             "CREATE TABLE representatives (case_id INTEGER NOT NULL PRIMARY KEY REFERENCES cases (id),"
             " kind TEXT NOT NULL, name TEXT NOT NULL, salutation TEXT NOT NULL DEFAULT '',"
             " email TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '', consent_at INTEGER NOT NULL,"
             " consent_how TEXT NOT NULL, send_to TEXT NOT NULL, added_by TEXT NOT NULL, added_at INTEGER NOT NULL)",
             // due_by is a civil date "YYYY-MM-DD" like counted_from.
             "CREATE TABLE remedies (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases (id),"
             " kind TEXT NOT NULL, detail TEXT NOT NULL, due_by TEXT, amount_pence INTEGER NOT NULL DEFAULT 0,"
             " actor TEXT NOT NULL, at INTEGER NOT NULL)",
             "CREATE INDEX remedies_by_case ON remedies (case_id, id)",
             "CREATE TABLE referrals (case_id INTEGER NOT NULL PRIMARY KEY REFERENCES cases (id),"
             " referred_at INTEGER NOT NULL, outcome TEXT NOT NULL DEFAULT '', outcome_at INTEGER,"
             " actor TEXT NOT NULL)",
         }},
    };
    return all;
}

namespace {

int currentVersion(Poco::Data::Session& session) {
    int current = 0;
    session << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(current), now;
    return current;
}

void refuseNewer(int current, const std::string& file) {
    const int known = migrations().back().version;
    if (current > known)
        throw engine::InputError(file + ": the store is at schema version " + std::to_string(current) +
                                 ", newer than this duly knows (" + std::to_string(known) +
                                 "); use the duly that wrote it, or a newer one");
}

}  // namespace

int migrate(Poco::Data::Session& session, const std::string& file) {
    // applied_at is UTC seconds like every other time in the store (and
    // bound from here, since SQLite's and PostgreSQL's clocks are spelt
    // differently).
    session << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
               " applied_at INTEGER NOT NULL)",
        now;
    int current = currentVersion(session);
    refuseNewer(current, file);
    for (const auto& m : migrations()) {
        if (m.version <= current) continue;
        // One transaction per migration, holding the write lock from the
        // start; the version is read again inside it, because another
        // process opening the same new file may have migrated it meanwhile.
        session << "BEGIN IMMEDIATE", now;
        try {
            const int now_at = currentVersion(session);
            refuseNewer(now_at, file);
            if (now_at < m.version) {
                for (const auto& sql : m.statements) session << sql, now;
                int version = m.version;
                std::string description = m.description;
                Poco::Int64 appliedAt = std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count();
                session << "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    use(version), use(description), use(appliedAt), now;
            }
            session << "COMMIT", now;
        } catch (...) {
            try {
                session << "ROLLBACK", now;
            } catch (...) {
            }
            throw;
        }
        current = m.version;
    }
    return current;
}

}  // namespace duly::store
