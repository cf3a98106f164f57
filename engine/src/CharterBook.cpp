// CharterBook: loads each charter once and keeps it for the process.
#include "duly/engine/CharterBook.h"

#include "duly/engine/CharterFile.h"

namespace duly::engine {

CharterBook::CharterBook(std::filesystem::path home) : _home(std::move(home)) {}

const Charter& CharterBook::get(const std::string& nameOrPath) {
    std::lock_guard lock(_mutex);
    auto it = _loaded.find(nameOrPath);
    if (it != _loaded.end()) return *it->second;
    auto charter = std::make_unique<Charter>(loadCharter(nameOrPath, _home));
    auto& stored = _loaded[nameOrPath];
    stored = std::move(charter);
    return *stored;
}

std::vector<std::string> CharterBook::shipped() const { return shippedCharters(_home); }

}  // namespace duly::engine
