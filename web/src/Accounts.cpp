// Accounts: Argon2id password hashes in a 0600 file; see Accounts.h.
#include "duly/web/Accounts.h"

#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace duly::web {

void initSodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string hashPassword(const std::string& password, HashCost cost) {
    initSodium();
    char out[crypto_pwhash_STRBYTES];
    auto ops = cost == HashCost::Interactive ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MIN;
    auto mem = cost == HashCost::Interactive ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MIN;
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("hashing a password failed: out of memory");
    return out;
}

bool verifyPassword(const std::string& hash, const std::string& password) {
    initSodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void checkPasswordRules(const std::string& password) {
    if (password.size() < 10)
        throw engine::InputError("the password is too short: use at least 10 characters (a few words together work well)");
    if (password.size() > 256) throw engine::InputError("the password is too long: use at most 256 characters");
}

std::string randomToken(std::size_t bytes) {
    initSodium();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    hex.pop_back();
    return hex;
}

std::string randomPassword() {
    initSodium();
    // No 0/o, 1/l/i: read aloud or copied from paper without mistakes.
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    std::string out;
    for (int group = 0; group < 4; ++group) {
        if (group) out += '-';
        for (int i = 0; i < 4; ++i) out += alphabet[randombytes_uniform(sizeof alphabet - 1)];
    }
    return out;
}

void HashSlots::acquire() {
    std::unique_lock lock(_mutex);
    _freed.wait(lock, [this] { return _free > 0; });
    --_free;
}

bool HashSlots::tryAcquire() {
    std::lock_guard lock(_mutex);
    if (_free <= 0) return false;
    --_free;
    return true;
}

void HashSlots::release() {
    {
        std::lock_guard lock(_mutex);
        ++_free;
    }
    _freed.notify_one();
}

namespace {

struct SlotHeld {
    HashSlots& slots;
    ~SlotHeld() { slots.release(); }
};

// An exclusive lock on FILE.lock for as long as it lives: between `duly
// serve` and `duly user`, and between threads (each takes its own open file
// description, and flock locks conflict between those).
class FileLock {
public:
    explicit FileLock(const std::filesystem::path& file) {
        auto path = file;
        path += ".lock";
        std::filesystem::create_directories(path.parent_path());
        _fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (_fd < 0) throw std::runtime_error(path.string() + ": cannot be opened: " + std::strerror(errno));
        while (::flock(_fd, LOCK_EX) != 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::close(_fd);
            throw std::runtime_error(path.string() + ": cannot be locked: " + std::strerror(e));
        }
    }
    ~FileLock() { ::close(_fd); }  // closing releases the lock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int _fd = -1;
};

}  // namespace

Accounts::Accounts(std::filesystem::path file, HashCost cost) : _file(std::move(file)), _cost(cost) {
    _dummyHash = hashPassword(randomToken(16), cost);
    std::lock_guard lock(_mutex);
    refresh();
}

Accounts::Stamp Accounts::stampOfFile() const {
    struct stat st {};
    if (::stat(_file.c_str(), &st) != 0) return {};
    return {true, static_cast<unsigned long long>(st.st_ino), static_cast<unsigned long long>(st.st_size),
            st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec, st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec};
}

Accounts::Entries Accounts::readFile() const {
    Entries entries;
    std::ifstream in(_file);
    if (!in) {
        if (std::filesystem::exists(_file)) throw std::runtime_error(_file.string() + ": cannot be read");
        return entries;
    }
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        auto t1 = line.find('\t'), t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos)
            throw std::runtime_error(_file.string() + ":" + std::to_string(n) +
                                     ": expected ID, must-change and hash separated by tabs");
        entries[line.substr(0, t1)] = {line.substr(t2 + 1), line.substr(t1 + 1, t2 - t1 - 1) == "1"};
    }
    return entries;
}

void Accounts::refresh() const {
    // The stamp is taken before reading: a change made while reading shows
    // as a different stamp next time, and the file is read again.
    // A file changed twice within the file system's clock tick can keep its
    // size, times and even inode (freed and reused): one whose times are
    // that recent is read again every time ("racily clean", as git says).
    auto stamp = stampOfFile();
    const long long nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
    const bool settled = std::max(stamp.mtimeNs, stamp.ctimeNs) < nowNs - 2000000000LL;
    if (stamp == _stamp && (stamp.exists ? settled : _entries.empty())) return;
    _entries = readFile();
    _stamp = stamp;
}

void writePrivateFile(const std::filesystem::path& file, const std::string& data) {
    engine::writePrivateFileAtomically(file, data);
}

void Accounts::writeFile(const Entries& entries) const {
    std::ostringstream text;
    text << "# Duly sign-in passwords (Argon2id). Change with `duly user passwd ID`.\n";
    for (const auto& [id, e] : entries) text << id << '\t' << (e.mustChange ? 1 : 0) << '\t' << e.hash << '\n';
    writePrivateFile(_file, text.str());
}

bool Accounts::modify(const std::function<bool(Entries&)>& change) {
    FileLock fileLock(_file);
    std::lock_guard lock(_mutex);
    // Never from memory: the file as it is now, which another process may
    // have changed a moment ago.
    _stamp = {};
    auto entries = readFile();
    bool changed = change(entries);
    if (changed) writeFile(entries);
    _entries = std::move(entries);
    _stamp = stampOfFile();
    return changed;
}

namespace {
void checkId(const std::string& id) {
    if (id.empty() || id.find_first_of("\t\n\r") != std::string::npos)
        throw engine::InputError("an account id must be one line without tabs");
}
}  // namespace

namespace {
std::string credentialOf(const std::string& hash) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(hash.data()), hash.size(), nullptr,
                       0);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}
}  // namespace

std::string Accounts::setPassword(const std::string& id, const std::string& password, bool mustChange) {
    checkPasswordRules(password);
    checkId(id);
    std::string hash;
    {
        _slots.acquire();
        SlotHeld held{_slots};
        hash = hashPassword(password, _cost);
    }
    modify([&](Entries& entries) {
        entries[id] = {hash, mustChange};
        return true;
    });
    return credentialOf(hash);
}

bool Accounts::setPasswordIfAbsent(const std::string& id, const std::string& password, bool mustChange) {
    checkPasswordRules(password);
    checkId(id);
    std::string hash;
    {
        _slots.acquire();
        SlotHeld held{_slots};
        hash = hashPassword(password, _cost);
    }
    return modify([&](Entries& entries) { return entries.emplace(id, Entry{hash, mustChange}).second; });
}

bool Accounts::remove(const std::string& id) {
    return modify([&](Entries& entries) { return entries.erase(id) != 0; });
}

bool Accounts::verify(const std::string& id, const std::string& password) const {
    std::string hash;
    {
        std::lock_guard lock(_mutex);
        refresh();
        auto e = _entries.find(id);
        hash = e == _entries.end() ? std::string{} : e->second.hash;
    }
    ++_checks;
    if (hash.empty()) {
        // The same work as for a real account, so timing does not tell.
        verifyPassword(_dummyHash, password);
        return false;
    }
    return verifyPassword(hash, password);
}

bool Accounts::check(const std::string& id, const std::string& password) const {
    _slots.acquire();
    SlotHeld held{_slots};
    return verify(id, password);
}

std::optional<bool> Accounts::tryCheck(const std::string& id, const std::string& password) const {
    if (!_slots.tryAcquire()) return std::nullopt;
    SlotHeld held{_slots};
    return verify(id, password);
}

std::optional<std::string> Accounts::credential(const std::string& id) const {
    std::lock_guard lock(_mutex);
    refresh();
    auto e = _entries.find(id);
    if (e == _entries.end()) return std::nullopt;
    return credentialOf(e->second.hash);
}

bool Accounts::exists(const std::string& id) const {
    std::lock_guard lock(_mutex);
    refresh();
    return _entries.count(id) != 0;
}

bool Accounts::mustChange(const std::string& id) const {
    std::lock_guard lock(_mutex);
    refresh();
    auto e = _entries.find(id);
    return e != _entries.end() && e->second.mustChange;
}

bool Accounts::empty() const {
    std::lock_guard lock(_mutex);
    refresh();
    return _entries.empty();
}

}  // namespace duly::web
