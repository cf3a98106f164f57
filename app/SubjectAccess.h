// SubjectAccess: everything Duly holds about one customer, as one zip file
// for a subject access request (UK GDPR article 15): the customer record
// and the corrections made to it, every case with its timeline, each
// message as received (.eml) with its attachments and scans, each letter as
// printed (the signed PDF) and each email sent, and the audit log's lines
// about their cases. index.html is for the customer to read, data.json for
// machines. Used by `duly customer export` and the manager's button on the
// dashboard.
//
// Every name inside the zip is made here from the case reference, the
// item's and file's numbers and a cleaned copy of the file's own name
// (letters, digits, '.', '-' and '_' only), so no attachment's name can
// leave the archive's folders or clash with another; every text in
// index.html is HTML-escaped and every text in data.json is valid UTF-8.
// Throws InputError when there is no such customer.
#pragma once

#include "duly/engine/Time.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/AuditLog.h"

#include <string>

namespace duly::app {

struct SubjectAccessExport {
    std::string zip;          // the archive's bytes
    std::size_t cases = 0;
    std::size_t files = 0;    // entries besides index.html and data.json
};

// `audit` may be null (no audit log configured). `now` is the export's date.
SubjectAccessExport exportCustomer(const store::SqliteCaseStore& store, web::AuditLog* audit,
                                   const std::string& customerRef, engine::Instant now);

// A file name reduced to what is safe in any zip reader and file system:
// ASCII letters, digits, '.', '-' and '_' (anything else becomes '_'),
// no leading dot, at most 80 bytes, "file" when nothing is left.
std::string safeEntryName(const std::string& name);

}  // namespace duly::app
