// CharterBook: the charters in use, loaded once from HOME/config/charters
// (or a path) and kept, so each case's deadlines are worked out against the
// same loaded rules. Throws InputError from get() for an unknown or bad
// charter.
#pragma once

#include "duly/engine/Charter.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace duly::engine {

class CharterBook {
public:
    explicit CharterBook(std::filesystem::path home);

    const Charter& get(const std::string& nameOrPath);
    std::vector<std::string> shipped() const;
    const std::filesystem::path& home() const { return _home; }

private:
    std::filesystem::path _home;
    // The threads of `duly serve` (mail, scheduler, web) share one book.
    std::mutex _mutex;
    std::map<std::string, std::unique_ptr<Charter>> _loaded;
};

}  // namespace duly::engine
