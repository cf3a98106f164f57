// AuditLog: one appended line per view or action; see AuditLog.h.
#include "duly/web/AuditLog.h"

#include "duly/engine/PrivateFiles.h"
#include "duly/engine/ZoneRules.h"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

#include <sodium.h>

namespace duly::web {

namespace {
// One line, at most kMaxFieldBytes: a field cut short ends with "…" and is
// never cut inside a UTF-8 sequence.
std::string oneLine(const std::string& in) {
    std::string s = in;
    if (s.size() > AuditLog::kMaxFieldBytes) {
        std::size_t end = AuditLog::kMaxFieldBytes - 3;  // room for "…"
        while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
        s.resize(end);
        s += "\xE2\x80\xA6";
    }
    for (auto& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

// For the store: bytes that are not UTF-8 become "?" and NUL a space
// (PostgreSQL refuses both in text, and a hostile request must not be able
// to make its own refusal go unlogged).
std::string validUtf8(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0 || c < 0x80) {
            out += c ? s[i] : ' ';
            ++i;
            continue;
        }
        std::size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c == 0xE0) n = 2, lo = 0xA0;
        else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 2;
        else if (c == 0xED) n = 2, hi = 0x9F;
        else if (c == 0xF0) n = 3, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) n = 3;
        else if (c == 0xF4) n = 3, hi = 0x8F;
        bool ok = n > 0 && i + n < s.size();
        for (std::size_t k = 1; ok && k <= n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            ok = k == 1 ? b >= lo && b <= hi : b >= 0x80 && b <= 0xBF;
        }
        if (!ok) {
            out += '?';
            ++i;
            continue;
        }
        out.append(s, i, n + 1);
        i += n + 1;
    }
    return out;
}

std::string storeField(const std::string& in) { return validUtf8(oneLine(in)); }
}  // namespace

AuditLog::AuditLog(std::filesystem::path file) : _file(std::move(file)) {
    if (_file.has_parent_path()) engine::makePrivateDirectories(_file.parent_path());
}

AuditLog::AuditLog(engine::AuditStore& store, std::filesystem::path oldFile)
    : _file(std::move(oldFile)), _store(&store) {}

void AuditLog::write(engine::Instant at, const std::string& actor, const std::string& action,
                     const std::string& subject, const std::string& detail) {
    if (_store) {
        _store->appendAudit({at, storeField(actor), storeField(action), storeField(subject), storeField(detail)});
        return;
    }
    auto line = engine::formatRfc3339Utc(at) + '\t' + oneLine(actor) + '\t' + oneLine(action) + '\t' +
                oneLine(subject) + '\t' + oneLine(detail) + '\n';
    std::lock_guard lock(_mutex);
    int fd = engine::openPrivateFile(_file, O_CREAT | O_APPEND);  // narrows a log an older version left wider
    if (fd < 0) throw std::runtime_error(_file.string() + ": cannot be opened for the audit log: " + std::strerror(errno));
    auto written = ::write(fd, line.data(), line.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(line.size()))
        throw std::runtime_error(_file.string() + ": the audit log could not be written");
}

namespace {
std::optional<AuditLog::Entry> parseLine(const std::string& line) {
    AuditLog::Entry e;
    std::string* fields[] = {&e.at, &e.actor, &e.action, &e.subject, &e.detail};
    std::size_t start = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        const auto tab = line.find('\t', start);
        if ((tab == std::string::npos) != (i == 4)) return std::nullopt;
        *fields[i] = line.substr(start, tab == std::string::npos ? std::string::npos : tab - start);
        start = tab + 1;
    }
    return e;
}
}  // namespace

std::vector<AuditLog::Entry> AuditLog::entriesAbout(const std::set<std::string>& subjects) {
    std::lock_guard lock(_mutex);
    std::vector<Entry> out;
    std::ifstream in(_file, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        auto e = parseLine(line);
        if (e && subjects.count(e->subject)) out.push_back(std::move(*e));
    }
    if (_store)  // after the old file's entries, which are all older
        for (auto& r : _store->auditAbout(subjects))
            out.push_back({engine::formatRfc3339Utc(r.at), std::move(r.actor), std::move(r.action),
                           std::move(r.subject), std::move(r.detail)});
    return out;
}

std::vector<AuditLog::Entry> AuditLog::entries(const engine::AuditQuery& query) const {
    std::vector<Entry> out;
    if (!_store) return out;
    for (auto& r : _store->auditRecords(query))
        out.push_back({engine::formatRfc3339Utc(r.at), std::move(r.actor), std::move(r.action), std::move(r.subject),
                       std::move(r.detail)});
    return out;
}

AuditLog::Import AuditLog::importOldFile(engine::AuditStore& store, const std::filesystem::path& file,
                                         engine::Instant now) {
    namespace fs = std::filesystem;
    Import result;
    if (file.empty()) return result;
    const fs::path importing = file.string() + ".importing";
    std::error_code ec;
    if (fs::exists(file, ec) && !fs::exists(importing, ec)) {
        // Taking the file by renaming it: a second process sharing the
        // folder finds it gone and leaves it alone.
        if (::rename(file.c_str(), importing.c_str()) != 0 && errno != ENOENT)
            throw std::runtime_error(file.string() + ": the old audit log cannot be renamed for its import: " +
                                     std::strerror(errno));
    }
    if (!fs::exists(importing, ec)) return result;
    std::ifstream in(importing, std::ios::binary);
    if (!in) throw std::runtime_error(importing.string() + ": the old audit log cannot be read: " + std::strerror(errno));
    std::ostringstream whole;
    whole << in.rdbuf();
    const std::string content = whole.str();
    std::vector<engine::AuditRecord> records;
    std::istringstream lines(content);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        std::optional<engine::Instant> at;
        auto e = parseLine(line);
        if (e) {
            try {
                at = engine::parseRfc3339(e->at, "audit log time");
            } catch (const std::exception&) {
            }
        }
        if (!at) {
            ++result.unreadable;
            continue;
        }
        records.push_back({*at, storeField(e->actor), storeField(e->action), storeField(e->subject),
                           storeField(e->detail)});
    }
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                       nullptr, 0);
    static const char* hex = "0123456789abcdef";
    std::string digestHex;
    for (unsigned char b : digest) (digestHex += hex[b >> 4]) += hex[b & 15];
    const engine::AuditRecord marker{now, "duly", "imported old audit log", "audit log",
                                     std::to_string(records.size()) + " lines, BLAKE2b " + digestHex};
    result.imported = records.size();
    result.already = !store.importAudit(records, marker);
    if (result.already) result.imported = 0;
    std::string stamp = engine::formatRfc3339Utc(now);
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    fs::path kept = file.string() + ".imported-" + stamp;
    for (int n = 2; fs::exists(kept, ec); ++n) kept = file.string() + ".imported-" + stamp + "-" + std::to_string(n);
    if (::rename(importing.c_str(), kept.c_str()) != 0)
        throw std::runtime_error(importing.string() + ": the old audit log was imported but cannot be renamed to " +
                                 kept.string() + ": " + std::strerror(errno));
    result.keptAs = kept;
    return result;
}

std::size_t AuditLog::removeBefore(engine::Instant cutoff) {
    std::lock_guard lock(_mutex);
    const std::size_t fromStore = _store ? _store->removeAuditBefore(cutoff) : 0;
    std::ifstream in(_file, std::ios::binary);
    if (_file.empty() || !in) return fromStore;
    std::string kept, line;
    std::size_t removed = 0;
    while (std::getline(in, line)) {
        std::optional<engine::Instant> at;
        if (auto e = parseLine(line)) {
            try {
                at = engine::parseRfc3339(e->at, "audit log time");
            } catch (const std::exception&) {
            }
        }
        if (at && *at < cutoff) {
            ++removed;
            continue;
        }
        kept += line + '\n';
    }
    if (removed) engine::writePrivateFileAtomically(_file, kept);
    return removed + fromStore;
}

}  // namespace duly::web
