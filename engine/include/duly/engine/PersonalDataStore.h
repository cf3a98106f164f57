// PersonalDataStore: what subject access, rectification, erasure and
// retention need from persistence, beside CaseStore and MailLedger.
// Implemented by duly::store next to the cases. Changes are atomic; methods
// throw InputError for a customer or case that does not exist, and
// std::runtime_error (StoreError) when the store itself fails.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/DataProtection.h"
#include "duly/engine/Directory.h"
#include "duly/engine/Time.h"

#include <string>
#include <vector>

namespace duly::engine {

// What anonymise() did.
struct Anonymised {
    std::string anonymousId;      // "anon-" and 16 hex digits
    std::size_t cases = 0;        // cases anonymised now (not those already anonymised)
    // False when another process was reading the store, so the write-ahead
    // journal (DB-wal) could not be emptied: older copies of the removed
    // data stay in it until SQLite next checkpoints it.
    bool journalEmptied = true;
};

class PersonalDataStore {
public:
    virtual ~PersonalDataStore() = default;

    // The references of every case of the customer, oldest first.
    virtual std::vector<std::string> casesOfCustomer(const std::string& customerRef) const = 0;

    // Saves the corrected record and its changes in one transaction.
    // Throws InputError when there is no customer with its reference.
    virtual void correctCustomer(const Customer& corrected, const std::vector<CustomerChange>& changes) = 0;
    // The corrections of a customer's record, oldest first.
    virtual std::vector<CustomerChange> customerChanges(const std::string& customerRef) const = 0;

    // Removes the personal data of these cases and keeps what the charter
    // reports need (dates, channel, kind, charter, officer, extensions and
    // dates given): the subject, items' text, senders and Message-IDs, raw
    // messages, attachments, scans, letters and emails sent (their bytes
    // and recipients), quarantined copies, reasons and the detail of every
    // event. Each case's customer becomes the same new anonymous id
    // ("anon-" and 16 hex digits), and `note` is added to each case's
    // history. Already anonymised cases are left as they are.
    // With `customerRef`, also deletes that customer's record and its
    // history of corrections. Then, with `rewrite`, rewrites the file so the
    // removed bytes are gone from it (rewriteFile()); a caller anonymising
    // many customers at once passes false and calls rewriteFile() once.
    virtual Anonymised anonymise(const std::vector<std::string>& caseReferences, const std::string& customerRef,
                                  const CaseEvent& note, bool rewrite = true) = 0;
    // Rewrites the store file without the free space removed data left
    // (VACUUM) and empties the write-ahead journal (a TRUNCATE checkpoint);
    // false when another process reading the store kept the journal.
    virtual bool rewriteFile() = 0;

    // Closed cases not yet anonymised that were closed before `closedBefore`,
    // oldest closing first, without items or events: candidates for the
    // retention schedule.
    virtual std::vector<Case> closedCasesNotAnonymised(Instant closedBefore) const = 0;
};

}  // namespace duly::engine
