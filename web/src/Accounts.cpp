// Accounts: Argon2id password hashes in a 0600 file; see Accounts.h.
#include "duly/web/Accounts.h"

#include "duly/engine/InputError.h"
#include "duly/engine/PrivateFiles.h"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
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

Accounts::Accounts(std::filesystem::path file, HashCost cost) : _file(std::move(file)), _cost(cost) {
    _dummyHash = hashPassword(randomToken(16), cost);
    std::ifstream in(_file);
    if (!in) {
        if (std::filesystem::exists(_file)) throw std::runtime_error(_file.string() + ": cannot be read");
        return;
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
        _entries[line.substr(0, t1)] = {line.substr(t2 + 1), line.substr(t1 + 1, t2 - t1 - 1) == "1"};
    }
}

void writePrivateFile(const std::filesystem::path& file, const std::string& data) {
    engine::makePrivateDirectories(file.parent_path());
    auto tmp = file;
    tmp += ".tmp";
    int fd = engine::openPrivateFile(tmp, O_CREAT | O_TRUNC);  // 0600 also when a left-over .tmp was wider
    if (fd < 0) throw std::runtime_error(tmp.string() + ": cannot be written: " + std::strerror(errno));
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0)
        throw std::runtime_error(file.string() + ": cannot be saved: " + std::strerror(errno));
}

void Accounts::save() const {
    std::ostringstream text;
    text << "# Duly sign-in passwords (Argon2id). Change with `duly user passwd ID`.\n";
    for (const auto& [id, e] : _entries) text << id << '\t' << (e.mustChange ? 1 : 0) << '\t' << e.hash << '\n';
    writePrivateFile(_file, text.str());
}

void Accounts::setPassword(const std::string& id, const std::string& password, bool mustChange) {
    checkPasswordRules(password);
    if (id.empty() || id.find_first_of("\t\n\r") != std::string::npos)
        throw engine::InputError("an account id must be one line without tabs");
    auto hash = hashPassword(password, _cost);
    std::lock_guard lock(_mutex);
    auto before = _entries;
    _entries[id] = {hash, mustChange};
    try {
        save();
    } catch (...) {
        _entries = std::move(before);
        throw;
    }
}

bool Accounts::check(const std::string& id, const std::string& password) const {
    std::string hash;
    {
        std::lock_guard lock(_mutex);
        auto e = _entries.find(id);
        hash = e == _entries.end() ? std::string{} : e->second.hash;
    }
    if (hash.empty()) {
        verifyPassword(_dummyHash, password);
        return false;
    }
    return verifyPassword(hash, password);
}

bool Accounts::exists(const std::string& id) const {
    std::lock_guard lock(_mutex);
    return _entries.count(id) != 0;
}

bool Accounts::mustChange(const std::string& id) const {
    std::lock_guard lock(_mutex);
    auto e = _entries.find(id);
    return e != _entries.end() && e->second.mustChange;
}

bool Accounts::empty() const {
    std::lock_guard lock(_mutex);
    return _entries.empty();
}

}  // namespace duly::web
