// Migrations: the versioned schema of the SQLite store. Each migration is a
// list of SQL statements applied in one transaction and recorded in
// schema_version; opening a store applies the ones it lacks, in order. A
// store written by a newer Duly (a version this code does not know) is
// refused rather than guessed at.
#pragma once

#include <string>
#include <vector>

namespace Poco::Data {
class Session;
}

namespace duly::store {

struct Migration {
    int version;
    std::string description;
    std::vector<std::string> statements;
};

// Every migration, in order. New ones are appended, never edited.
const std::vector<Migration>& migrations();

// Brings the schema of `session` up to date; returns the version reached.
// Throws InputError (naming `file`) when the store is newer than this code.
int migrate(Poco::Data::Session& session, const std::string& file);

}  // namespace duly::store
