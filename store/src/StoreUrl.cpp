// StoreUrl: telling a SQLite path from a PostgreSQL URL, and turning the URL
// into the keyword=value string Poco's PostgreSQL connector takes. libpq
// parses the URI itself (PQconninfoParse), so percent-escapes, several
// hosts and every libpq parameter mean what libpq's documentation says;
// only Duly's password_file and password_env are taken out first, since
// libpq refuses parameters it does not know.
#include "duly/store/StoreUrl.h"

#include "duly/engine/InputError.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace duly::store {
namespace {

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecoded(const std::string& s, const std::string& prefix) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size() || hexValue(s[i + 1]) < 0 || hexValue(s[i + 2]) < 0)
            throw engine::InputError(prefix + "\"" + s + "\": expected %XX (two hex digits) after %");
        out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
        i += 2;
    }
    return out;
}

// A keyword=value value for libpq, unquoted: ' and \ escaped with \.
std::string escaped(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// A value Poco 1.11's connector passes on: it splits its string at spaces
// and wants '=' in every piece, so a value may not hold a space (libpq would
// accept it quoted).
std::string pocoSafe(const std::string& keyword, const std::string& value, const std::string& where) {
    if (value.find_first_of(" \t\n") != std::string::npos)
        throw engine::InputError(where + ": the " + keyword +
                                 " holds a space, which Poco's PostgreSQL connector cannot pass on to libpq");
    return value.empty() ? "''" : escaped(value);
}

}  // namespace

bool StoreUrl::isPostgreSqlUrl(const std::string& text) {
    return startsWith(text, "postgresql://") || startsWith(text, "postgres://");
}

StoreUrl StoreUrl::sqliteFile(const std::filesystem::path& file) {
    StoreUrl u;
    u.kind = Kind::SqliteFile;
    u.file = file;
    return u;
}

StoreUrl StoreUrl::parse(const std::string& text, const std::string& where) {
    const std::string prefix = where.empty() ? "" : where + ": ";
    if (!isPostgreSqlUrl(text)) {
        if (text.find("://") != std::string::npos)
            throw engine::InputError(prefix + "\"" + text +
                                     "\": expected a SQLite file path or a URL postgresql://USER@HOST:PORT/DB");
        return sqliteFile(text);
    }
    StoreUrl u;
    u.kind = Kind::PostgreSql;
    // Take Duly's own parameters out of the query.
    const auto q = text.find('?');
    std::string base = text.substr(0, q), kept;
    if (q != std::string::npos) {
        std::stringstream query(text.substr(q + 1));
        std::string pair;
        while (std::getline(query, pair, '&')) {
            if (pair.empty()) continue;
            const auto eq = pair.find('=');
            const std::string key = pair.substr(0, eq), value = eq == std::string::npos ? "" : pair.substr(eq + 1);
            if (key == "password_file" || key == "password_env") {
                if (value.empty()) throw engine::InputError(prefix + key + " needs a value");
                (key == "password_file" ? u.passwordFile : u.passwordEnv) = percentDecoded(value, prefix);
            } else {
                kept += (kept.empty() ? "?" : "&") + pair;
            }
        }
    }
    if (!u.passwordFile.empty() && !u.passwordEnv.empty())
        throw engine::InputError(prefix + "give password_file or password_env, not both");
    u.url = base + kept;
    // The URL is shown in logs, `duly version` and the process list.
    const auto scheme = base.find("://") + 3, at = base.find('@', scheme), slash = base.find('/', scheme);
    const bool userPassword =
        at != std::string::npos && (slash == std::string::npos || at < slash) && base.find(':', scheme) < at;
    if (userPassword || kept.find("?password=") != std::string::npos || kept.find("&password=") != std::string::npos)
        throw engine::InputError(prefix + "\"" + u.shown() +
                                 "\": a password in the URL would be shown wherever the URL is; give password_file=FILE"
                                 " or password_env=NAME, or use libpq's ~/.pgpass");
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(u.url.c_str(), &error);
    if (!options) {
        std::string why = error ? error : "out of memory";
        if (error) PQfreemem(error);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        throw engine::InputError(prefix + "\"" + u.shown() + "\" is not a PostgreSQL URL libpq accepts: " + why);
    }
    PQconninfoFree(options);
    return u;
}

std::string StoreUrl::shown() const {
    if (kind == Kind::SqliteFile) return file.string();
    // postgresql://USER:PASSWORD@HOST → postgresql://USER:***@HOST; and a
    // password= parameter likewise.
    std::string out = url;
    const auto scheme = out.find("://") + 3;
    const auto at = out.find('@', scheme);
    const auto slash = out.find('/', scheme);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
        const auto colon = out.find(':', scheme);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    for (const char* key : {"?password=", "&password="}) {
        auto p = out.find(key);
        if (p == std::string::npos) continue;
        p += std::string(key).size();
        const auto end = out.find('&', p);
        out.replace(p, end == std::string::npos ? std::string::npos : end - p, "***");
    }
    return out;
}

std::string StoreUrl::connectionString() const {
    const std::string where = shown();
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(PQconninfoParse(url.c_str(), &error),
                                                                           PQconninfoFree);
    if (!options) {
        if (error) PQfreemem(error);
        throw engine::InputError(where + ": not a PostgreSQL URL libpq accepts");
    }
    std::string out;
    for (auto* o = options.get(); o->keyword; ++o) {
        if (!o->val) continue;
        out += (out.empty() ? "" : " ") + std::string(o->keyword) + "=" + pocoSafe(o->keyword, o->val, where);
    }
    std::string password;
    if (!passwordFile.empty()) {
        std::ifstream in(passwordFile);
        if (!in) throw engine::InputError(where + ": cannot read the password_file " + passwordFile);
        std::getline(in, password);
        while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
    } else if (!passwordEnv.empty()) {
        const char* env = std::getenv(passwordEnv.c_str());
        if (!env) throw engine::InputError(where + ": the password_env variable " + passwordEnv + " is not set");
        password = env;
    }
    if (!password.empty()) out += " password=" + pocoSafe("password", password, where);
    return out;
}

}  // namespace duly::store
