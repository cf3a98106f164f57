// FileOutbox: the embedded default when no SMTP server is configured. Each
// message becomes one .eml file in a folder (var/outbox/ by default),
// written to tmp/, fsynced and linked into place, so the folder only ever
// holds complete messages. The name comes from the Message-ID: sending the
// same message again finds the file there and neither overwrites nor
// duplicates it.
#pragma once

#include "duly/mail/MessageSender.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace duly::mail {

class FileOutbox : public MessageSender {
public:
    // Creates the folder (and its tmp/) when missing; throws
    // std::system_error when it cannot.
    explicit FileOutbox(std::filesystem::path folder);

    // Delivered (also when the file already exists); Transient when the disk
    // fails (text names the path and the error).
    DeliveryResult send(const ComposedMessage& message) override;

    // "<PHG-2026-00042.ack.1@duly.example.org>" →
    // "PHG-2026-00042.ack.1@duly.example.org.eml": letters, digits and
    // ".-_@+=" kept, every other byte written as %XX, so different ids
    // give different names. Throws InputError for an empty id.
    static std::string fileNameFor(std::string_view messageId);

    const std::filesystem::path& folder() const { return _folder; }

private:
    std::filesystem::path _folder;
};

}  // namespace duly::mail
