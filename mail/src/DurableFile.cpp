// DurableFile: POSIX open/write/fsync for files that must survive a crash
// whole or not at all. Throws std::system_error naming the path.
#include "duly/mail/DurableFile.h"

#include "duly/engine/PrivateFiles.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace duly::mail {
namespace {

[[noreturn]] void fail(const char* what, const std::filesystem::path& path, int error) {
    throw std::system_error(error, std::generic_category(), std::string(what) + " " + path.string());
}

// Closes a descriptor on every path out.
class Descriptor {
public:
    explicit Descriptor(int fd) : _fd(fd) {}
    ~Descriptor() {
        if (_fd >= 0) ::close(_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return _fd; }
    int release() {
        const int fd = _fd;
        _fd = -1;
        return fd;
    }

private:
    int _fd;
};

}  // namespace

void writeNewFileSynced(const std::filesystem::path& path, std::string_view bytes) {
    Descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) fail("cannot create", path, errno);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::unlink(path.c_str());
            fail("cannot write", path, error);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        fail("cannot fsync", path, error);
    }
    if (::close(fd.release()) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        fail("cannot close", path, error);
    }
}

void syncDirectory(const std::filesystem::path& directory) {
    Descriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) fail("cannot open directory", directory, errno);
    if (::fsync(fd.get()) != 0) fail("cannot fsync directory", directory, errno);
}

void ensureDirectory(const std::filesystem::path& directory) { duly::engine::makePrivateDirectories(directory); }

}  // namespace duly::mail
