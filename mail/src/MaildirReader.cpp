// MaildirReader: lists, reads and marks messages in a local Maildir. Owns
// the rule for "processed" (in cur/ with the S flag, or moved to the
// processed Maildir) and the moves, done with renameat2(RENAME_NOREPLACE)
// so no message is ever replaced or deleted. A file that vanishes under us
// is looked for again by its unique name, then reported as gone.
#include "duly/mail/MaildirReader.h"

#include "duly/engine/InputError.h"
#include "duly/mail/DurableFile.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <system_error>

namespace duly::mail {
namespace {

// Maildir info: "unique:2,FLAGS". Names without info have no flags.
std::string uniquePart(const std::string& name) {
    const std::size_t colon = name.find(':');
    return colon == std::string::npos ? name : name.substr(0, colon);
}

std::string flagsOf(const std::string& name) {
    const std::size_t info = name.find(":2,");
    return info == std::string::npos ? std::string() : name.substr(info + 3);
}

void listInto(const std::filesystem::path& directory, bool skipSeen, std::vector<MaildirEntry>& out) {
    std::error_code error;
    std::filesystem::directory_iterator it(directory, error);
    if (error) throw std::system_error(error, "cannot list " + directory.string());
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
        if (error) throw std::system_error(error, "cannot list " + directory.string());
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.') continue;
        std::error_code typeError;
        if (!it->is_regular_file(typeError)) continue;  // also when it vanished meanwhile
        if (skipSeen && flagsOf(name).find('S') != std::string::npos) continue;
        out.push_back(MaildirEntry{uniquePart(name), it->path()});
    }
}

std::optional<std::filesystem::path> findIn(const std::filesystem::path& directory, const std::string& unique) {
    std::error_code error;
    if (std::filesystem::is_regular_file(directory / unique, error)) return directory / unique;
    std::filesystem::directory_iterator it(directory, error);
    if (error) return std::nullopt;
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
        if (error) return std::nullopt;
        const std::string name = it->path().filename().string();
        if (name.size() > unique.size() && name.compare(0, unique.size(), unique) == 0 && name[unique.size()] == ':') {
            return it->path();
        }
    }
    return std::nullopt;
}

}  // namespace

MaildirReader::MaildirReader(std::filesystem::path root, std::optional<std::filesystem::path> processedRoot,
                             std::size_t maxMessageBytes)
    : _root(std::move(root)), _processedRoot(std::move(processedRoot)), _maxMessageBytes(maxMessageBytes) {
    for (const char* sub : {"tmp", "new", "cur"}) {
        ensureDirectory(_root / sub);
        if (_processedRoot) ensureDirectory(*_processedRoot / sub);
    }
}

std::vector<MaildirEntry> MaildirReader::pending() const {
    std::vector<MaildirEntry> entries;
    listInto(_root / "new", false, entries);
    listInto(_root / "cur", true, entries);
    std::sort(entries.begin(), entries.end(),
              [](const MaildirEntry& a, const MaildirEntry& b) { return a.uniqueName < b.uniqueName; });
    return entries;
}

std::optional<std::filesystem::path> MaildirReader::locate(const std::string& uniqueName) const {
    if (auto found = findIn(_root / "new", uniqueName)) return found;
    return findIn(_root / "cur", uniqueName);
}

std::optional<std::string> MaildirReader::read(const MaildirEntry& entry) const {
    for (int tries = 0; tries < 2; ++tries) {
        std::filesystem::path path = entry.path;
        if (tries == 1) {
            auto moved = locate(entry.uniqueName);
            if (!moved) return std::nullopt;
            path = *moved;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) continue;  // moved or removed between listing and now
        std::string bytes;
        char buffer[65536];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (bytes.size() > _maxMessageBytes) {
                throw engine::InputError("maildir message " + path.string() + " is larger than the limit of " +
                                         std::to_string(_maxMessageBytes) + " bytes");
            }
        }
        return bytes;
    }
    return std::nullopt;
}

bool MaildirReader::markProcessed(const MaildirEntry& entry) const {
    const std::filesystem::path targetDirectory = (_processedRoot ? *_processedRoot : _root) / "cur";
    for (int tries = 0; tries < 2; ++tries) {
        std::optional<std::filesystem::path> current;
        std::error_code error;
        if (tries == 0 && std::filesystem::is_regular_file(entry.path, error)) {
            current = entry.path;
        } else {
            current = locate(entry.uniqueName);
        }
        if (!current) {
            // Marked already (by an earlier run that stopped before telling us)?
            return _processedRoot && findIn(targetDirectory, entry.uniqueName).has_value();
        }
        std::string flags = flagsOf(current->filename().string());
        if (flags.find('S') == std::string::npos) flags += 'S';
        std::sort(flags.begin(), flags.end());  // the specification keeps flags in ASCII order
        const std::filesystem::path target = targetDirectory / (entry.uniqueName + ":2," + flags);
        if (target == *current) return true;
        if (::renameat2(AT_FDCWD, current->c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
            syncDirectory(targetDirectory);
            if (current->parent_path() != targetDirectory) syncDirectory(current->parent_path());
            return true;
        }
        const int failure = errno;
        if (failure == ENOENT) continue;  // moved meanwhile: look again
        throw std::system_error(failure, std::generic_category(),
                                "cannot mark " + current->string() + " processed as " + target.string());
    }
    return false;
}

}  // namespace duly::mail
