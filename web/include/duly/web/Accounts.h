// Accounts: sign-in passwords of officers, kept apart from the case store
// in one file (HOME/var/passwords by default), one line per account:
//   ID <TAB> must-change (0|1) <TAB> $argon2id$… hash
// Who an account is (name, team, role) lives in the store's officer record;
// this file only says how they prove it. Hashes are Argon2id from libsodium
// (crypto_pwhash_str), memory-hard. The file is rewritten whole through a
// temporary file, fsync and rename, with mode 0600, so it is never half
// written. Throws std::runtime_error when the file cannot be read or written
// and InputError for a password that is too short or too long.
#pragma once

#include <filesystem>
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

class Accounts {
public:
    // Reads `file` when it exists (an absent file is no accounts).
    Accounts(std::filesystem::path file, HashCost cost = HashCost::Interactive);

    // Sets the password of `id` (checked against the rules) and saves.
    void setPassword(const std::string& id, const std::string& password, bool mustChange);

    // True when the password is right. Runs a hash even for an unknown id,
    // so timing does not tell which ids exist.
    bool check(const std::string& id, const std::string& password) const;

    bool exists(const std::string& id) const;
    bool mustChange(const std::string& id) const;
    bool empty() const;
    const std::filesystem::path& file() const { return _file; }

private:
    struct Entry {
        std::string hash;
        bool mustChange = false;
    };
    void save() const;
    std::filesystem::path _file;
    HashCost _cost;
    mutable std::mutex _mutex;
    std::map<std::string, Entry> _entries;
    std::string _dummyHash;
};

}  // namespace duly::web
