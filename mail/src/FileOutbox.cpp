// FileOutbox: messages as .eml files in a folder. Owns the naming (from the
// Message-ID) and the atomic, no-overwrite placement: write tmp/, fsync,
// link() into place (which fails rather than replace an existing file),
// fsync the folder. Disk failures become Transient results.
#include "duly/mail/FileOutbox.h"

#include "duly/engine/InputError.h"
#include "duly/mail/DurableFile.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>
#include <unistd.h>

namespace duly::mail {

FileOutbox::FileOutbox(std::filesystem::path folder) : _folder(std::move(folder)) {
    ensureDirectory(_folder / "tmp");
}

std::string FileOutbox::fileNameFor(std::string_view messageId) {
    std::string_view id = messageId;
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    if (id.empty()) throw engine::InputError("outbox: a message without a Message-ID cannot be stored");
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string name;
    for (const char c : id) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          std::strchr(".-_@+=", c) != nullptr;
        // A leading '.' would hide the file; '%' itself is escaped, so the
        // mapping stays one-to-one.
        if (keep && !(name.empty() && c == '.')) {
            name += c;
        } else {
            name += '%';
            name += kHex[u >> 4];
            name += kHex[u & 0x0Fu];
        }
    }
    return name + ".eml";
}

DeliveryResult FileOutbox::send(const ComposedMessage& message) {
    DeliveryResult result;
    result.stage = "outbox";
    const std::string name = fileNameFor(message.messageId);
    const std::filesystem::path target = _folder / name;
    static std::atomic<unsigned long> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::filesystem::path temporary =
        _folder / "tmp" /
        (name + "." + std::to_string(::getpid()) + "." + std::to_string(stamp) + "." + std::to_string(++counter));
    try {
        std::error_code exists;
        if (std::filesystem::exists(target, exists)) {
            result.outcome = DeliveryOutcome::Delivered;
            result.text = "already in the outbox as " + target.string();
            return result;
        }
        writeNewFileSynced(temporary, message.bytes);
        if (::link(temporary.c_str(), target.c_str()) != 0) {
            const int error = errno;
            ::unlink(temporary.c_str());
            if (error != EEXIST) {
                throw std::system_error(error, std::generic_category(), "cannot link into place " + target.string());
            }
            // Another sender placed the same message first: still one copy.
            result.outcome = DeliveryOutcome::Delivered;
            result.text = "already in the outbox as " + target.string();
            return result;
        }
        ::unlink(temporary.c_str());
        syncDirectory(_folder);
        result.outcome = DeliveryOutcome::Delivered;
        result.text = "written to " + target.string();
    } catch (const std::system_error& error) {
        result.outcome = DeliveryOutcome::Transient;
        result.text = error.what();
    }
    return result;
}

}  // namespace duly::mail
