// MaildirWriter: delivery into a Maildir per the Maildir specification
// (tmp/ → new/, unique names time.MusecPpidQn.host). Throws
// std::system_error naming the path when the disk refuses.
#include "duly/mail/MaildirWriter.h"

#include "duly/mail/DurableFile.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <system_error>
#include <unistd.h>

namespace duly::mail {

MaildirWriter::MaildirWriter(std::filesystem::path root) : _root(std::move(root)) {
    for (const char* sub : {"tmp", "new", "cur"}) ensureDirectory(_root / sub);
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "localhost");
    // The specification escapes '/' and ':' in the host part.
    for (const char* c = host; *c != '\0'; ++c) {
        if (*c == '/') {
            _hostPart += "\\057";
        } else if (*c == ':') {
            _hostPart += "\\072";
        } else {
            _hostPart += *c;
        }
    }
}

std::filesystem::path MaildirWriter::deliver(std::string_view bytes) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - seconds);
    // Microseconds as six digits: readers take messages oldest first by name,
    // and "M95000" would sort after "M123456" of the same second.
    std::string micro = std::to_string(micros.count());
    micro.insert(0, 6 - std::min<std::size_t>(6, micro.size()), '0');
    const std::string name = std::to_string(seconds.count()) + ".M" + micro + "P" + std::to_string(::getpid()) + "Q" +
                             std::to_string(++_counter) + "." + _hostPart;
    const std::filesystem::path temporary = _root / "tmp" / name;
    const std::filesystem::path target = _root / "new" / name;
    writeNewFileSynced(temporary, bytes);
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw std::system_error(error, std::generic_category(), "cannot move into " + target.string());
    }
    syncDirectory(_root / "new");
    return target;
}

}  // namespace duly::mail
