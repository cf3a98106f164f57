// StoreLocks: engine::WorkLocks for a store (see WorkLocks.h for what the
// locks are for).
// - PostgreSQL: session-level advisory locks (pg_try_advisory_lock) on a
//   connection of their own, opened on the first tryHold and kept open for
//   nothing else, so that when the process dies its connection closes and
//   the server frees its locks at once. Each name maps to one 64-bit key
//   (FNV-1a of "duly:" + name). stillHeld asks pg_locks which advisory
//   locks this connection (pg_backend_pid()) holds; if the query fails the
//   connection is dropped, every lock counts as lost, and the next tryHold
//   connects again. TCP keepalives are on (10 s idle, 5 s apart, 3 probes)
//   unless the URL says otherwise, so a connection cut by the network, not
//   closed, is noticed within about half a minute at the server.
// - SQLite: an flock()-ed file per name in the folder STORE-locks next to
//   the database file (created 0700, files 0600). The kernel frees an
//   flock when the process dies; other machines cannot share a SQLite
//   store anyway (docs/decisions.md).
// How it fails: never throws once made; a lock not taken is reported by
// tryHold returning false, with lastProblem() saying why when the cause
// was not another holder.
#pragma once

#include "duly/engine/WorkLocks.h"
#include "duly/store/StoreUrl.h"

#include <cstdint>
#include <memory>
#include <string>

namespace duly::store {

std::unique_ptr<engine::WorkLocks> openWorkLocks(const StoreUrl& location);

// The advisory lock key a name maps to on PostgreSQL (for tests and
// docs: `SELECT … FROM pg_locks` finds it as classid = key >> 32,
// objid = key & 0xffffffff, objsubid = 1).
std::int64_t advisoryKey(const std::string& name);

// The lock file a name maps to next to a SQLite store.
std::filesystem::path lockFile(const std::filesystem::path& store, const std::string& name);

}  // namespace duly::store
