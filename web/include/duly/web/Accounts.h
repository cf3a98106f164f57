// Accounts: sign-in passwords of officers, kept apart from the case store
// in one file (HOME/var/passwords by default), one line per account:
//   ID <TAB> must-change (0|1) <TAB> $argon2id$… hash
// Who an account is (name, team, role) lives in the store's officer record;
// this file only says how they prove it. Hashes are Argon2id from libsodium
// (crypto_pwhash_str), memory-hard.
//
// The file is the one source of truth, shared by `duly serve` and
// `duly user`: every read first looks whether the file has changed (its
// inode, size and times) and reads it again when it has, so a password set
// on the command line counts at once in a running server. Every change is
// made under an exclusive lock on FILE.lock, reading the file afresh and
// changing only the one account, so two writers never undo each other; the
// file is rewritten whole through a temporary file, fsync and rename, with
// mode 0600, so it is never half written.
//
// At most kMaxHashesAtOnce hashes run at once (each Interactive one takes
// 64 MiB): check() waits for a turn, tryCheck() answers "busy" instead.
//
// Throws std::runtime_error naming FILE:LINE when the file cannot be read
// or has a malformed line, and InputError for a password that is too short
// or too long.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace duly::web {

// How much work a hash costs. Interactive is libsodium's recommended
// setting for sign-in (64 MiB); Minimum is for tests only.
enum class HashCost { Interactive, Minimum };

// Throws std::runtime_error when libsodium cannot be initialised.
void initSodium();

// crypto_pwhash_str; throws std::runtime_error when out of memory.
std::string hashPassword(const std::string& password, HashCost cost = HashCost::Interactive);
bool verifyPassword(const std::string& hash, const std::string& password);

// Throws InputError unless 10 to 256 bytes.
void checkPasswordRules(const std::string& password);

// A random password of 4 groups of 4 letters and digits ("k7dq-2mfa-…").
std::string randomPassword();

// Hex of `bytes` random bytes from libsodium.
std::string randomToken(std::size_t bytes = 32);

// Replaces `file` with `data` readable by its owner only (mode 0600): written
// to FILE.tmp, synced, then renamed over it, so a crash leaves the old file
// or the new one. Creates the folder. Throws std::runtime_error naming the file.
void writePrivateFile(const std::filesystem::path& file, const std::string& data);

// A counting limit on the hashes that run at once. Thread-safe.
class HashSlots {
public:
    explicit HashSlots(int slots) : _free(slots) {}
    bool tryAcquire();
    void acquire();
    void release();

private:
    std::mutex _mutex;
    std::condition_variable _freed;
    int _free;
};

class Accounts {
public:
    static constexpr int kMaxHashesAtOnce = 4;

    // Reads `file` when it exists (an absent file is no accounts).
    Accounts(std::filesystem::path file, HashCost cost = HashCost::Interactive);

    // Sets the password of `id` (checked against the rules) and saves, under
    // the lock, merged into the file as it is now. Returns the new
    // credential() (that of this password, whatever is written after it).
    std::string setPassword(const std::string& id, const std::string& password, bool mustChange);
    // Sets a password only when `id` has none yet (under the same lock);
    // true when it was set.
    bool setPasswordIfAbsent(const std::string& id, const std::string& password, bool mustChange);
    // Removes the account's password (under the lock); false when it had none.
    bool remove(const std::string& id);

    // True when the password is right. Runs a hash even for an unknown id,
    // so timing does not tell which ids exist. Waits while kMaxHashesAtOnce
    // hashes are running.
    bool check(const std::string& id, const std::string& password) const;
    // As check(), but nothing (and no hash run) when kMaxHashesAtOnce hashes
    // are already running.
    std::optional<bool> tryCheck(const std::string& id, const std::string& password) const;

    // A short digest of the account's current hash: it changes whenever the
    // password is set, so a session that carries the one from its sign-in
    // can tell that the password was reset since. Nothing when the account
    // has no password.
    std::optional<std::string> credential(const std::string& id) const;

    bool exists(const std::string& id) const;
    bool mustChange(const std::string& id) const;
    bool empty() const;
    const std::filesystem::path& file() const { return _file; }

    // How many password checks have run (with the dummy hash for unknown
    // ids too), and the limit on hashes at once: for tests.
    std::uint64_t checksRun() const { return _checks.load(); }
    HashSlots& hashSlots() const { return _slots; }

private:
    struct Entry {
        std::string hash;
        bool mustChange = false;
    };
    using Entries = std::map<std::string, Entry>;
    struct Stamp {
        bool exists = false;
        unsigned long long inode = 0, size = 0;
        long long mtimeNs = 0, ctimeNs = 0;
        bool operator==(const Stamp&) const = default;
    };
    Stamp stampOfFile() const;
    Entries readFile() const;            // throws std::runtime_error
    void refresh() const;                // reads the file again when it changed; call with _mutex held
    void writeFile(const Entries& entries) const;
    // Runs `change` on the entries read afresh under the file lock, then
    // writes them when it returns true.
    bool modify(const std::function<bool(Entries&)>& change);
    bool verify(const std::string& id, const std::string& password) const;
    std::filesystem::path _file;
    HashCost _cost;
    mutable std::mutex _mutex;
    mutable Entries _entries;
    mutable Stamp _stamp;
    std::string _dummyHash;
    mutable HashSlots _slots{kMaxHashesAtOnce};
    mutable std::atomic<std::uint64_t> _checks{0};
};

}  // namespace duly::web
