// WebFixture: a Dashboard on a real SQLite store in a temporary folder, with
// a fixed clock (Tuesday 24 November 2026, 10:00 London), two teams and
// a handful of cases, and helpers to sign in and send requests through
// Dashboard::handle. Passwords are hashed at libsodium's minimum cost so
// that the tests stay fast; the hash is otherwise the real one.
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/Dashboard.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace duly::web::test {

using namespace duly::engine;

inline Instant at(const char* rfc3339) { return parseRfc3339(rfc3339); }

class TempFolder {
public:
    TempFolder() {
        std::string pattern = (std::filesystem::temp_directory_path() / "duly-web-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
        _path = pattern;
    }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(_path, ec);
    }
    const std::filesystem::path& path() const { return _path; }

private:
    std::filesystem::path _path;
};

inline const char* kPassword = "correct horse battery";

struct WebFixture {
    TempFolder dir;
    store::SqliteCaseStore store{dir.path() / "duly.db"};
    CharterBook charters{DULY_SOURCE_HOME};
    CaseService service{store, charters};
    Accounts accounts{dir.path() / "passwords", HashCost::Minimum};
    AuditLog audit{dir.path() / "audit.log"};
    Instant now = at("2026-11-24T10:00:00Z");
    std::ostringstream errors;
    Dashboard dashboard{DULY_SOURCE_HOME, store, &store, accounts, audit, [this] { return now; }, errors,
                        DashboardOptions{}};
    std::string ackCase, replyCase, otherTeamCase, complaintCase, unassignedCase;

    // With `customerPages`, the dashboard shows customers' records on this
    // store, and its subject access download is "zip of REF".
    explicit WebFixture(DashboardOptions options = {}, bool customerPages = false)
        : dashboard{DULY_SOURCE_HOME, store, &store, accounts, audit, [this] { return now; }, errors,
                    customerPages ? withCustomerPages(std::move(options)) : std::move(options)} {
        auto officer = [&](const char* id, const char* name, const char* team, Role role) {
            Officer o;
            o.id = id;
            o.name = name;
            o.position = role == Role::Officer ? "Officer" : "Manager";
            o.team = team;
            o.role = role;
            store.upsertOfficer(o);
            accounts.setPassword(id, kPassword, false);
        };
        officer("sali", "Samir Ali", "customer-services", Role::Officer);
        officer("jwong", "Jenny Wong", "customer-services", Role::Officer);
        officer("dparker", "David Parker", "complaints", Role::Officer);
        officer("rhughes", "Rachel Hughes", "customer-services", Role::Manager);
        officer("admin", "Pat Morgan", "it", Role::Administrator);
        Customer c;
        c.reference = "C10001";
        c.name = "Tom Fairclough";
        store.upsertCustomer(c);
        auto open = [&](Channel ch, Kind k, const char* received, const char* officerId, const char* subject) {
            OpenCaseRequest r;
            r.charter = "progress";
            r.channel = ch;
            r.kind = k;
            r.received = at(received);
            r.customerRef = "C10001";
            r.officerId = officerId;
            r.subject = subject;
            r.body = "The back door still sticks.";
            return service.open(r).reference;
        };
        // A letter complaint: acknowledge within 5 working days, by Tuesday 24 November, 5pm.
        ackCase = open(Channel::Letter, Kind::ComplaintStage1, "2026-11-17T09:40:00Z", "sali", "Back door <b>sticks</b>");
        // An email enquiry received a week earlier: the answer is overdue.
        replyCase = open(Channel::Email, Kind::Enquiry, "2026-11-16T11:00:00Z", "sali", "Rent statement");
        otherTeamCase = open(Channel::Email, Kind::ComplaintStage1, "2026-11-20T12:00:00Z", "dparker", "Damp in the bathroom");
        complaintCase = open(Channel::Email, Kind::ComplaintStage1, "2026-11-23T12:00:00Z", "sali", "Noise from next door");
        unassignedCase = open(Channel::Email, Kind::Enquiry, "2026-11-24T08:00:00Z", "", "Parking");
    }

    DashboardOptions withCustomerPages(DashboardOptions options) {
        options.personalData = &store;
        options.exportCustomer = [](const std::string& ref, Instant) { return "zip of " + ref; };
        options.dueForAnonymisation = [](Instant) { return std::size_t{3}; };
        return options;
    }
    // Signs in through the sign-in form; returns the session cookie value.
    std::string signIn(const std::string& user, const std::string& password = kPassword) {
        Request get;
        get.method = "GET";
        get.path = "/sign-in";
        auto page = dashboard.handle(get);
        auto cookie = page.header("Set-Cookie").value_or("");
        auto token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
        Request post;
        post.method = "POST";
        post.path = "/sign-in";
        post.remoteAddress = "127.0.0.1";
        post.cookies["duly_login"] = token;
        post.form = {{"login_token", token}, {"user", user}, {"password", password}, {"next", "/my-work"}};
        auto r = dashboard.handle(post);
        for (const auto& [name, value] : r.headers)
            if (name == "Set-Cookie" && value.rfind("duly_session=", 0) == 0)
                return value.substr(13, value.find(';') - 13);
        return {};
    }

    std::string csrfOf(const std::string& session) {
        auto s = dashboard.sessions().find(session, now);
        return s ? s->csrf : std::string{};
    }

    Response get(const std::string& path, const std::string& session, Fields query = {}) {
        Request r;
        r.method = "GET";
        r.path = path;
        r.query = std::move(query);
        if (!session.empty()) r.cookies["duly_session"] = session;
        r.remoteAddress = "127.0.0.1";
        return dashboard.handle(r);
    }

    Response post(const std::string& path, const std::string& session, Fields form, bool withCsrf = true) {
        Request r;
        r.method = "POST";
        r.path = path;
        if (withCsrf) form["csrf"] = csrfOf(session);
        r.form = std::move(form);
        if (!session.empty()) r.cookies["duly_session"] = session;
        r.remoteAddress = "127.0.0.1";
        return dashboard.handle(r);
    }

    std::string auditText() const {
        std::ifstream in(dir.path() / "audit.log");
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

}  // namespace duly::web::test
