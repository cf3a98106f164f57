// StoreError: a write the database refused or could not make (a constraint,
// a full disk, a lost file), with the database's path and SQLite's own
// words, so a log line says what failed and where rather than a library's
// class name. Not bad input: the caller reports it as a failure of the
// store (exit 3 on the command line) and leaves the work for the next run.
#pragma once

#include <stdexcept>
#include <string>

namespace duly::store {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace duly::store
