// MaildirWriter: delivers a message into a Maildir the way the Maildir
// specification asks — write into tmp/ under a unique name, fsync, rename
// into new/, fsync new/ — so a reader never sees half a message. Used by
// tests and by the sample data. Failures throw std::system_error.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace duly::mail {

class MaildirWriter {
public:
    // Creates root/tmp, root/new and root/cur when missing.
    explicit MaildirWriter(std::filesystem::path root);

    // Returns the path of the new file in new/.
    std::filesystem::path deliver(std::string_view bytes);

private:
    std::filesystem::path _root;
    std::string _hostPart;  // host name with '/' and ':' escaped
    unsigned long _counter = 0;
};

}  // namespace duly::mail
