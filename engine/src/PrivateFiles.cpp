// PrivateFiles: mkdir and open with explicit modes, then chmod/fchmod to the
// exact mode, since the umask can only take bits away from what mkdir and
// open ask for (a umask of 0200 would make a folder Duly cannot write in).
// Every failure is a std::system_error naming the path.
#include "duly/engine/PrivateFiles.h"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace duly::engine {
namespace {

constexpr mode_t kFileMode = 0600;
constexpr mode_t kFolderMode = 0700;

[[noreturn]] void fail(const char* what, const std::filesystem::path& path, int error) {
    throw std::system_error(error, std::generic_category(), std::string(what) + " " + path.string());
}

}  // namespace

void makePrivateDirectories(const std::filesystem::path& directory) {
    if (directory.empty()) return;
    struct stat st{};
    if (::stat(directory.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) fail("not a folder:", directory, ENOTDIR);
        return;
    }
    const std::filesystem::path parent = directory.parent_path();
    if (!parent.empty() && parent != directory) makePrivateDirectories(parent);
    if (::mkdir(directory.c_str(), kFolderMode) != 0) {
        if (errno == EEXIST) return;  // made meanwhile by another process
        fail("cannot create the folder", directory, errno);
    }
    if (::chmod(directory.c_str(), kFolderMode) != 0) fail("cannot set the mode of", directory, errno);
}

int openPrivateFile(const std::filesystem::path& file, int flags) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC | flags, kFileMode);
    if (fd < 0) fail("cannot open", file, errno);
    // Only a regular file is narrowed: `duly render --output /dev/stdout`
    // must not change the terminal's mode.
    struct stat st{};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) != kFileMode &&
        ::fchmod(fd, kFileMode) != 0) {
        const int error = errno;
        ::close(fd);
        fail("cannot set the mode of", file, error);
    }
    return fd;
}

void writePrivateFileAtomically(const std::filesystem::path& file, std::string_view bytes) {
    const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    makePrivateDirectories(folder);
    std::filesystem::path tmp = file;
    tmp += ".tmp-" + std::to_string(::getpid());
    const int fd = openPrivateFile(tmp, O_CREAT | O_TRUNC);
    auto abandon = [&](const char* what, int error) {
        ::close(fd);
        ::unlink(tmp.c_str());
        fail(what, tmp, error);
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) abandon("cannot write", n < 0 ? errno : EIO);
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) abandon("cannot fsync", errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(tmp.c_str());
        fail("cannot close", tmp, error);
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        const int error = errno;
        ::unlink(tmp.c_str());
        fail("cannot rename into place", file, error);
    }
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);  // the rename survives a crash; a folder that cannot be synced is not an error
        ::close(dir);
    }
}

bool makeFilePrivate(const std::filesystem::path& file) {
    if (::chmod(file.c_str(), kFileMode) == 0) return true;
    if (errno == ENOENT) return false;
    fail("cannot set the mode of", file, errno);
}

}  // namespace duly::engine
