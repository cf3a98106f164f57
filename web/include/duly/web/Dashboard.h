// Dashboard: the officers' web pages, independent of any socket. handle()
// takes a Request and gives a Response; WebServer (WebServer.h) connects it
// to Poco's HTTP server, and the tests call it directly.
//
// Every request passes the same gate, in this order: static files and the
// sign-in page are public; everything else needs a live session (cookie
// duly_session, HttpOnly, SameSite=Strict, Secure unless turned off); every
// POST needs the session's CSRF token; an account that must change its
// password can only do that; then the route's own role check (officer,
// manager, administrator) and, for a case, whether the viewer may see it
// (an officer: cases of their own team and unassigned ones; a manager or
// administrator: all). Every view of a case, every change, sign-in and
// refusal is written to the audit log; changes also go on the case's history
// through CaseService with the officer as actor.
//
// A session ends as soon as its user's password is set again or removed in
// the passwords file (by anyone: Accounts.h). Sign-in counts the attempt
// before the password is checked (LoginThrottle.h), always checks a
// password (a dummy hash for an unknown name), and answers 503 when
// Accounts::kMaxHashesAtOnce checks are already running.
//
// Bad form input answers 400 with the page and a message saying what to
// fix; the case is not changed. A failure of the store answers 500 with a
// short message and is written to the error stream given.
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/PersonalDataStore.h"
#include "duly/web/Accounts.h"
#include "duly/web/AuditLog.h"
#include "duly/web/Http.h"
#include "duly/web/LoginThrottle.h"
#include "duly/web/Router.h"
#include "duly/web/Sessions.h"

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <vector>

namespace duly::web {

struct DashboardOptions {
    bool secureCookies = true;      // add Secure to the session cookie
    std::size_t queueLimit = 100;   // due actions shown on a queue page (?all=1: ten times as many)
    // Calls not answered before Duly writes instead (SchedulerSettings::
    // callAttempts), shown with each call task.
    int callAttempts = 3;
    // Where sign-in sessions are kept so that they survive a restart
    // (Sessions.h); empty: in memory only. Not used with signInStore.
    std::filesystem::path sessionsFile;
    // The store that keeps sessions and sign-in attempts for every instance
    // of `duly serve` (Sessions.h, LoginThrottle.h); null: this process only.
    engine::SignInStore* signInStore = nullptr;
    // The reply letter or email for a case with the officer's text, as plain
    // text in the customer's language and format (the reply template);
    // throws InputError when it cannot be written. Empty: no preview. Called
    // one request at a time.
    std::function<std::string(const engine::Case&, const std::string& text, engine::Instant now)> replyPreview;
    // Sends the officer's reply (the reply template with their text, by the
    // customer's channel) and records the case as answered in one
    // transaction; returns how it went ("by email to …"). Throws InputError
    // when it cannot be sent. Empty: replies are only recorded.
    std::function<std::string(const std::string& reference, const std::string& text, const std::string& officerId,
                              engine::Instant now)>
        sendReply;
    // Declines stage 2 of a stage 1 complaint: sends the refusal letter and
    // closes the case (app/EscalationRefusal); returns how the letter went;
    // throws InputError when refused. Empty: no such button.
    std::function<std::string(const std::string& reference, const std::string& reason, const std::string& officerId,
                              engine::Instant now)>
        refuseEscalation;
    // Reverse proxies whose X-Forwarded-For is believed ([web]
    // trusted_proxies): for a request from one of them, the client address
    // (for the sign-in limits and the audit log) is taken from that header.
    std::vector<std::string> trustedProxies;
    // Past the per-address sign-in limit, one attempt from that address per
    // this long (LoginThrottle.h).
    std::chrono::milliseconds signInPace{1000};
    // Customers' records for managers (/customers/REF: see, correct); null:
    // no such pages.
    engine::PersonalDataStore* personalData = nullptr;
    // Everything held about a customer as a zip (subject access); throws
    // InputError for an unknown customer. Empty: no download. Called one
    // request at a time.
    std::function<std::string(const std::string& customerRef, engine::Instant now)> exportCustomer;
    // How many closed cases reach the end of their retention period before
    // the given time (shown on the reports page for the end of this month).
    // Empty: not shown.
    std::function<std::size_t(engine::Instant before)> dueForAnonymisation;
};

// A user name longer than this is refused before anything else is done.
inline constexpr std::size_t kMaxUserNameBytes = 64;

// The one rule for "the same team": both have a team and it is the same.
// Officers with no team are in no team together.
bool sameTeam(const engine::Officer& a, const engine::Officer& b);

// The signed-in person on one request.
struct Viewer {
    engine::Officer officer;
    Session session;
    bool isManager() const { return officer.role != engine::Role::Officer; }
};

class Dashboard {
public:
    // `home` holds config/charters (the dashboard keeps its own CharterBook
    // and CaseService, so it shares no unguarded state with other threads).
    // `ledger` may be null (no quarantine page). `errors` gets the detail of
    // unexpected failures.
    Dashboard(std::filesystem::path home, engine::CaseStore& store, const engine::MailLedger* ledger,
              Accounts& accounts, AuditLog& audit, std::function<engine::Instant()> clock, std::ostream& errors,
              DashboardOptions options = {});

    // Answers one request; never throws.
    Response handle(Request& request);

    Sessions& sessions() { return *_sessions; }
    const DashboardOptions& options() const { return _options; }

    // The stylesheet served at /static/duly.css.
    static const std::string& stylesheet();

private:
    Response gate(Request& request);
    Response guarded(Request& request, Viewer& viewer);

    // Pages (Dashboard*.cpp).
    Response signInPage(const Request& request, const std::string& error, int status);
    Response signIn(Request& request);
    Response signOut(Request& request, Viewer& viewer);
    Response passwordPage(Viewer& viewer, const std::string& error, int status);
    Response changePassword(Request& request, Viewer& viewer);
    Response myWork(Request& request, Viewer& viewer);
    Response officerQueue(Request& request, Viewer& viewer);
    Response casePage(Request& request, Viewer& viewer, const std::string& error = {}, int status = 200,
                      const std::string& preview = {});
    Response previewReply(Request& request, Viewer& viewer);
    // An item's raw message (text/plain) or one of its files (a scan, an
    // attachment), for those who may see the case.
    Response itemFile(Request& request, Viewer& viewer);
    Response caseAction(Request& request, Viewer& viewer, const std::string& action);
    Response team(Request& request, Viewer& viewer);
    Response triage(Request& request, Viewer& viewer);
    // Logging a phone message or call-back request taken by an officer
    // (DashboardCalls.cpp): it opens a case on the officer's queue with its
    // clock; `typed` refills the form after a refusal.
    Response phoneMessagePage(Request& request, Viewer& viewer, const std::string& error = {}, int status = 200);
    Response logPhoneMessage(Request& request, Viewer& viewer);
    // The call task on a case page: the number, the calls made so far and
    // the form to record one (empty when there is no call to make).
    std::string callSection(const engine::Case& c, const Viewer& viewer, engine::Instant now) const;
    // "Phone 01632 960201 to acknowledge" for a queue row that is a call
    // task; empty for one that is not.
    std::string callTaskWords(const engine::DueAction& a) const;
    Response quarantine(Request& request, Viewer& viewer);
    // The instances of duly serve sharing the store, for managers
    // (DashboardStatus.cpp).
    Response status(Request& request, Viewer& viewer);
    Response reports(Request& request, Viewer& viewer, const std::string& format);
    Response selfAssessment(Request& request, Viewer& viewer, bool csv);
    // A customer's record for managers (DashboardCustomers.cpp): `typed`
    // refills the form after a refused correction.
    Response customerPage(Request& request, Viewer& viewer, const std::string& error = {}, int status = 200,
                          const Fields& typed = {});
    Response correctCustomer(Request& request, Viewer& viewer);
    Response exportCustomerFile(Request& request, Viewer& viewer);

    std::string layout(const Viewer* viewer, const std::string& title, const std::string& current,
                       const std::string& body) const;
    std::string queueTable(const std::vector<engine::DueAction>& actions, engine::Instant now,
                           bool showOfficer) const;
    bool maySee(const Viewer& viewer, const engine::Case& c) const;
    // The officer's cases whose clock is paused, longest waiting first.
    std::string waitingList(const std::string& officerId, engine::Instant now) const;
    std::string limitNotice(const Request& request, std::size_t shown, std::size_t limit) const;
    Response forbidden(Viewer& viewer, const std::string& what);
    Response notFound(Viewer* viewer, const std::string& what);

    std::filesystem::path _home;
    engine::CaseStore& _store;
    const engine::MailLedger* _ledger;
    Accounts& _accounts;
    AuditLog& _audit;
    std::function<engine::Instant()> _clock;
    std::ostream& _errors;
    DashboardOptions _options;
    Router _router;
    std::unique_ptr<Sessions> _sessions;
    std::unique_ptr<LoginThrottle> _throttle;
    // CharterBook caches charters on first use and CaseService reads it: one
    // request at a time uses them.
    std::mutex _engineMutex;
    engine::CharterBook _charters;
    engine::CaseService _service;
    std::mutex _errorsMutex;
};

}  // namespace duly::web
