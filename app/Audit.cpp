// Audit: opening the store's audit log, with the old file's import; see Audit.h.
#include "Audit.h"

#include <ostream>

namespace duly::app {

std::unique_ptr<web::AuditLog> openAuditLog(store::SqliteCaseStore& store, const std::filesystem::path& oldFile,
                                            engine::Instant now, std::ostream& say) {
    const auto done = web::AuditLog::importOldFile(store, oldFile, now);
    if (!done.keptAs.empty()) {
        if (done.already)
            say << "duly: the old audit log " << oldFile.string() << " had already been imported into the store";
        else
            say << "duly: imported " << done.imported << " lines of the old audit log " << oldFile.string()
                << " into the store";
        if (done.unreadable) say << " (" << done.unreadable << " lines without a time or five fields were not)";
        say << "; the file is kept as " << done.keptAs.string() << " and is no longer written\n";
    }
    // The file is no longer read: everything in it is in the store now.
    return std::make_unique<web::AuditLog>(store, std::filesystem::path{});
}

}  // namespace duly::app
