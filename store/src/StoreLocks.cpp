// StoreLocks: advisory locks on a connection of their own (PostgreSQL) or
// flock()-ed files next to the database (SQLite). See StoreLocks.h.
#include "duly/store/StoreLocks.h"

#include <libpq-fe.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

namespace duly::store {
namespace {

// The names as a reader can recognise them in a file name; the hash keeps
// two names that differ only in characters replaced here apart.
std::string fileNameFor(const std::string& name) {
    std::string safe;
    for (char c : name.substr(0, 60)) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(advisoryKey(name)));
    return safe + "." + hex + ".lock";
}

class PostgreSqlLocks : public engine::WorkLocks {
public:
    explicit PostgreSqlLocks(StoreUrl location) : _location(std::move(location)) {}
    ~PostgreSqlLocks() override { disconnect(); }

    bool tryHold(const std::string& name) override {
        std::lock_guard lock(_mutex);
        if (_held.count(name)) {
            if (stillHeldUnlocked(name)) return true;
        }
        if (!connect()) return false;
        const std::string key = std::to_string(advisoryKey(name));
        const char* params[] = {key.c_str()};
        PGresult* r = PQexecParams(_conn, "SELECT pg_try_advisory_lock($1::bigint)", 1, nullptr, params, nullptr, nullptr, 0);
        bool got = false;
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
            got = std::strcmp(PQgetvalue(r, 0, 0), "t") == 0;
            _problem.clear();
        } else {
            lost("taking " + name);
        }
        PQclear(r);
        if (got) _held.insert(name);
        return got;
    }

    bool stillHeld(const std::string& name) override {
        std::lock_guard lock(_mutex);
        return stillHeldUnlocked(name);
    }

    void release(const std::string& name) override {
        std::lock_guard lock(_mutex);
        if (!_held.erase(name) || !_conn) return;
        const std::string key = std::to_string(advisoryKey(name));
        const char* params[] = {key.c_str()};
        PGresult* r = PQexecParams(_conn, "SELECT pg_advisory_unlock($1::bigint)", 1, nullptr, params, nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) lost("releasing " + name);
        PQclear(r);
    }

    std::vector<std::string> held() const override {
        std::lock_guard lock(_mutex);
        return {_held.begin(), _held.end()};
    }

    std::string lastProblem() const override {
        std::lock_guard lock(_mutex);
        return _problem;
    }

private:
    bool connect() {
        if (_conn && PQstatus(_conn) == CONNECTION_OK) return true;
        disconnect();
        std::string conninfo;
        try {
            // Ours first, so that the URL's own values win (libpq keeps the last).
            conninfo = "keepalives=1 keepalives_idle=10 keepalives_interval=5 keepalives_count=3 "
                       "application_name=duly-locks " +
                       _location.connectionString();
        } catch (const std::exception& e) {
            _problem = e.what();
            return false;
        }
        _conn = PQconnectdb(conninfo.c_str());
        if (PQstatus(_conn) != CONNECTION_OK) {
            _problem = std::string("cannot open the lock connection to ") + _location.shown() + ": " +
                       PQerrorMessage(_conn);
            while (!_problem.empty() && _problem.back() == '\n') _problem.pop_back();
            disconnect();
            return false;
        }
        return true;
    }

    void disconnect() {
        if (_conn) PQfinish(_conn);
        _conn = nullptr;
    }

    // The connection failed: every lock it held is gone with it.
    void lost(const std::string& doing) {
        _problem = "the lock connection was lost while " + doing + ": " + (_conn ? PQerrorMessage(_conn) : "");
        while (!_problem.empty() && _problem.back() == '\n') _problem.pop_back();
        _held.clear();
        disconnect();
    }

    bool stillHeldUnlocked(const std::string& name) {
        if (!_held.count(name)) return false;
        if (!_conn) {
            _held.clear();
            return false;
        }
        const std::int64_t key = advisoryKey(name);
        const std::string classid = std::to_string(static_cast<std::uint64_t>(key) >> 32);
        const std::string objid = std::to_string(static_cast<std::uint64_t>(key) & 0xffffffffu);
        const char* params[] = {classid.c_str(), objid.c_str()};
        PGresult* r = PQexecParams(_conn,
                                   "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                   " AND pid = pg_backend_pid() AND classid = $1::bigint::oid"
                                   " AND objid = $2::bigint::oid AND objsubid = 1",
                                   2, nullptr, params, nullptr, nullptr, 0);
        bool ok = false;
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
            ok = std::strcmp(PQgetvalue(r, 0, 0), "0") != 0;
            if (!ok) {
                _held.erase(name);
                _problem = "the lock " + name + " is no longer held";
            }
        } else {
            lost("checking " + name);
        }
        PQclear(r);
        return ok;
    }

    StoreUrl _location;
    PGconn* _conn = nullptr;
    std::set<std::string> _held;
    std::string _problem;
    mutable std::mutex _mutex;
};

class FileLocks : public engine::WorkLocks {
public:
    explicit FileLocks(std::filesystem::path store) : _store(std::move(store)) {}
    ~FileLocks() override {
        for (auto& [name, fd] : _held) ::close(fd);
    }

    bool tryHold(const std::string& name) override {
        std::lock_guard lock(_mutex);
        if (_held.count(name) && stillHeldUnlocked(name)) return true;
        const auto file = lockFile(_store, name);
        std::error_code ec;
        if (std::filesystem::create_directory(file.parent_path(), ec))
            std::filesystem::permissions(file.parent_path(), std::filesystem::perms::owner_all, ec);
        int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            _problem = "cannot open " + file.string() + ": " + std::strerror(errno);
            return false;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK) _problem = "cannot lock " + file.string() + ": " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        // Locked; but if the file was replaced meanwhile, the lock is on a
        // file nobody else will open: try again at the next poll.
        struct stat opened {}, named {};
        if (::fstat(fd, &opened) != 0 || ::stat(file.c_str(), &named) != 0 || opened.st_ino != named.st_ino ||
            opened.st_dev != named.st_dev) {
            ::close(fd);
            return false;
        }
        _held[name] = fd;
        _problem.clear();
        return true;
    }

    bool stillHeld(const std::string& name) override {
        std::lock_guard lock(_mutex);
        return stillHeldUnlocked(name);
    }

    void release(const std::string& name) override {
        std::lock_guard lock(_mutex);
        auto it = _held.find(name);
        if (it == _held.end()) return;
        ::close(it->second);  // closing the descriptor releases the flock
        _held.erase(it);
    }

    std::vector<std::string> held() const override {
        std::lock_guard lock(_mutex);
        std::vector<std::string> out;
        for (const auto& [name, fd] : _held) out.push_back(name);
        return out;
    }

    std::string lastProblem() const override {
        std::lock_guard lock(_mutex);
        return _problem;
    }

private:
    // Held while our descriptor is still the file of that name (someone
    // removing the folder would let another process lock a new file).
    bool stillHeldUnlocked(const std::string& name) {
        auto it = _held.find(name);
        if (it == _held.end()) return false;
        struct stat opened {}, named {};
        const auto file = lockFile(_store, name);
        if (::fstat(it->second, &opened) == 0 && ::stat(file.c_str(), &named) == 0 && opened.st_ino == named.st_ino &&
            opened.st_dev == named.st_dev)
            return true;
        _problem = "the lock file " + file.string() + " was removed or replaced";
        ::close(it->second);
        _held.erase(it);
        return false;
    }

    std::filesystem::path _store;
    std::map<std::string, int> _held;
    std::string _problem;
    mutable std::mutex _mutex;
};

}  // namespace

std::int64_t advisoryKey(const std::string& name) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : "duly:" + name) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return static_cast<std::int64_t>(h);
}

std::filesystem::path lockFile(const std::filesystem::path& store, const std::string& name) {
    auto folder = store;
    folder += "-locks";
    return folder / fileNameFor(name);
}

std::unique_ptr<engine::WorkLocks> openWorkLocks(const StoreUrl& location) {
    if (location.kind == StoreUrl::Kind::PostgreSql) return std::make_unique<PostgreSqlLocks>(location);
    return std::make_unique<FileLocks>(std::filesystem::absolute(location.file));
}

}  // namespace duly::store
