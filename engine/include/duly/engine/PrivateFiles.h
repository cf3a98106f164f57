// PrivateFiles: the one way Duly creates the files and folders that hold
// personal data (the store and its -wal/-shm, print runs, the outbox,
// saved attachments, rendered letters, passwords and sessions): files are
// 0600 and new folders 0700 whatever the umask, because a landlord's var/
// must not be readable by every account on the machine. Failures throw
// std::system_error naming the path.
#pragma once

#include <filesystem>
#include <string_view>

namespace duly::engine {

// Creates `directory` and any missing parents; each folder created is 0700.
// Folders that already exist keep their mode (an operator may have chosen it).
void makePrivateDirectories(const std::filesystem::path& directory);

// open(2) of `file` for writing: O_WRONLY | O_CLOEXEC plus `flags` (O_CREAT,
// O_TRUNC, O_EXCL, O_APPEND...). A regular file is 0600 afterwards, also when
// it existed with a wider mode (a device such as /dev/stdout is left alone). Returns the descriptor, which the caller closes.
int openPrivateFile(const std::filesystem::path& file, int flags);

// Writes `bytes` to `file` whole or not at all: a temporary file beside it,
// fsync, rename, fsync of the folder (made private when missing).
void writePrivateFileAtomically(const std::filesystem::path& file, std::string_view bytes);

// Narrows an existing file to 0600; false when there is no such file.
bool makeFilePrivate(const std::filesystem::path& file);

}  // namespace duly::engine
