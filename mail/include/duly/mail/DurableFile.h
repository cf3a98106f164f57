// DurableFile: the write-flush-fsync-rename steps shared by the outbox and
// the Maildir writer, so a file is either absent or complete after a crash.
// Failures throw std::system_error naming the path.
#pragma once

#include <filesystem>
#include <string_view>

namespace duly::mail {

// Creates `path` (which must not exist) with `bytes`, then fsyncs it.
void writeNewFileSynced(const std::filesystem::path& path, std::string_view bytes);

// fsync of a directory, so a rename or link inside it survives a crash.
void syncDirectory(const std::filesystem::path& directory);

// Creates `directory` and its parents (mode 0700 for new ones) if missing.
void ensureDirectory(const std::filesystem::path& directory);

}  // namespace duly::mail
