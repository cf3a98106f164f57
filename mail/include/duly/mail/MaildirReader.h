// MaildirReader: the local inbox (var/mail/inbox by default). Lists the
// messages not yet processed (everything in new/, and messages in cur/
// without the S flag), reads their bytes, and — once the caller has
// ingested one — marks it processed by renaming it into cur/ with the S
// flag, or into a configured processed Maildir. It never deletes. Files
// that vanish between listing and reading (another reader, a mail client)
// are reported as gone, not as errors.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace duly::mail {

struct MaildirEntry {
    std::string uniqueName;          // the name before ":2,"; stable across moves
    std::filesystem::path path;      // where it was when listed
};

class MaildirReader {
public:
    // Creates root/{tmp,new,cur} when missing. With `processedRoot`,
    // processed messages go to processedRoot/cur instead of root/cur.
    explicit MaildirReader(std::filesystem::path root,
                           std::optional<std::filesystem::path> processedRoot = std::nullopt,
                           std::size_t maxMessageBytes = 64u * 1024u * 1024u);

    // Unprocessed messages, oldest name first. Names starting with '.' are
    // skipped. Throws std::system_error when new/ or cur/ cannot be read.
    std::vector<MaildirEntry> pending() const;

    // The message's bytes, or nullopt when it is no longer in new/ or cur/.
    // Throws InputError (naming the file) when it is larger than the limit.
    std::optional<std::string> read(const MaildirEntry& entry) const;

    // Renames the message to cur/<unique>:2,<flags with S> (or into the
    // processed Maildir). Returns false when it has gone; true when it is
    // now marked (also when it already was).
    bool markProcessed(const MaildirEntry& entry) const;

private:
    std::optional<std::filesystem::path> locate(const std::string& uniqueName) const;

    std::filesystem::path _root;
    std::optional<std::filesystem::path> _processedRoot;
    std::size_t _maxMessageBytes;
};

}  // namespace duly::mail
