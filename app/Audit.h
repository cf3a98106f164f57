// Audit: the one way serve and the commands open the audit log — the table
// in the store that every instance shares — importing the file an earlier
// version wrote ([web] audit_log) the first time, and saying so. Failures
// (the file cannot be read or renamed, the store fails) pass through as
// std::runtime_error: a command that must audit stops rather than act
// unlogged.
#pragma once

#include "duly/engine/Time.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/AuditLog.h"

#include <filesystem>
#include <iosfwd>
#include <memory>

namespace duly::app {

// The store's audit log. An old file at `oldFile` is imported first and
// kept renamed; one line on `say` tells where it went.
std::unique_ptr<web::AuditLog> openAuditLog(store::SqliteCaseStore& store, const std::filesystem::path& oldFile,
                                            engine::Instant now, std::ostream& say);

}  // namespace duly::app
