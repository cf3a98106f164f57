// bench_web: how fast the dashboard answers on a large store. Fills a
// temporary SQLite store with DULY_BENCH_CASES cases (default 1,000,000)
// across DULY_BENCH_OFFICERS officers (default 500) in one transaction of
// generated rows, then prints:
//  - server time of GET /my-work for one officer (Dashboard::handle, the
//    page as served: session check, store query, HTML), goal under 100 ms;
//  - server time of the monthly report, goal under 1 s;
//  - with `wrk` on the PATH, requests per second and latency of /my-work
//    over loopback: 30 s, 100 connections (DULY_BENCH_WRK_SECONDS to change).
// Exits 1 with a message when the store cannot be filled or the server not
// started. Never run by the tests.
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"
#include "duly/web/Dashboard.h"
#include "duly/web/WebServer.h"

#include <Poco/Data/Session.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;
using namespace duly;
using Clock = std::chrono::steady_clock;

namespace {

long long envNumber(const char* name, long long fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return fallback;
    char* end = nullptr;
    const long long n = std::strtoll(v, &end, 10);
    if (*end != '\0' || n <= 0 || n > 100'000'000) {
        std::fprintf(stderr, "bench_web: %s must be a whole number from 1 to 100000000, not \"%s\"\n", name, v);
        std::exit(1);
    }
    return n;
}

// Two years of cases before `nowSeconds`, about 1,370 a day: a third open,
// one in ten a complaint (with an acknowledgement deadline), the closed ones
// answered 1 to 9 days after they came (so some late), one in fifty with a
// holding reply and one in a hundred extended.
void fill(store::SqliteCaseStore& store, Poco::Int64 cases, Poco::Int64 officers, Poco::Int64 nowSeconds) {
    std::lock_guard lock(store.mutex());
    auto& s = store.session();
    s << "PRAGMA synchronous = OFF", now;  // a benchmark's data, not a customer's
    s << "BEGIN IMMEDIATE", now;
    s << "INSERT INTO officers (id, name, position, email, phone, team, manager_id, role)"
         " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)"
         " SELECT 'officer' || i, 'Officer ' || i, 'Customer Services Officer', '', '', 'team' || (i % 20), '',"
         " 'officer' FROM n",
        use(officers), now;
    s << "INSERT INTO officers (id, name, position, email, phone, team, manager_id, role)"
         " VALUES ('manager0', 'Manager Nought', 'Customer Services Manager', '', '', 'team0', '', 'manager')",
        now;
    s << "INSERT INTO cases (reference, charter, channel, kind, state, customer_ref, officer_id, subject, received,"
         " counted_from, acknowledge_by, respond_by, holding_reply_by, acknowledged_at, holding_reply_sent_at,"
         " replied_at, extension_days, holding_reason)"
         " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),"
         " c(i, r) AS (SELECT i, ? - 3600 - (i * 47) % 63072000 FROM n)"
         " SELECT printf('WEB-2026-%07d', i), 'progress',"
         " CASE i % 4 WHEN 0 THEN 'letter' WHEN 1 THEN 'email' WHEN 2 THEN 'web' ELSE 'phone-message' END,"
         " CASE WHEN i % 10 = 0 THEN 'complaint-stage-1' ELSE 'enquiry' END,"
         " CASE WHEN i % 3 = 0 THEN 'open' ELSE 'closed' END,"
         " 'C' || (i % 50000), 'officer' || (i % ?), 'Benchmark case ' || i, r, date(r, 'unixepoch'),"
         " CASE WHEN i % 10 = 0 THEN r + 432000 END, r + 604800, r + 518400,"
         " CASE WHEN i % 10 = 0 AND i % 3 <> 0 THEN r + 3600 END,"
         " CASE WHEN i % 50 = 1 THEN r + 518400 END,"
         " CASE WHEN i % 3 <> 0 THEN r + 86400 * (1 + i % 9) END,"
         " CASE WHEN i % 100 = 1 THEN 5 ELSE 0 END,"
         " CASE WHEN i % 50 = 1 THEN 'Waiting for a surveyor' ELSE '' END FROM c",
        use(cases), use(nowSeconds), use(officers), now;
    s << "COMMIT", now;
    s << "ANALYZE", now;
    s << "PRAGMA synchronous = FULL", now;
}

struct Timing {
    double mean = 0, p50 = 0, p99 = 0, max = 0;
};

template <class F>
Timing time(int runs, F&& f) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        auto start = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    Timing t;
    t.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
    t.p50 = ms[ms.size() / 2];
    t.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    t.max = ms.back();
    return t;
}

std::string signIn(web::Dashboard& d, const std::string& user) {
    web::Request get;
    get.method = "GET";
    get.path = "/sign-in";
    auto page = d.handle(get);
    auto cookie = page.header("Set-Cookie").value_or("");
    auto token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
    web::Request post;
    post.method = "POST";
    post.path = "/sign-in";
    post.cookies["duly_login"] = token;
    post.form = {{"login_token", token}, {"user", user}, {"password", "bench password 1"}};
    for (const auto& [n, v] : d.handle(post).headers)
        if (n == "Set-Cookie" && v.rfind("duly_session=", 0) == 0) return v.substr(13, v.find(';') - 13);
    throw std::runtime_error("could not sign in as " + user);
}

}  // namespace

int main() {
    const auto cases = envNumber("DULY_BENCH_CASES", 1'000'000);
    const auto officers = envNumber("DULY_BENCH_OFFICERS", 500);
    const auto wrkSeconds = envNumber("DULY_BENCH_WRK_SECONDS", 30);
    const auto temp = std::filesystem::temp_directory_path() /
                      ("duly-bench-web-" + std::to_string(Clock::now().time_since_epoch().count()));
    int status = 0;
    try {
        const engine::Instant nowAt = engine::parseRfc3339("2026-11-23T10:00:00Z");
        store::SqliteCaseStore store(temp / "duly.db");
        auto start = Clock::now();
        fill(store, cases, officers, nowAt.time_since_epoch().count());
        std::printf("filled %lld cases across %lld officers in %.1f s\n", cases, officers,
                    std::chrono::duration<double>(Clock::now() - start).count());

        web::Accounts accounts(temp / "passwords", web::HashCost::Minimum);
        accounts.setPassword("officer42", "bench password 1", false);
        accounts.setPassword("manager0", "bench password 1", false);
        web::AuditLog audit(temp / "audit.log");
        std::ostringstream errors;
        web::Dashboard dashboard(DULY_SOURCE_HOME, store, &store, accounts, audit, [&] { return nowAt; }, errors);
        const auto officerSession = signIn(dashboard, "officer42");
        const auto managerSession = signIn(dashboard, "manager0");

        std::size_t bytes = 0, rows = 0;
        int statusCode = 0;
        auto queue = time(50, [&] {
            web::Request r;
            r.method = "GET";
            r.path = "/my-work";
            r.cookies["duly_session"] = officerSession;
            auto resp = dashboard.handle(r);
            bytes = resp.body.size();
            statusCode = resp.status;
            rows = 0;
            for (auto at = resp.body.find("<tr><td><strong>"); at != std::string::npos;
                 at = resp.body.find("<tr><td><strong>", at + 1))
                ++rows;
        });
        std::printf("queue page /my-work (officer42, %zu actions shown, %zu bytes, status %d): mean %.1f ms, "
                    "p50 %.1f ms, p99 %.1f ms (goal under 100 ms)\n",
                    rows, bytes, statusCode, queue.mean, queue.p50, queue.p99);

        auto report = time(5, [&] {
            web::Request r;
            r.method = "GET";
            r.path = "/reports";
            r.query = {{"from", "2026-10-01"}, {"to", "2026-10-31"}, {"by", "channel"}};
            r.cookies["duly_session"] = managerSession;
            auto resp = dashboard.handle(r);
            bytes = resp.body.size();
            statusCode = resp.status;
        });
        std::printf("monthly report /reports (October 2026 by channel, status %d): mean %.0f ms, max %.0f ms "
                    "(goal under 1 s)\n",
                    statusCode, report.mean, report.max);
        if (!errors.str().empty()) std::printf("errors: %s\n", errors.str().c_str());

        if (std::system("command -v wrk > /dev/null 2>&1") != 0) {
            std::printf("wrk is not installed (scripts/setup installs it): no load figures\n");
        } else {
            web::WebServer server(dashboard, "127.0.0.1", 0, 128);
            server.start();
            std::string command = "wrk -t2 -c100 -d" + std::to_string(wrkSeconds) + "s --latency -H 'Cookie: duly_session=" +
                                  officerSession + "' " + server.url() + "my-work";
            std::printf("\n$ wrk -t2 -c100 -d%llds --latency -H 'Cookie: duly_session=…' %smy-work\n", wrkSeconds,
                        server.url().c_str());
            std::fflush(stdout);
            if (std::system(command.c_str()) != 0) {
                std::fprintf(stderr, "bench_web: wrk failed\n");
                status = 1;
            }
            server.stop();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_web: %s\n", e.what());
        status = 1;
    }
    std::filesystem::remove_all(temp);
    return status;
}
