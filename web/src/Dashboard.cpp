// Dashboard: the gate every request passes (session, CSRF, password change,
// roles), the page layout, sign-in, sign-out and password change. The pages
// are split by what they do: DashboardQueues.cpp (the queues, triage,
// quarantine), DashboardCases.cpp (a case and its actions),
// DashboardCalls.cpp (the call log), DashboardCustomers.cpp (a customer's
// record), DashboardReports.cpp (reports and the self-assessment). See
// Dashboard.h for the contract.
#include "duly/web/Dashboard.h"

#include "duly/engine/InputError.h"
#include "duly/web/Html.h"

#include <ostream>
#include <thread>

namespace duly::web {

using namespace duly::engine;

namespace {

constexpr const char* kSessionCookie = "duly_session";
constexpr const char* kLoginCookie = "duly_login";  // double-submit token for the sign-in form

Viewer& viewerOf(Request& request) { return *std::any_cast<Viewer*>(request.context); }

// Only local paths: never a redirect to another site after signing in.
std::string safeNext(const std::string& next) {
    if (next.empty() || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) return "/my-work";
    // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"):
    // no control characters, spaces or backslashes at all.
    for (unsigned char c : next)
        if (c < 0x21 || c == 0x7f || c == '\\') return "/my-work";
    return next;
}

}  // namespace

Dashboard::Dashboard(std::filesystem::path home, CaseStore& store, const MailLedger* ledger, Accounts& accounts,
                     AuditLog& audit, std::function<Instant()> clock, std::ostream& errors, DashboardOptions options)
    : _home(std::move(home)),
      _store(store),
      _ledger(ledger),
      _accounts(accounts),
      _audit(audit),
      _clock(std::move(clock)),
      _errors(errors),
      _options(options),
      _sessions(_options.signInStore ? std::make_unique<Sessions>(*_options.signInStore)
                                     : std::make_unique<Sessions>(_options.sessionsFile)),
      _throttle(_options.signInStore ? std::make_unique<LoginThrottle>(*_options.signInStore, _options.signInPace)
                                     : std::make_unique<LoginThrottle>(_options.signInPace)),
      _charters(_home),
      _service(store, _charters) {
    // Compared with the client's address in the same canonical form.
    for (auto& proxy : _options.trustedProxies) proxy = canonicalAddress(proxy).value_or(proxy);
    auto v = [this](Response (Dashboard::*page)(Request&, Viewer&)) {
        return [this, page](Request& r) { return (this->*page)(r, viewerOf(r)); };
    };
    _router.add("GET", "/", [](Request&) { return Response::redirect("/my-work"); });
    _router.add("POST", "/sign-out", v(&Dashboard::signOut));
    _router.add("GET", "/password", [this](Request& r) { return passwordPage(viewerOf(r), {}, 200); });
    _router.add("POST", "/password", v(&Dashboard::changePassword));
    _router.add("GET", "/my-work", v(&Dashboard::myWork));
    _router.add("GET", "/team", v(&Dashboard::team));
    _router.add("GET", "/team/{officer}", v(&Dashboard::officerQueue));
    _router.add("GET", "/triage", v(&Dashboard::triage));
    _router.add("GET", "/phone-messages/new", [this](Request& r) { return phoneMessagePage(r, viewerOf(r)); });
    _router.add("POST", "/phone-messages", v(&Dashboard::logPhoneMessage));
    _router.add("GET", "/quarantine", v(&Dashboard::quarantine));
    _router.add("GET", "/status", v(&Dashboard::status));
    _router.add("GET", "/cases/{ref}", [this](Request& r) { return casePage(r, viewerOf(r)); });
    for (const char* action : {"acknowledge", "holding-reply", "reply", "extend", "escalate", "close", "assign", "wait", "resume", "reclassify",
                               "urgent", "not-urgent", "refuse-escalation", "representative", "remove-representative",
                               "remedy", "referral", "call"}) {
        std::string a = action;
        _router.add("POST", "/cases/{ref}/" + a, [this, a](Request& r) { return caseAction(r, viewerOf(r), a); });
    }
    _router.add("POST", "/cases/{ref}/preview", v(&Dashboard::previewReply));
    _router.add("GET", "/cases/{ref}/items/{item}/raw", v(&Dashboard::itemFile));
    _router.add("GET", "/cases/{ref}/items/{item}/files/{n}", v(&Dashboard::itemFile));
    _router.add("GET", "/customers/{ref}", [this](Request& r) { return customerPage(r, viewerOf(r)); });
    _router.add("POST", "/customers/{ref}", v(&Dashboard::correctCustomer));
    _router.add("POST", "/customers/{ref}/export", v(&Dashboard::exportCustomerFile));
    _router.add("GET", "/reports", [this](Request& r) { return reports(r, viewerOf(r), "html"); });
    _router.add("GET", "/reports.csv", [this](Request& r) { return reports(r, viewerOf(r), "csv"); });
    _router.add("GET", "/reports/summary", [this](Request& r) { return reports(r, viewerOf(r), "summary"); });
    _router.add("GET", "/reports/self-assessment", [this](Request& r) { return selfAssessment(r, viewerOf(r), false); });
    _router.add("GET", "/reports/self-assessment.csv",
                [this](Request& r) { return selfAssessment(r, viewerOf(r), true); });
}

Response Dashboard::handle(Request& request) {
    Response response;
    try {
        request.remoteAddress = clientAddress(request.remoteAddress, request.forwardedFor, _options.trustedProxies);
        response = gate(request);
    } catch (const FormTooLarge& e) {
        response = Response::text(413, std::string("The form is too large: ") + e.what() + "\n");
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(_errorsMutex);
            _errors << "duly: web: " << request.method << " " << request.path << ": " << e.what() << "\n";
            _errors.flush();
        }
        response = Response::text(500, "Something went wrong on the server; nothing was changed by this request. "
                                       "The details are in Duly's log.\n");
    }
    addSecurityHeaders(response);
    return response;
}

Response Dashboard::gate(Request& request) {
    if (request.method == "GET" && request.path == "/static/duly.css") {
        Response r;
        r.contentType = "text/css; charset=utf-8";
        r.body = stylesheet();
        r.setHeader("Cache-Control", "public, max-age=3600");
        return r;
    }
    if (request.path == "/favicon.ico") return Response::text(404, "no icon\n");
    if (request.path == "/sign-in") {
        if (request.method == "GET") return signInPage(request, {}, 200);
        if (request.method == "POST") return signIn(request);
        auto r = Response::text(405, "405 Method Not Allowed\n");
        r.setHeader("Allow", "GET, POST");
        return r;
    }
    const Instant now = _clock();
    auto cookie = request.cookies.find(kSessionCookie);
    std::optional<Session> session;
    if (cookie != request.cookies.end()) session = _sessions->find(cookie->second, now);
    if (!session) {
        if (request.method == "GET") {
            std::string next = request.path;
            return Response::redirect("/sign-in?next=" + urlEncode(next));
        }
        return Response::text(403, "You are not signed in, or your session has ended. Sign in again at /sign-in.\n");
    }
    // The passwords file decides: a password set again or removed since
    // this session signed in (here or with `duly user`) ends it, and every
    // other session of that person from before.
    auto credential = _accounts.credential(session->userId);
    if (!credential || *credential != session->credential) {
        _sessions->destroyUser(session->userId, credential.value_or(""));
        _audit.write(now, session->userId, "session ended", request.path,
                     credential ? "the password was set again since sign-in" : "the account has no password");
        if (request.method == "GET") return Response::redirect("/sign-in?next=" + urlEncode(request.path));
        return Response::text(403, "Your session has ended because your password was changed. Sign in again at /sign-in.\n");
    }
    auto officer = _store.officer(session->userId);
    if (!officer) {
        _sessions->destroy(session->id);
        return Response::redirect("/sign-in");
    }
    Viewer viewer{*officer, *session};
    if (request.method == "POST" && !csrfMatches(*session, request.form.count("csrf") ? request.form.at("csrf") : "")) {
        _audit.write(now, viewer.officer.id, "refused", request.path, "form without a valid CSRF token");
        Response r;
        r.status = 403;
        r.body = layout(&viewer, "This form has expired",
                        "", "<h1>This form has expired</h1><p>Nothing was changed. Go back, reload the page and try "
                            "again.</p>");
        return r;
    }
    if (session->mustChangePassword && request.path != "/password" && request.path != "/sign-out") {
        if (request.method == "GET") return Response::redirect("/password");
        return Response::text(403, "Choose a new password first, at /password.\n");
    }
    return guarded(request, viewer);
}

Response Dashboard::guarded(Request& request, Viewer& viewer) {
    request.context = &viewer;
    auto response = _router.route(request);
    if (response.status == 404 && response.contentType.starts_with("text/plain"))
        return notFound(&viewer, "There is no page at " + request.path + ".");
    return response;
}

std::string Dashboard::layout(const Viewer* viewer, const std::string& title, const std::string& current,
                              const std::string& body) const {
    std::string out =
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
        escape(title) +
        " — Duly</title>\n<link rel=\"stylesheet\" href=\"/static/duly.css\">\n</head>\n<body>\n"
        "<a class=\"skip\" href=\"#main\">Skip to main content</a>\n<header class=\"top\">\n"
        "<p class=\"brand\">Duly</p>\n";
    if (viewer) {
        struct Link {
            const char* href;
            const char* label;
            bool managers;
        };
        const Link links[] = {{"/my-work", "My work", false},
                              {"/team", "Team", false},
                              {"/triage", "Awaiting triage", false},
                              {"/quarantine", "Quarantine", true},
                              {"/reports", "Reports", true},
                              {"/status", "Status", true}};
        out += "<nav aria-label=\"Main\"><ul>\n";
        for (const auto& l : links) {
            if (l.managers && !viewer->isManager()) continue;
            out += std::string("<li><a href=\"") + l.href + "\"" + (current == l.href ? " aria-current=\"page\"" : "") +
                   ">" + l.label + "</a></li>\n";
        }
        out += "</ul></nav>\n<form class=\"signout\" method=\"post\" action=\"/sign-out\">"
               "<input type=\"hidden\" name=\"csrf\" value=\"" +
               escape(viewer->session.csrf) + "\"><span>" + escape(viewer->officer.name) + " (" +
               escape(std::string(roleName(viewer->officer.role))) +
               ")</span> <a href=\"/password\">Change password</a> <button type=\"submit\">Sign out</button></form>\n";
    }
    out += "</header>\n<main id=\"main\" tabindex=\"-1\">\n" + body + "\n</main>\n</body>\n</html>\n";
    return out;
}

Response Dashboard::forbidden(Viewer& viewer, const std::string& what) {
    _audit.write(_clock(), viewer.officer.id, "refused", what);
    Response r;
    r.status = 403;
    r.body = layout(&viewer, "Not allowed",
                    "", "<h1>You cannot see this</h1><p>" + escape(what) +
                            "</p><p>If you need it for your work, ask your manager.</p>"
                            "<p><a href=\"/my-work\">Back to my work</a></p>");
    return r;
}

Response Dashboard::notFound(Viewer* viewer, const std::string& what) {
    Response r;
    r.status = 404;
    r.body = layout(viewer, "Not found",
                    "", "<h1>Not found</h1><p>" + escape(what) + "</p><p><a href=\"/my-work\">Back to my work</a></p>");
    return r;
}

// ---- Sign-in, sign-out, password --------------------------------------

Response Dashboard::signInPage(const Request& request, const std::string& error, int status) {
    // One token per browser while it signs in: a second tab, or a favicon
    // fetch that lands here, must not invalidate the form already shown.
    auto existing = request.cookies.find(kLoginCookie);
    bool reuse = existing != request.cookies.end() && existing->second.size() == 32 &&
                 existing->second.find_first_not_of("0123456789abcdef") == std::string::npos;
    auto token = reuse ? existing->second : randomToken(16);
    std::string next = safeNext(request.field("next"));
    std::string body = "<div class=\"narrow\"><h1>Sign in to Duly</h1>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\"><h2>Could not sign you in</h2><p>" + escape(error) +
                "</p></div>\n";
    body += "<form method=\"post\" action=\"/sign-in\">\n"
            "<input type=\"hidden\" name=\"login_token\" value=\"" +
            token + "\">\n<input type=\"hidden\" name=\"next\" value=\"" + escape(next) +
            "\">\n"
            "<p><label for=\"user\">Your Duly user name</label>\n"
            "<input id=\"user\" name=\"user\" autocomplete=\"username\" required value=\"" +
            escape(request.form.count("user") ? request.form.at("user") : "") +
            "\"></p>\n"
            "<p><label for=\"password\">Password</label>\n"
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" "
            "required></p>\n"
            "<p><button type=\"submit\">Sign in</button></p>\n</form>\n"
            "<p class=\"hint\">Forgotten your password? Ask your administrator to set a new one "
            "(<code>duly user passwd</code>).</p></div>";
    Response r;
    r.status = status;
    r.body = layout(nullptr, "Sign in", "", body);
    r.headers.emplace_back("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                             "; Path=/sign-in; HttpOnly; SameSite=Strict" +
                                             (_options.secureCookies ? "; Secure" : ""));
    return r;
}

Response Dashboard::signIn(Request& request) {
    const Instant now = _clock();
    auto user = request.form.count("user") ? request.form.at("user") : std::string{};
    // First, before anything is counted, logged or echoed: a name no
    // account can have.
    if (user.size() > kMaxUserNameBytes) {
        request.form.erase("user");
        return signInPage(request, "That user name is too long: Duly user names are at most " +
                                       std::to_string(kMaxUserNameBytes) + " characters.",
                          400);
    }
    auto cookie = request.cookies.find(kLoginCookie);
    auto submitted = request.form.count("login_token") ? request.form.at("login_token") : std::string{};
    if (cookie == request.cookies.end() || submitted.empty() || cookie->second != submitted) {
        _audit.write(now, "-", "refused", "/sign-in", "sign-in form without its token");
        return signInPage(request, "The sign-in form had expired. Please try again.", 403);
    }
    auto password = request.form.count("password") ? request.form.at("password") : std::string{};
    if (user.empty() || password.empty())
        return signInPage(request, "Enter your user name and your password.", 400);
    // Counted now, before the password is checked: parallel guesses cannot
    // all pass the limit before one of them is counted.
    const auto decision = _throttle->attempt(user, request.remoteAddress, now);
    if (decision.verdict == LoginThrottle::Verdict::AccountLocked) {
        _audit.write(now, user, "refused", "/sign-in", "too many failed sign-ins, from " + request.remoteAddress);
        return signInPage(request,
                          "Too many attempts that did not work. Wait 15 minutes and try again, or ask your "
                          "administrator to set a new password.",
                          429);
    }
    if (decision.verdict == LoginThrottle::Verdict::Busy) {
        _audit.write(now, user, "refused", "/sign-in", "too many sign-ins waiting from " + request.remoteAddress);
        auto r = signInPage(request, "Too many people are signing in from your network at once. Try again in a minute.", 429);
        r.setHeader("Retry-After", "60");
        return r;
    }
    // Past the per-address limit: slowed down, not locked out.
    if (decision.wait.count() > 0) std::this_thread::sleep_for(decision.wait);
    // Read before the check: should the password be reset while it runs,
    // the session made below carries the older credential and ends at its
    // first request, rather than outlive the reset.
    const auto credential = _accounts.credential(user);
    // Always a password check, with a dummy hash for an unknown name, so
    // that the time taken does not tell which names exist.
    const auto right = _accounts.tryCheck(user, password);
    if (!right) {
        _throttle->cancel(user, request.remoteAddress);
        auto r = signInPage(request, "The server is busy checking other sign-ins. Try again in a few seconds.", 503);
        r.setHeader("Retry-After", "5");
        return r;
    }
    auto officer = _store.officer(user);
    if (!officer || !*right) {
        _audit.write(now, user, "sign-in failed", "/sign-in", request.remoteAddress);
        return signInPage(request, "The user name or password is not right.", 401);
    }
    _throttle->succeeded(user, request.remoteAddress);
    bool mustChange = _accounts.mustChange(user);
    auto session = _sessions->create(user, now, mustChange, credential.value_or(""));
    _audit.write(now, user, "signed in", "/sign-in", request.remoteAddress);
    auto r = Response::redirect(mustChange ? "/password" : safeNext(request.field("next")));
    r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + session.id +
                                             "; Path=/; HttpOnly; SameSite=Strict" +
                                             (_options.secureCookies ? "; Secure" : ""));
    r.headers.emplace_back("Set-Cookie", std::string(kLoginCookie) + "=; Path=/sign-in; Max-Age=0");
    return r;
}

Response Dashboard::signOut(Request&, Viewer& viewer) {
    _sessions->destroy(viewer.session.id);
    _audit.write(_clock(), viewer.officer.id, "signed out", "/sign-out");
    auto r = Response::redirect("/sign-in");
    r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    return r;
}

Response Dashboard::passwordPage(Viewer& viewer, const std::string& error, int status) {
    std::string body = "<div class=\"narrow\"><h1>Choose a new password</h1>\n";
    if (viewer.session.mustChangePassword)
        body += "<p>You signed in with a one-time password. Choose your own before you go on.</p>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\"><h2>The password was not changed</h2><p>" +
                escape(error) + "</p></div>\n";
    body += "<form method=\"post\" action=\"/password\">\n<input type=\"hidden\" name=\"csrf\" value=\"" +
            escape(viewer.session.csrf) +
            "\">\n"
            "<p><label for=\"current\">Your current password</label>\n"
            "<input id=\"current\" name=\"current\" type=\"password\" autocomplete=\"current-password\" required></p>\n"
            "<p><label for=\"new\">New password</label> <span class=\"hint\" id=\"new-hint\">At least 10 "
            "characters. A few ordinary words together work well.</span>\n"
            "<input id=\"new\" name=\"new\" type=\"password\" autocomplete=\"new-password\" "
            "aria-describedby=\"new-hint\" required minlength=\"10\"></p>\n"
            "<p><label for=\"confirm\">New password again</label>\n"
            "<input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required></p>\n"
            "<p><button type=\"submit\">Save the new password</button></p>\n</form></div>";
    Response r;
    r.status = status;
    r.body = layout(&viewer, "Choose a new password", "", body);
    return r;
}

Response Dashboard::changePassword(Request& request, Viewer& viewer) {
    const Instant now = _clock();
    const auto& f = request.form;
    auto get = [&](const char* n) { return f.count(n) ? f.at(n) : std::string{}; };
    const auto decision = _throttle->attempt(viewer.officer.id, request.remoteAddress, now);
    if (decision.verdict != LoginThrottle::Verdict::Go)
        return passwordPage(viewer, "Too many attempts. Wait 15 minutes and try again.", 429);
    if (decision.wait.count() > 0) std::this_thread::sleep_for(decision.wait);
    const auto right = _accounts.tryCheck(viewer.officer.id, get("current"));
    if (!right) {
        _throttle->cancel(viewer.officer.id, request.remoteAddress);
        auto r = passwordPage(viewer, "The server is busy. Try again in a few seconds.", 503);
        r.setHeader("Retry-After", "5");
        return r;
    }
    if (!*right) return passwordPage(viewer, "Your current password is not right.", 400);
    _throttle->succeeded(viewer.officer.id, request.remoteAddress);
    if (get("new") != get("confirm")) return passwordPage(viewer, "The two new passwords are not the same.", 400);
    if (get("new") == get("current")) return passwordPage(viewer, "Choose a password different from the current one.", 400);
    std::string credential;
    try {
        credential = _accounts.setPassword(viewer.officer.id, get("new"), false);
    } catch (const InputError& e) {
        return passwordPage(viewer, e.what(), 400);
    }
    // Every other session of this person ends; this one goes on.
    _sessions->destroyUser(viewer.officer.id);
    auto session = _sessions->create(viewer.officer.id, now, false, credential);
    _audit.write(now, viewer.officer.id, "changed password", "/password");
    auto r = Response::redirect("/my-work");
    r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + session.id +
                                             "; Path=/; HttpOnly; SameSite=Strict" +
                                             (_options.secureCookies ? "; Secure" : ""));
    return r;
}

bool sameTeam(const Officer& a, const Officer& b) { return !a.team.empty() && a.team == b.team; }

bool Dashboard::maySee(const Viewer& viewer, const Case& c) const {
    if (viewer.isManager()) return true;
    if (c.officerId.empty() || c.officerId == viewer.officer.id) return true;
    auto owner = _store.officer(c.officerId);
    return owner && sameTeam(*owner, viewer.officer);
}

}  // namespace duly::web
