// AuditLog: who looked at or changed what, through the dashboard. Changes
// to a case are also written on the case itself as events with the actor
// (CaseService); this log adds every view of a case, every sign-in and
// refusal. One line per entry appended to HOME/var/audit.log:
//   2026-11-24T10:15:00Z <TAB> actor <TAB> action <TAB> subject <TAB> detail
// Tabs and newlines inside fields are replaced by spaces so one entry stays
// one line, and each field is cut to 200 bytes (a refused client cannot
// fill the disk with what it sends). Thread-safe; a failure to write is
// thrown as std::runtime_error (the request that caused it then fails:
// nothing goes unlogged).
//
// With a store (engine::AuditStore, what `duly serve` and the commands
// use), entries are rows in the database, one log for every instance. The
// file an earlier version wrote is imported into the store once
// (importOldFile) and kept under another name; a file given to the store
// mode is still read (entriesAbout) and pruned (removeBefore), for tests
// and for a file that could not be imported.
#pragma once

#include "duly/engine/AuditStore.h"
#include "duly/engine/Time.h"

#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace duly::web {

class AuditLog {
public:
    static constexpr std::size_t kMaxFieldBytes = 200;

    explicit AuditLog(std::filesystem::path file);
    // Written to `store`; `oldFile` (may be empty or missing) only read and pruned.
    AuditLog(engine::AuditStore& store, std::filesystem::path oldFile);
    void write(engine::Instant at, const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& detail = {});
    const std::filesystem::path& file() const { return _file; }

    // One line of the log, split into its fields.
    struct Entry {
        std::string at;  // as written: "2026-11-24T10:15:00Z"
        std::string actor, action, subject, detail;
    };
    // The entries whose subject is one of `subjects` (case references, a
    // customer's page), oldest first; an empty list when there is no log
    // yet. Lines that are not five tab-separated fields are skipped.
    std::vector<Entry> entriesAbout(const std::set<std::string>& subjects);
    // The store's entries `query` selects, oldest first (store mode only;
    // without a store, an empty list).
    std::vector<Entry> entries(const engine::AuditQuery& query) const;

    // What importOldFile did.
    struct Import {
        std::size_t imported = 0;     // lines written to the store
        std::size_t unreadable = 0;   // lines not five fields with a time: left in the kept file only
        bool already = false;         // the same file had been imported before (a crash before its rename)
        std::filesystem::path keptAs; // where the old file is now; empty when there was none
    };
    // Imports the audit log file an earlier version wrote (`file`, absent:
    // nothing to do) into `store`, once: the file is first renamed to
    // FILE.importing (so two processes sharing it never both take it), its
    // lines are written in one transaction with a marker record holding the
    // file's BLAKE2b digest (so a crash before the last step never imports
    // it twice), and it is then renamed to FILE.imported-YYYYMMDDTHHMMSSZ,
    // kept, never deleted. Fields are cleaned as write() cleans them.
    // Throws std::runtime_error when the file cannot be read or renamed or
    // the store fails; the file then stays where it is for the next start.
    static Import importOldFile(engine::AuditStore& store, const std::filesystem::path& file, engine::Instant now);
    // Removes the entries written before `cutoff` (the audit log's own
    // retention period), rewriting the file whole (temporary file, fsync,
    // rename); returns how many were removed. Lines it cannot date are kept.
    // With a store, removes them there too, and counts both.
    // XXX: without a store, a `duly serve` in another process appending
    // while the file is rewritten can lose that one line; run it from
    // `duly serve` (daily) or while serve is stopped. With a store nothing
    // appends to the file.
    std::size_t removeBefore(engine::Instant cutoff);

private:
    std::filesystem::path _file;
    engine::AuditStore* _store = nullptr;
    std::mutex _mutex;
};

}  // namespace duly::web
