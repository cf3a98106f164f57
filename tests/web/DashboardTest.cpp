// The dashboard's pages and actions through Dashboard::handle on a real
// SQLite store: the gate (sessions, CSRF, forced password change), role and
// team checks, plain-words deadlines, escaping, actions that go on the case
// with the actor, bad input that changes nothing, and the audit log.
#include "WebFixture.h"

#include "duly/engine/InputError.h"
#include "duly/web/Html.h"
#include "duly/web/LoginThrottle.h"

#include <atomic>
#include <latch>
#include <thread>

using namespace duly::web;
using namespace duly::web::test;
using duly::engine::EventType;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Dashboard, PagesNeedASessionAndSendSecurityHeaders) {
    WebFixture f;
    auto r = f.get("/my-work", "");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location").value_or(""), "/sign-in?next=%2Fmy-work");
    EXPECT_EQ(f.get("/my-work", "not-a-session").status, 303);
    auto csp = r.header("Content-Security-Policy").value_or("");
    EXPECT_TRUE(contains(csp, "default-src 'none'"));
    EXPECT_TRUE(contains(csp, "frame-ancestors 'none'"));
    EXPECT_FALSE(contains(csp, "unsafe-inline"));
    EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
    // A POST without a session changes nothing.
    EXPECT_EQ(f.post("/cases/" + f.ackCase + "/acknowledge", "", {}, false).status, 403);
    EXPECT_FALSE(f.store.findCase(f.ackCase)->acknowledgedAt);
}

TEST(Dashboard, SignInSetsAStrictHttpOnlySecureCookie) {
    WebFixture f;
    Request get;
    get.method = "GET";
    get.path = "/sign-in";
    auto page = f.dashboard.handle(get);
    auto loginCookie = page.header("Set-Cookie").value_or("");
    auto token = loginCookie.substr(11, loginCookie.find(';') - 11);
    Request post;
    post.method = "POST";
    post.path = "/sign-in";
    post.cookies["duly_login"] = token;
    post.form = {{"login_token", token}, {"user", "sali"}, {"password", kPassword}, {"next", "https://evil.example/"}};
    auto r = f.dashboard.handle(post);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location").value_or(""), "/my-work");  // never off-site
    std::string session;
    for (const auto& [n, v] : r.headers)
        if (n == "Set-Cookie" && v.rfind("duly_session=", 0) == 0) session = v;
    EXPECT_TRUE(contains(session, "HttpOnly"));
    EXPECT_TRUE(contains(session, "SameSite=Strict"));
    EXPECT_TRUE(contains(session, "; Secure"));
    EXPECT_EQ(session.find(';') - 13, 64u);  // 256 random bits in hex
}

TEST(Dashboard, AfterSignInOnlyPagesOfTheDashboard) {
    const std::pair<const char*, const char*> rows[] = {
        {"/cases/PHG-2026-00001", "/cases/PHG-2026-00001"},
        {"//evil.example/", "/my-work"},
        {"/\\evil.example/", "/my-work"},
        {"/\t/evil.example/", "/my-work"},
        {"/\n/evil.example/", "/my-work"},
        {"https://evil.example/", "/my-work"},
        {"", "/my-work"},
    };
    for (const auto& [next, expected] : rows) {
        WebFixture f;
        Request get;
        get.method = "GET";
        get.path = "/sign-in";
        auto cookie = f.dashboard.handle(get).header("Set-Cookie").value_or("");
        auto token = cookie.substr(11, cookie.find(';') - 11);
        Request post;
        post.method = "POST";
        post.path = "/sign-in";
        post.cookies["duly_login"] = token;
        post.form = {{"login_token", token}, {"user", "sali"}, {"password", kPassword}, {"next", next}};
        EXPECT_EQ(f.dashboard.handle(post).header("Location").value_or(""), expected) << next;
    }
}

TEST(Dashboard, SignInWithoutTheFormTokenOrWithAWrongPasswordIsRefused) {
    WebFixture f;
    Request post;
    post.method = "POST";
    post.path = "/sign-in";
    post.form = {{"login_token", "abc"}, {"user", "sali"}, {"password", kPassword}};
    auto r = f.dashboard.handle(post);
    EXPECT_EQ(r.status, 403);
    EXPECT_TRUE(contains(r.body, "The sign-in form had expired"));
    EXPECT_TRUE(f.signIn("sali", "wrong password!").empty());
    EXPECT_TRUE(f.signIn("nobody", kPassword).empty());
    EXPECT_TRUE(contains(f.auditText(), "sali\tsign-in failed"));
}

TEST(Dashboard, SignInIsRateLimited) {
    WebFixture f;
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(f.signIn("sali", "wrong password!").empty());
    // The right password is refused too while the account is locked.
    EXPECT_TRUE(f.signIn("sali").empty());
    f.now += std::chrono::minutes{16};
    EXPECT_FALSE(f.signIn("sali").empty());
}

TEST(Dashboard, MyWorkListsWhatIsDueMostUrgentFirstInPlainWords) {
    WebFixture f;
    auto s = f.signIn("sali");
    auto r = f.get("/my-work", s);
    ASSERT_EQ(r.status, 200);
    // The overdue reply comes before the acknowledgement due today.
    auto overdue = r.body.find(f.replyCase), today = r.body.find(f.ackCase);
    ASSERT_NE(overdue, std::string::npos);
    ASSERT_NE(today, std::string::npos);
    EXPECT_LT(overdue, today);
    EXPECT_TRUE(contains(r.body, "Acknowledge by Tuesday 24 November, 5pm"));
    // Overdue is said in words, not only in colour.
    EXPECT_TRUE(contains(r.body, "⚠ Overdue"));
    EXPECT_TRUE(contains(r.body, "Due today"));
    // Another officer's work is not on my list; HTML in a subject is escaped.
    EXPECT_FALSE(contains(r.body, f.otherTeamCase));
    EXPECT_TRUE(contains(r.body, "Back door &lt;b&gt;sticks&lt;/b&gt;"));
    EXPECT_FALSE(contains(r.body, "<b>sticks</b>"));
}

TEST(Dashboard, OfficersSeeTheirTeamsCasesAndManagersAll) {
    WebFixture f;
    auto sali = f.signIn("sali"), manager = f.signIn("rhughes"), admin = f.signIn("admin");
    EXPECT_EQ(f.get("/cases/" + f.ackCase, sali).status, 200);
    EXPECT_EQ(f.get("/cases/" + f.unassignedCase, sali).status, 200);
    auto refused = f.get("/cases/" + f.otherTeamCase, sali);
    EXPECT_EQ(refused.status, 403);
    EXPECT_FALSE(contains(refused.body, "Damp in the bathroom"));
    EXPECT_EQ(f.get("/cases/" + f.otherTeamCase, manager).status, 200);
    EXPECT_EQ(f.get("/cases/" + f.otherTeamCase, admin).status, 200);
    EXPECT_EQ(f.get("/team/dparker", sali).status, 403);
    EXPECT_EQ(f.get("/team/jwong", sali).status, 200);
    EXPECT_EQ(f.get("/cases/PHG-2026-99999", sali).status, 404);
    // Acting on another team's case is refused and changes nothing.
    EXPECT_EQ(f.post("/cases/" + f.otherTeamCase + "/close", sali, {}).status, 403);
    EXPECT_EQ(f.store.findCase(f.otherTeamCase)->state, duly::engine::CaseState::Open);
    EXPECT_TRUE(contains(f.auditText(), "sali\trefused\tCase " + f.otherTeamCase));
}

TEST(Dashboard, ReportsAndQuarantineAreForManagers) {
    WebFixture f;
    auto sali = f.signIn("sali"), manager = f.signIn("rhughes");
    EXPECT_EQ(f.get("/reports", sali).status, 403);
    EXPECT_EQ(f.get("/reports.csv", sali).status, 403);
    EXPECT_EQ(f.get("/quarantine", sali).status, 403);
    EXPECT_FALSE(contains(f.get("/my-work", sali).body, "href=\"/reports\""));
    auto report = f.get("/reports", manager, {{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"by", "officer"}});
    EXPECT_EQ(report.status, 200);
    EXPECT_TRUE(contains(report.body, "<th scope=\"row\">sali</th><td>3</td>"));
    auto csv = f.get("/reports.csv", manager, {{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"by", "channel"}});
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.contentType, "text/csv; charset=utf-8");
    EXPECT_TRUE(contains(csv.header("Content-Disposition").value_or(""), "duly-report-2026-11-01-to-2026-11-30-by-channel.csv"));
    EXPECT_TRUE(contains(csv.body, "\r\nemail,4,"));
    EXPECT_TRUE(contains(csv.body, "\r\nAll,5,"));
    auto bad = f.get("/reports", manager, {{"from", "2026-13-01"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "role=\"alert\""));
    EXPECT_EQ(f.get("/reports/summary", manager, {{"from", "2026-11-01"}, {"to", "2026-11-30"}}).status, 200);
}

// The public summary takes each promise from the charter's rule for that
// kind: emails against 5 working days, without the complaints that came by
// email, and stage 1 complaints against 10 (progress.toml). In January
// every November answer has fallen due.
TEST(Dashboard, PublicSummaryStatesEachKindsOwnPromise) {
    WebFixture f;
    f.now = at("2027-01-29T12:00:00Z");
    auto manager = f.signIn("rhughes");
    auto summary = f.get("/reports/summary", manager, {{"from", "2026-11-01"}, {"to", "2026-11-30"}});
    EXPECT_EQ(summary.status, 200);
    EXPECT_TRUE(contains(summary.body, "<li>We answered <strong>0%</strong> of emails within 5 working days (0 of 2).</li>"))
        << summary.body;
    // The three stage 1 complaints (two by email, one by letter) against their 10 days.
    EXPECT_TRUE(contains(summary.body,
                         "<li>We answered <strong>0%</strong> of stage 1 complaints within 10 working days (0 of 3).</li>"));
    EXPECT_FALSE(contains(summary.body, "of emails within 5 working days (0 of 4)"));
    EXPECT_FALSE(contains(summary.body, "of letters"));  // the only letter is a complaint
}

TEST(Dashboard, ForgedOrMissingCsrfTokenIsRefusedAndChangesNothing) {
    WebFixture f;
    auto s = f.signIn("sali");
    auto other = f.signIn("jwong");
    auto path = "/cases/" + f.ackCase + "/acknowledge";
    EXPECT_EQ(f.post(path, s, {}, false).status, 403);
    EXPECT_EQ(f.post(path, s, {{"csrf", "forged"}}, false).status, 403);
    // Another session's token is not this session's.
    EXPECT_EQ(f.post(path, s, {{"csrf", f.csrfOf(other)}}, false).status, 403);
    EXPECT_FALSE(f.store.findCase(f.ackCase)->acknowledgedAt);
    EXPECT_TRUE(contains(f.auditText(), "form without a valid CSRF token"));
}

TEST(Dashboard, AcknowledgeGoesOnTheCaseWithTheOfficerAsActor) {
    WebFixture f;
    auto s = f.signIn("sali");
    auto r = f.post("/cases/" + f.ackCase + "/acknowledge", s, {});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location").value_or(""), "/cases/" + f.ackCase + "?done=acknowledge");
    auto c = f.store.findCase(f.ackCase);
    ASSERT_TRUE(c->acknowledgedAt);
    EXPECT_EQ(*c->acknowledgedAt, f.now);
    ASSERT_FALSE(c->events.empty());
    EXPECT_EQ(c->events.back().type, EventType::Acknowledged);
    EXPECT_EQ(c->events.back().actor, "sali");
    EXPECT_TRUE(contains(f.auditText(), "sali\tacknowledge\t" + f.ackCase));
    // The acknowledgement has left the queue.
    EXPECT_FALSE(contains(f.get("/my-work", s).body, "Acknowledge by Tuesday 24 November"));
    // Doing it twice is a clear message, not a crash.
    auto again = f.post("/cases/" + f.ackCase + "/acknowledge", s, {});
    EXPECT_EQ(again.status, 400);
    EXPECT_TRUE(contains(again.body, "was already acknowledged"));
}

TEST(Dashboard, ReplyTakesTheCaseOffTheQueue) {
    WebFixture f;
    auto s = f.signIn("sali");
    ASSERT_TRUE(contains(f.get("/my-work", s).body, f.replyCase));
    EXPECT_EQ(f.post("/cases/" + f.replyCase + "/reply", s, {}).status, 303);
    EXPECT_FALSE(contains(f.get("/my-work", s).body, f.replyCase));
    EXPECT_EQ(f.store.findCase(f.replyCase)->events.back().type, EventType::Replied);
}

TEST(Dashboard, BadFormInputGetsAMessageAndChangesNothing) {
    WebFixture f;
    auto s = f.signIn("sali");
    auto before = f.store.findCase(f.complaintCase);
    auto r = f.post("/cases/" + f.complaintCase + "/extend", s, {{"days", "many"}, {"reason", "Waiting for a surveyor"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(contains(r.body, "Extra working days: enter a whole number from 1 to 60"));
    r = f.post("/cases/" + f.complaintCase + "/extend", s, {{"days", "3"}, {"reason", "   "}});
    EXPECT_EQ(r.status, 400);
    r = f.post("/cases/" + f.complaintCase + "/holding-reply", s, {{"reason", "Waiting"}, {"new_date", "24/12/2026"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(contains(r.body, "24/12/2026"));
    auto after = f.store.findCase(f.complaintCase);
    EXPECT_EQ(after->events.size(), before->events.size());
    EXPECT_EQ(after->extensionDays, 0);
    EXPECT_TRUE(after->holdingReason.empty());
}

TEST(Dashboard, ExtendHoldingReplyAssignEscalateAndClose) {
    WebFixture f;
    auto s = f.signIn("sali");
    auto base = "/cases/" + f.complaintCase;
    EXPECT_EQ(f.post(base + "/extend", s, {{"days", "5"}, {"reason", "We are waiting for a surveyor's report"}}).status, 303);
    EXPECT_EQ(f.store.findCase(f.complaintCase)->extensionDays, 5);
    EXPECT_EQ(f.post(base + "/holding-reply", s, {{"reason", "The contractor visits on Friday"}, {"new_date", "2026-12-17"}}).status, 303);
    auto c = f.store.findCase(f.complaintCase);
    EXPECT_EQ(c->holdingReason, "The contractor visits on Friday");
    ASSERT_TRUE(c->holdingNewDate);
    EXPECT_EQ(*c->holdingNewDate, at("2026-12-17T17:00:00Z"));  // closing time, London
    // The page shows what the holding reply will say.
    EXPECT_TRUE(contains(f.get(base, s).body, "The contractor visits on Friday"));
    // An officer cannot pass a case to another team; a manager can.
    EXPECT_EQ(f.post(base + "/assign", s, {{"officer", "dparker"}}).status, 403);
    EXPECT_EQ(f.post(base + "/assign", s, {{"officer", "jwong"}}).status, 303);
    EXPECT_EQ(f.store.findCase(f.complaintCase)->officerId, "jwong");
    auto manager = f.signIn("rhughes");
    // Stage 2 goes to a manager (the charter's stage2_role): not an officer.
    EXPECT_EQ(f.post(base + "/escalate", manager, {{"officer", "dparker"}}).status, 400);
    EXPECT_EQ(f.post(base + "/escalate", manager, {{"officer", "rhughes"}}).status, 303);
    c = f.store.findCase(f.complaintCase);
    EXPECT_EQ(c->kind, duly::engine::Kind::ComplaintStage2);
    EXPECT_EQ(c->officerId, "rhughes");
    // Stage 2 may not go back to the stage 1 officer (the rule is the engine's).
    EXPECT_EQ(f.post("/cases/" + f.otherTeamCase + "/escalate", manager, {{"officer", "dparker"}}).status, 400);
    // ... nor be reassigned to them once at stage 2 (jwong handled stage 1).
    EXPECT_FALSE(contains(f.get(base, manager).body, "<option value=\"jwong\">"));
    auto back = f.post(base + "/assign", manager, {{"officer", "jwong"}});
    EXPECT_EQ(back.status, 400);
    EXPECT_TRUE(contains(back.body, "Stage 2 must be handled by someone other than the stage 1 officer (jwong)."));
    EXPECT_EQ(f.store.findCase(f.complaintCase)->officerId, "rhughes");
    // Nor to an officer who is not a manager.
    EXPECT_EQ(f.post(base + "/assign", manager, {{"officer", "sali"}}).status, 400);
    EXPECT_EQ(f.post(base + "/close", manager, {}).status, 303);
    EXPECT_EQ(f.store.findCase(f.complaintCase)->state, duly::engine::CaseState::Closed);
    EXPECT_EQ(f.store.findCase(f.complaintCase)->events.back().actor, "rhughes");
}

TEST(Dashboard, CasePageShowsDeadlinesHowTheyWereWorkedOutAndTheTimeline) {
    WebFixture f;
    auto s = f.signIn("sali");
    auto r = f.get("/cases/" + f.ackCase, s);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(contains(r.body, "Acknowledge by Tuesday 24 November, 5pm"));
    EXPECT_TRUE(contains(r.body, "Tuesday 17 November 2026 is day 0"));
    EXPECT_TRUE(contains(r.body, "The back door still sticks."));
    EXPECT_TRUE(contains(r.body, "name=\"csrf\" value=\"" + f.csrfOf(s) + "\""));
    EXPECT_TRUE(contains(f.auditText(), "sali\tviewed case\t" + f.ackCase));
}

TEST(Dashboard, OneTimePasswordMustBeChangedFirst) {
    WebFixture f;
    f.accounts.setPassword("jwong", "one-time-pass-1", true);
    auto s = f.signIn("jwong", "one-time-pass-1");
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(f.get("/my-work", s).header("Location").value_or(""), "/password");
    EXPECT_EQ(f.post("/cases/" + f.ackCase + "/acknowledge", s, {}).status, 403);
    auto r = f.post("/password", s, {{"current", "one-time-pass-1"}, {"new", "short"}, {"confirm", "short"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(contains(r.body, "too short"));
    r = f.post("/password", s, {{"current", "one-time-pass-1"}, {"new", "a longer pass phrase"}, {"confirm", "a longer pass phrase"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_FALSE(f.accounts.mustChange("jwong"));
    EXPECT_TRUE(f.accounts.check("jwong", "a longer pass phrase"));
    // The old session ended with the change.
    EXPECT_EQ(f.get("/my-work", s).status, 303);
}

TEST(Dashboard, SignOutEndsTheSession) {
    WebFixture f;
    auto s = f.signIn("sali");
    EXPECT_EQ(f.post("/sign-out", s, {}).status, 303);
    EXPECT_EQ(f.get("/my-work", s).status, 303);
}

TEST(Dashboard, TeamTriageAndUnknownPages) {
    WebFixture f;
    auto sali = f.signIn("sali"), manager = f.signIn("rhughes");
    auto team = f.get("/team", sali);
    EXPECT_TRUE(contains(team.body, "Jenny Wong"));
    EXPECT_FALSE(contains(team.body, "David Parker"));
    EXPECT_TRUE(contains(f.get("/team", manager).body, "David Parker"));
    EXPECT_TRUE(contains(f.get("/triage", sali).body, f.unassignedCase));
    EXPECT_EQ(f.get("/no/such/page", sali).status, 404);
    EXPECT_EQ(f.get("/static/duly.css", "").status, 200);
    Request del;
    del.method = "DELETE";
    del.path = "/my-work";
    del.cookies["duly_session"] = sali;
    EXPECT_EQ(f.dashboard.handle(del).status, 405);
}

TEST(Dashboard, ReplyPreviewShowsTheLetterAndChangesNothing) {
    DashboardOptions options;
    std::string seen;
    options.replyPreview = [&](const duly::engine::Case& c, const std::string& text, duly::engine::Instant) {
        seen = c.reference;
        if (text == "fail") throw duly::engine::InputError("the reply template is missing");
        return "Dear Mr Fairclough\n\n" + text + "\n";
    };
    WebFixture f(options);
    auto s = f.signIn("sali");
    auto before = f.store.findCase(f.replyCase)->events.size();
    auto r = f.post("/cases/" + f.replyCase + "/preview", s, {{"text", "The door is fixed <today>."}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(seen, f.replyCase);
    EXPECT_TRUE(contains(r.body, "Preview of the reply"));
    EXPECT_TRUE(contains(r.body, "Dear Mr Fairclough\n\nThe door is fixed &lt;today&gt;."));
    // The text stays in the box for the officer to change.
    EXPECT_TRUE(contains(r.body, ">The door is fixed &lt;today&gt;.</textarea>"));
    EXPECT_EQ(f.store.findCase(f.replyCase)->events.size(), before);
    auto failed = f.post("/cases/" + f.replyCase + "/preview", s, {{"text", "fail"}});
    EXPECT_EQ(failed.status, 400);
    EXPECT_TRUE(contains(failed.body, "The preview could not be made: the reply template is missing"));
    // Forged token or another team's case: refused.
    EXPECT_EQ(f.post("/cases/" + f.replyCase + "/preview", s, {{"text", "x"}, {"csrf", "bad"}}, false).status, 403);
    EXPECT_EQ(f.post("/cases/" + f.otherTeamCase + "/preview", s, {{"text", "x"}}).status, 403);
    EXPECT_TRUE(contains(f.auditText(), "sali\tpreviewed reply\t" + f.replyCase));
}

TEST(Dashboard, LongQueuesShowTheMostUrgentAndOfferMore) {
    DashboardOptions options;
    options.queueLimit = 1;
    WebFixture f(options);
    auto s = f.signIn("sali");
    auto r = f.get("/my-work", s);
    EXPECT_TRUE(contains(r.body, "Showing the 1 most urgent."));
    EXPECT_TRUE(contains(r.body, "<a href=\"?all=1\">Show up to 10</a>"));
    EXPECT_TRUE(contains(r.body, f.replyCase));
    EXPECT_FALSE(contains(r.body, "Acknowledge by Tuesday 24 November"));
    auto all = f.get("/my-work", s, {{"all", "1"}});
    EXPECT_TRUE(contains(all.body, "Acknowledge by Tuesday 24 November"));
}

// A case marked urgent heads the queue even when more than the page's
// limit of other actions fall due before it.
TEST(Dashboard, AnUrgentCaseIsShownWhateverTheQueueLimit) {
    DashboardOptions options;
    options.queueLimit = 1;
    WebFixture f(options);
    f.service.setUrgent(f.ackCase, true, "gas smell", f.now, "sali");
    auto s = f.signIn("sali");
    const std::string body = f.get("/my-work", s).body;
    const auto urgentAt = body.find("Marked urgent (");
    ASSERT_NE(urgentAt, std::string::npos) << body;
    const auto ackAt = body.find("Acknowledge by Tuesday 24 November");
    ASSERT_NE(ackAt, std::string::npos) << body;
    EXPECT_GT(ackAt, urgentAt);
    // The page's one other action is still there, after it.
    EXPECT_TRUE(contains(body, f.replyCase));
    EXPECT_TRUE(contains(body, "Showing the 1 most urgent."));
}

TEST(Dashboard, QuarantineShowsWhatWasSetAsideEscaped) {
    WebFixture f;
    duly::engine::QuarantinedMessage q;
    q.mailbox = "inbox";
    q.messageKey = "<bad-1@example.org>";
    q.received = f.now;
    q.reason = "no From header <script>";
    q.raw = "Subject: <b>hello</b>\r\n\r\nbody";
    f.store.quarantine(q);
    auto manager = f.signIn("rhughes");
    auto r = f.get("/quarantine", manager);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(contains(r.body, "no From header &lt;script&gt;"));
    EXPECT_TRUE(contains(r.body, "Subject: &lt;b&gt;hello&lt;/b&gt;"));
    EXPECT_FALSE(contains(r.body, "<script>"));
    EXPECT_TRUE(contains(f.auditText(), "rhughes\tviewed quarantine"));
}

// A sign-in through the form from `address`, with what the server answered.
Response signInFrom(WebFixture& f, const std::string& user, const std::string& password,
                    const std::string& address = "127.0.0.1", const std::string& forwardedFor = "") {
    Request get;
    get.method = "GET";
    get.path = "/sign-in";
    auto page = f.dashboard.handle(get);
    auto cookie = page.header("Set-Cookie").value_or("");
    auto token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
    Request post;
    post.method = "POST";
    post.path = "/sign-in";
    post.remoteAddress = address;
    post.forwardedFor = forwardedFor;
    post.cookies["duly_login"] = token;
    post.form = {{"login_token", token}, {"user", user}, {"password", password}, {"next", "/my-work"}};
    return f.dashboard.handle(post);
}

TEST(Dashboard, APasswordResetWithDulyUserEndsThatPersonsSessionsAtOnceAndIsNeverUndone) {
    WebFixture f;
    auto first = f.signIn("sali"), second = f.signIn("sali"), jenny = f.signIn("jwong");
    ASSERT_EQ(f.get("/my-work", first).status, 200);
    // `duly user passwd sali`: another process, with its own Accounts.
    Accounts command(f.dir.path() / "passwords", HashCost::Minimum);
    command.setPassword("sali", "set by the administrator", false);
    for (const auto& session : {first, second}) {
        auto r = f.get("/my-work", session);
        EXPECT_EQ(r.status, 303);
        EXPECT_EQ(r.header("Location").value_or(""), "/sign-in?next=%2Fmy-work");
    }
    EXPECT_EQ(f.post("/cases/" + f.ackCase + "/acknowledge", first, {}).status, 403);
    EXPECT_FALSE(f.store.findCase(f.ackCase)->acknowledgedAt);
    EXPECT_EQ(f.get("/my-work", jenny).status, 200);  // nobody else's
    EXPECT_TRUE(contains(f.auditText(), "sali\tsession ended"));
    // The old password no longer signs in; the new one does.
    EXPECT_EQ(signInFrom(f, "sali", kPassword).status, 401);
    EXPECT_FALSE(f.signIn("sali", "set by the administrator").empty());
    // Jenny changes her own password on the dashboard: sali's reset stays.
    auto changed = f.post("/password", jenny,
                          {{"current", kPassword}, {"new", "jenny's own words"}, {"confirm", "jenny's own words"}});
    EXPECT_EQ(changed.status, 303);
    Accounts fresh(f.dir.path() / "passwords", HashCost::Minimum);
    EXPECT_TRUE(fresh.check("sali", "set by the administrator"));
    EXPECT_TRUE(fresh.check("jwong", "jenny's own words"));
    // Removed with `duly user remove`: the session Jenny has now ends too.
    std::string jennyNow;
    for (const auto& [name, value] : changed.headers)
        if (name == "Set-Cookie" && value.rfind("duly_session=", 0) == 0) jennyNow = value.substr(13, value.find(';') - 13);
    ASSERT_EQ(f.get("/my-work", jennyNow).status, 200);
    command.remove("jwong");
    EXPECT_EQ(f.get("/my-work", jennyNow).status, 303);
}

TEST(Dashboard, TwentyParallelGuessesGetNoMorePasswordChecksThanTheLimit) {
    WebFixture f;
    const auto checksBefore = f.accounts.checksRun();
    std::atomic<int> wrong{0}, refused{0}, busy{0}, other{0};
    std::latch start(20);
    std::vector<std::thread> guessers;
    for (int i = 0; i < 20; ++i)
        guessers.emplace_back([&, i] {
            start.arrive_and_wait();
            auto r = signInFrom(f, "sali", "guess number " + std::to_string(i), "10.1.1." + std::to_string(i));
            (r.status == 401 ? wrong : r.status == 429 ? refused : r.status == 503 ? busy : other)++;
        });
    for (auto& t : guessers) t.join();
    // At most the limit's number of guesses were checked; the others were
    // refused as over the limit (429) or while four checks ran (503, not
    // counted, so it may leave fewer than five checked).
    EXPECT_GE(wrong.load(), 1);
    EXPECT_LE(wrong.load(), LoginThrottle::kPerAccount);
    EXPECT_EQ(f.accounts.checksRun() - checksBefore, static_cast<std::uint64_t>(wrong.load()));
    EXPECT_EQ(wrong + refused + busy, 20);
    EXPECT_EQ(other.load(), 0);
    // Whatever the mix, the account is now locked only if five were checked.
    if (wrong.load() == LoginThrottle::kPerAccount) {
        EXPECT_EQ(signInFrom(f, "sali", kPassword).status, 429);
    }
}

TEST(Dashboard, WhileFourHashesRunASignInIsAnswered503AndNotCounted) {
    WebFixture f;
    auto& slots = f.accounts.hashSlots();
    for (int i = 0; i < Accounts::kMaxHashesAtOnce; ++i) ASSERT_TRUE(slots.tryAcquire());
    for (int i = 0; i < 2 * LoginThrottle::kPerAccount; ++i) {
        auto busy = signInFrom(f, "sali", kPassword);
        ASSERT_EQ(busy.status, 503);
        EXPECT_EQ(busy.header("Retry-After").value_or(""), "5");
        EXPECT_TRUE(busy.header("Content-Security-Policy"));
    }
    for (int i = 0; i < Accounts::kMaxHashesAtOnce; ++i) slots.release();
    EXPECT_EQ(signInFrom(f, "sali", kPassword).status, 303);
}

TEST(Dashboard, AnUnknownUserNameCostsAPasswordCheckLikeAKnownOne) {
    WebFixture f;
    auto checks = f.accounts.checksRun();
    EXPECT_EQ(signInFrom(f, "nobody", kPassword).status, 401);
    EXPECT_EQ(f.accounts.checksRun(), checks + 1);
    EXPECT_EQ(signInFrom(f, "sali", "wrong password!").status, 401);
    EXPECT_EQ(f.accounts.checksRun(), checks + 2);
    // An officer with a password but no officer record is refused the same way.
    f.accounts.setPassword("ghost", kPassword, false);
    EXPECT_EQ(signInFrom(f, "ghost", kPassword).status, 401);
    EXPECT_EQ(f.accounts.checksRun(), checks + 3);
}

TEST(Dashboard, UserNamesOver64BytesAreRefusedBeforeAnythingIsCountedOrLogged) {
    WebFixture f;
    const auto auditBefore = f.auditText();
    const auto checks = f.accounts.checksRun();
    const std::string huge(60000, 'x');
    for (int i = 0; i < 30; ++i) {
        auto r = signInFrom(f, huge, "some password");
        ASSERT_EQ(r.status, 400);
        EXPECT_TRUE(contains(r.body, "at most 64"));
        EXPECT_FALSE(contains(r.body, std::string(65, 'x')));  // not echoed back
    }
    EXPECT_EQ(signInFrom(f, std::string(65, 's'), kPassword).status, 400);
    EXPECT_EQ(f.auditText(), auditBefore);
    EXPECT_EQ(f.accounts.checksRun(), checks);
    // 64 bytes is still a name (that has no account).
    EXPECT_EQ(signInFrom(f, std::string(64, 's'), kPassword).status, 401);
    // Nothing counted against the address: the right password signs in.
    EXPECT_EQ(signInFrom(f, "sali", kPassword).status, 303);
}

TEST(Dashboard, BehindATrustedProxyTheClientAddressComesFromXForwardedFor) {
    DashboardOptions options;
    options.trustedProxies = {"10.0.0.1"};
    WebFixture f(options);
    EXPECT_EQ(signInFrom(f, "sali", "wrong password!", "10.0.0.1", "203.0.113.66, 198.51.100.7").status, 401);
    EXPECT_TRUE(contains(f.auditText(), "sali\tsign-in failed\t/sign-in\t198.51.100.7\n"));
    // Not a trusted proxy: its header is not believed.
    EXPECT_EQ(signInFrom(f, "jwong", "wrong password!", "10.0.0.9", "198.51.100.8").status, 401);
    EXPECT_TRUE(contains(f.auditText(), "jwong\tsign-in failed\t/sign-in\t10.0.0.9\n"));
    EXPECT_FALSE(contains(f.auditText(), "198.51.100.8"));
}

TEST(Dashboard, ManyFailuresFromOneAddressSlowSignInDownButDoNotLockOutTheRightPassword) {
    DashboardOptions options;
    options.trustedProxies = {"10.0.0.1"};
    options.signInPace = std::chrono::milliseconds{1};
    WebFixture f(options);
    // Everyone comes through the proxy without X-Forwarded-For: one address.
    for (int i = 0; i < 2 * LoginThrottle::kPerAddress; ++i)
        ASSERT_EQ(signInFrom(f, "guess" + std::to_string(i), "wrong password!", "10.0.0.1").status, 401) << i;
    EXPECT_EQ(signInFrom(f, "sali", kPassword, "10.0.0.1").status, 303);
    EXPECT_EQ(signInFrom(f, "jwong", kPassword, "10.0.0.1").status, 303);
}

TEST(Dashboard, OfficersWithNoTeamCannotSeeEachOthersQueues) {
    WebFixture f;
    for (const char* id : {"temp1", "temp2"}) {
        Officer o;
        o.id = id;
        o.name = std::string("Temporary ") + id;
        o.position = "Officer";
        o.role = Role::Officer;  // and no team
        f.store.upsertOfficer(o);
        f.accounts.setPassword(id, kPassword, false);
    }
    auto temp1 = f.signIn("temp1");
    EXPECT_EQ(f.get("/team/temp2", temp1).status, 403);
    EXPECT_EQ(f.get("/team/temp1", temp1).status, 200);  // their own
    auto team = f.get("/team", temp1);
    EXPECT_EQ(team.status, 200);
    EXPECT_FALSE(contains(team.body, "Temporary temp2"));
    EXPECT_TRUE(contains(team.body, "Temporary temp1"));
    // The case page had the rule already; the queue now agrees with it.
    EXPECT_EQ(f.get("/team/sali", temp1).status, 403);
}

TEST(Dashboard, BidiOverridesInACustomersSubjectDoNotReachThePage) {
    WebFixture f;
    OpenCaseRequest r;
    r.charter = "progress";
    r.channel = Channel::Email;
    r.kind = Kind::Enquiry;
    r.received = at("2026-11-24T09:00:00Z");
    r.customerRef = "C10001";
    r.officerId = "sali";
    r.subject = "Invoice \u202Efdp.exe\u202C and \u2066note\u2069";
    r.body = "See attached.";
    auto ref = f.service.open(r).reference;
    auto sali = f.signIn("sali");
    for (const auto& page : {f.get("/cases/" + ref, sali).body, f.get("/my-work", sali).body}) {
        EXPECT_TRUE(contains(page, "Invoice fdp.exe and note"));
        for (const char* c : {"\u202E", "\u202C", "\u2066", "\u2069"}) EXPECT_FALSE(contains(page, c));
    }
}

}  // namespace

TEST(Dashboard, WaitingOnTheCustomerPausesTheClockAndResumeMovesTheDate) {
    WebFixture f;
    OpenCaseRequest req;
    req.charter = "progress";
    req.channel = Channel::Email;
    req.kind = Kind::Enquiry;
    req.received = at("2026-11-23T10:00:00Z");  // answer by Monday 30 November, 5pm
    req.customerRef = "C10001";
    req.officerId = "sali";
    req.subject = "Boiler service";
    const std::string ref = f.service.open(req).reference;
    const std::string base = "/cases/" + ref;
    auto s = f.signIn("sali");

    auto page = f.get(base, s);
    EXPECT_TRUE(contains(page.body, "action=\"" + base + "/wait\""));
    EXPECT_TRUE(contains(page.body, "The clock for the full answer pauses while we wait on the customer"));
    // A complaint's page offers no pause, and asking for one anyway is refused.
    EXPECT_FALSE(contains(f.get("/cases/" + f.complaintCase, s).body, "/wait\""));
    auto refused = f.post("/cases/" + f.complaintCase + "/wait", s, {{"waiting_for", "a photo"}});
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "does not let the clock pause"));
    EXPECT_TRUE(contains(refused.body, "Nothing was changed."));
    // Saying nothing about what was asked for is refused too, and so is a
    // pause once the date has passed (the rent statement was due yesterday).
    refused = f.post(base + "/wait", s, {{"waiting_for", "  "}});
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "Say what the customer has been asked for."));
    refused = f.post("/cases/" + f.replyCase + "/wait", s, {{"waiting_for", "their tenancy number"}});
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "the clock has run out and cannot pause"));
    EXPECT_FALSE(f.store.findCase(ref)->pausedSince);
    EXPECT_FALSE(f.store.findCase(f.replyCase)->pausedSince);
    // Another team cannot pause it.
    auto other = f.signIn("dparker");
    EXPECT_EQ(f.post(base + "/wait", other, {{"waiting_for", "x"}}).status, 403);

    auto r = f.post(base + "/wait", s, {{"waiting_for", "A photo of the boiler's data plate"}});
    ASSERT_EQ(r.status, 303);
    ASSERT_TRUE(f.store.findCase(ref)->pausedSince);
    EXPECT_EQ(*f.store.findCase(ref)->pausedSince, f.now);
    // My work: off the due list, on the waiting list.
    auto work = f.get("/my-work", s);
    EXPECT_TRUE(contains(work.body, "Waiting on the customer (1)"));
    auto due = work.body.substr(0, work.body.find("Waiting on the customer (1)"));
    EXPECT_FALSE(contains(due, ref));
    EXPECT_TRUE(contains(work.body.substr(work.body.find("Waiting on the customer (1)")), ref));

    // Three working days later the page says since when, how long, and the
    // date the customer would get if they came back today.
    f.now = at("2026-11-27T10:00:00Z");
    s = f.signIn("sali");  // the first session has long since timed out
    page = f.get(base, s);
    EXPECT_TRUE(contains(page.body, "Waiting on the customer</h3>"));
    EXPECT_TRUE(contains(page.body, "paused since <strong>" + plainWhen(at("2026-11-24T10:00:00Z"), f.now) +
                                        "</strong>: 3 working days so far"));
    EXPECT_TRUE(contains(page.body, "A photo of the boiler&#39;s data plate") ||
                contains(page.body, "A photo of the boiler&#x27;s data plate"));
    EXPECT_TRUE(contains(page.body, "the answer will be due <strong>" + plainWhen(at("2026-12-03T17:00:00Z"), f.now)));
    EXPECT_TRUE(contains(page.body, "⏸ Paused: waiting on the customer"));
    EXPECT_TRUE(contains(page.body, "action=\"" + base + "/resume\""));
    EXPECT_FALSE(contains(page.body, "action=\"" + base + "/wait\""));

    r = f.post(base + "/resume", s, {});
    ASSERT_EQ(r.status, 303);
    auto c = f.store.findCase(ref);
    EXPECT_FALSE(c->pausedSince);
    EXPECT_EQ(c->pausedDays, 3);
    EXPECT_EQ(*c->respondBy, at("2026-12-03T17:00:00Z"));
    EXPECT_EQ(c->events.back().type, EventType::Resumed);
    EXPECT_EQ(c->events.back().actor, "sali");
    page = f.get(base, s);
    EXPECT_TRUE(contains(page.body, "plus 3 working days when the clock was paused while we waited on the customer"));
    EXPECT_TRUE(contains(page.body, "Clock resumed: clock paused for 3 working days; answer now due 2026-12-03"));
    EXPECT_TRUE(contains(page.body, "Waiting on the customer (clock paused): A photo"));
    // Resuming twice is refused with a message.
    refused = f.post(base + "/resume", s, {});
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "is not waiting on the customer"));
    EXPECT_TRUE(contains(f.auditText(), "\twait\t" + ref + "\tA photo of the boiler's data plate"));
    EXPECT_TRUE(contains(f.auditText(), "\tresume\t" + ref));
}

TEST(Dashboard, CasePageLinksTheRawMessageAndFilesServedWithTheirTypeToThoseWhoMaySeeTheCase) {
    WebFixture f;
    Item item;
    item.channel = Channel::Email;
    item.received = at("2026-11-24T09:00:00Z");
    item.subject = "Re: Rent statement";
    item.body = "Here is the letter you asked for.";
    item.source = "<reply-1@example.org>";
    item.from = "tom@example.org";
    item.attachments = {{"landlord letter.pdf", "application/pdf", "%PDF-1.4 scanned letter"},
                        {"note.html", "text/html", "<script>alert(1)</script>"}};
    const std::string raw = "From: tom@example.org\r\nSubject: Re: Rent statement\r\n\r\nHere is the letter.\r\n";
    f.store.addItem(f.replyCase, item, raw, {});
    const auto c = f.store.findCase(f.replyCase);
    ASSERT_EQ(c->items.size(), 2u);
    const std::string itemPath = "/cases/" + f.replyCase + "/items/" + std::to_string(c->items[1].id);
    auto s = f.signIn("sali");

    auto page = f.get("/cases/" + f.replyCase, s);
    EXPECT_TRUE(contains(page.body, "<a href=\"" + itemPath + "/files/1\">landlord letter.pdf</a>"));
    EXPECT_TRUE(contains(page.body, "application/pdf, 23 bytes"));
    EXPECT_TRUE(contains(page.body, "<a href=\"" + itemPath + "/files/2\">note.html</a>"));
    EXPECT_TRUE(contains(page.body, "<a href=\"" + itemPath + "/raw\">The raw message</a>"));

    auto pdf = f.get(itemPath + "/files/1", s);
    EXPECT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.contentType, "application/pdf");
    EXPECT_EQ(pdf.body, "%PDF-1.4 scanned letter");
    EXPECT_EQ(pdf.header("Content-Disposition").value_or(""), "inline; filename=\"landlord letter.pdf\"");
    EXPECT_EQ(pdf.header("X-Content-Type-Options").value_or(""), "nosniff");
    // HTML could run on the dashboard's own site: only offered as bytes.
    auto html = f.get(itemPath + "/files/2", s);
    EXPECT_EQ(html.status, 200);
    EXPECT_EQ(html.contentType, "application/octet-stream");
    EXPECT_EQ(html.header("Content-Disposition").value_or(""), "attachment; filename=\"note.html\"");
    auto rawPage = f.get(itemPath + "/raw", s);
    EXPECT_EQ(rawPage.status, 200);
    EXPECT_EQ(rawPage.contentType, "text/plain; charset=utf-8");
    EXPECT_EQ(rawPage.body, raw);

    EXPECT_EQ(f.get(itemPath + "/files/3", s).status, 404);
    EXPECT_EQ(f.get(itemPath + "/files/x", s).status, 404);
    EXPECT_EQ(f.get(itemPath + "/files/0", s).status, 404);
    // The first item was made by hand: no raw message, no files.
    const std::string first = "/cases/" + f.replyCase + "/items/" + std::to_string(c->items[0].id);
    EXPECT_EQ(f.get(first + "/raw", s).status, 404);
    // An item of this case asked for under another case is not found there.
    EXPECT_EQ(f.get("/cases/" + f.complaintCase + "/items/" + std::to_string(c->items[1].id) + "/files/1", s).status, 404);
    // Another team's officer sees neither the file nor the raw message.
    auto other = f.signIn("dparker");
    EXPECT_EQ(f.get(itemPath + "/files/1", other).status, 403);
    EXPECT_EQ(f.get(itemPath + "/raw", other).status, 403);
    EXPECT_TRUE(contains(f.auditText(), "\tsali\tviewed file\t" + f.replyCase + "\titem " +
                                            std::to_string(c->items[1].id) + ": landlord letter.pdf"));
    EXPECT_TRUE(contains(f.auditText(), "\tsali\tviewed raw message\t" + f.replyCase));
}

TEST(Dashboard, SelfAssessmentPageAndCsvForManagers) {
    WebFixture f;
    // Three stage 1 complaints in November; one extended, one taken to stage 2.
    f.service.extend(f.ackCase, 5, "Awaiting a surveyor's visit", f.now, "sali");
    f.service.escalate(f.complaintCase, "rhughes", f.now, "rhughes");
    f.service.acknowledge(f.otherTeamCase, f.now, "dparker");  // received Friday 20th: on time
    auto officer = f.signIn("sali");
    EXPECT_EQ(f.get("/reports/self-assessment", officer).status, 403);
    EXPECT_EQ(f.get("/reports/self-assessment.csv", officer).status, 403);

    auto m = f.signIn("rhughes");
    Fields period{{"from", "2026-11-01"}, {"to", "2026-11-30"}};
    auto page = f.get("/reports/self-assessment", m, period);
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Complaints received</th><td>3</td><td>1</td>"));
    // The progress charter sets no [complaints] homes: no rate.
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Per 1,000 homes</th><td>—</td><td>—</td>"));
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Taken on to stage 2</th><td>1</td>"));
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Extensions agreed</th><td>1</td><td>0</td>"));
    EXPECT_TRUE(contains(page.body, "Awaiting a surveyor&#39;s visit") || contains(page.body, "Awaiting a surveyor&#x27;s visit"));
    // The letter complaint is to be acknowledged by 5pm today: not counted yet.
    EXPECT_TRUE(contains(page.body, "Acknowledged within 5 working days</th><td>100% <span class=\"meta\">(1 of 1)</span>"));
    auto csv = f.get("/reports/self-assessment.csv", m, period);
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.contentType, "text/csv; charset=utf-8");
    EXPECT_TRUE(contains(csv.body, "complaints_received,3,1\r\n"));
    EXPECT_TRUE(contains(csv.body, "complaints_per_1000_homes,,\r\n"));
    EXPECT_TRUE(contains(csv.body, f.ackCase + ",1,5,2026-11-24,Awaiting a surveyor's visit\r\n"));

    auto bad = f.get("/reports/self-assessment", m, {{"from", "2026-13-01"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(f.get("/reports", m).body, "href=\"/reports/self-assessment\""));
    EXPECT_TRUE(contains(f.auditText(), "\trhughes\tviewed self-assessment\t"));
}

TEST(Dashboard, ASignInSurvivesARestartOfTheDashboardButASignOutDoesNot) {
    WebFixture f;
    DashboardOptions options;
    options.sessionsFile = f.dir.path() / "sessions";
    auto first = std::make_unique<Dashboard>(DULY_SOURCE_HOME, f.store, &f.store, f.accounts, f.audit,
                                             [&f] { return f.now; }, f.errors, options);
    auto request = [&](Dashboard& d, const std::string& method, const std::string& path, const std::string& cookie,
                       Fields form = {}) {
        Request r;
        r.method = method;
        r.path = path;
        r.form = std::move(form);
        r.remoteAddress = "127.0.0.1";
        if (!cookie.empty()) r.cookies["duly_session"] = cookie;
        return d.handle(r);
    };
    // Sign in on the first dashboard (its own sessions, in the file).
    auto page = request(*first, "GET", "/sign-in", "");
    auto login = page.header("Set-Cookie").value_or("");
    auto token = login.substr(login.find('=') + 1, login.find(';') - login.find('=') - 1);
    Request post;
    post.method = "POST";
    post.path = "/sign-in";
    post.remoteAddress = "127.0.0.1";
    post.cookies["duly_login"] = token;
    post.form = {{"login_token", token}, {"user", "sali"}, {"password", kPassword}, {"next", "/my-work"}};
    auto signedIn = first->handle(post);
    std::string cookie;
    for (const auto& [name, value] : signedIn.headers)
        if (name == "Set-Cookie" && value.rfind("duly_session=", 0) == 0) cookie = value.substr(13, value.find(';') - 13);
    ASSERT_FALSE(cookie.empty());
    const std::string csrf = first->sessions().find(cookie, f.now)->csrf;
    first.reset();  // serve stops

    f.now += std::chrono::minutes{5};
    Dashboard second(DULY_SOURCE_HOME, f.store, &f.store, f.accounts, f.audit, [&f] { return f.now; }, f.errors, options);
    EXPECT_EQ(request(second, "GET", "/my-work", cookie).status, 200);
    // The form token of the page loaded before the restart still works.
    EXPECT_EQ(request(second, "POST", "/cases/" + f.replyCase + "/acknowledge", cookie, {{"csrf", csrf}}).status, 303);
    EXPECT_EQ(request(second, "POST", "/sign-out", cookie, {{"csrf", csrf}}).status, 303);

    Dashboard third(DULY_SOURCE_HOME, f.store, &f.store, f.accounts, f.audit, [&f] { return f.now; }, f.errors, options);
    auto after = request(third, "GET", "/my-work", cookie);
    EXPECT_EQ(after.status, 303);
    EXPECT_EQ(after.header("Location").value_or(""), "/sign-in?next=%2Fmy-work");
}

// Issue 17: two instances of serve on one store (two connections, two
// dashboards) behind a load balancer: a sign-in at one works at the other,
// a sign-out at the other ends it at both, and wrong passwords tried at
// both add up to the one account limit.
TEST(Dashboard, SessionsAndSignInLimitsAreSharedByInstancesOnOneStore) {
    WebFixture f;
    duly::store::SqliteCaseStore secondStore(f.dir.path() / "duly.db");
    DashboardOptions firstOptions, secondOptions;
    firstOptions.signInStore = &f.store;
    secondOptions.signInStore = &secondStore;
    Dashboard first(DULY_SOURCE_HOME, f.store, &f.store, f.accounts, f.audit, [&f] { return f.now; }, f.errors,
                    firstOptions);
    Dashboard second(DULY_SOURCE_HOME, secondStore, &secondStore, f.accounts, f.audit, [&f] { return f.now; },
                     f.errors, secondOptions);
    auto request = [&](Dashboard& d, const std::string& method, const std::string& path, const std::string& cookie,
                       Fields form = {}) {
        Request r;
        r.method = method;
        r.path = path;
        r.form = std::move(form);
        r.remoteAddress = "127.0.0.1";
        if (!cookie.empty()) r.cookies["duly_session"] = cookie;
        return d.handle(r);
    };
    auto signIn = [&](Dashboard& d, const std::string& user, const std::string& password) {
        auto page = request(d, "GET", "/sign-in", "");
        auto login = page.header("Set-Cookie").value_or("");
        auto token = login.substr(login.find('=') + 1, login.find(';') - login.find('=') - 1);
        Request post;
        post.method = "POST";
        post.path = "/sign-in";
        post.remoteAddress = "127.0.0.1";
        post.cookies["duly_login"] = token;
        post.form = {{"login_token", token}, {"user", user}, {"password", password}, {"next", "/my-work"}};
        auto answer = d.handle(post);
        std::string cookie;
        for (const auto& [name, value] : answer.headers)
            if (name == "Set-Cookie" && value.rfind("duly_session=", 0) == 0)
                cookie = value.substr(13, value.find(';') - 13);
        return std::make_pair(answer.status, cookie);
    };
    const auto [status, cookie] = signIn(first, "sali", kPassword);
    ASSERT_EQ(status, 303);
    ASSERT_FALSE(cookie.empty());
    const std::string csrf = first.sessions().find(cookie, f.now)->csrf;
    f.now += std::chrono::minutes{5};
    EXPECT_EQ(request(second, "GET", "/my-work", cookie).status, 200);
    EXPECT_EQ(request(second, "POST", "/cases/" + f.replyCase + "/acknowledge", cookie, {{"csrf", csrf}}).status, 303);
    EXPECT_EQ(request(second, "POST", "/sign-out", cookie, {{"csrf", csrf}}).status, 303);
    auto after = request(first, "GET", "/my-work", cookie);
    EXPECT_EQ(after.status, 303);
    EXPECT_EQ(after.header("Location").value_or(""), "/sign-in?next=%2Fmy-work");

    for (int i = 0; i < LoginThrottle::kPerAccount; ++i)
        EXPECT_EQ(signIn(i % 2 ? second : first, "sali", "not the password").first, 401) << i;
    // Locked at both, right password or not.
    EXPECT_EQ(signIn(first, "sali", kPassword).first, 429);
    EXPECT_EQ(signIn(second, "sali", kPassword).first, 429);
}

// Issue 14: an enquiry that is a complaint is reclassified from its page;
// its acknowledgement is due again by the complaint rule, counted from the
// day it arrived, and the history says who changed what and why.
TEST(Dashboard, ReclassifyAnEnquiryAsAComplaint) {
    WebFixture f;
    auto s = f.signIn("sali");
    const std::string base = "/cases/" + f.replyCase;
    EXPECT_TRUE(contains(f.get(base, s).body, "Change the kind"));
    EXPECT_EQ(f.post(base + "/reclassify", s, {{"kind", "complaint"}}).status, 400);
    EXPECT_EQ(f.post(base + "/reclassify", s, {{"kind", "complaint-stage-2"}}).status, 400);
    EXPECT_EQ(f.post(base + "/reclassify", s, {{"kind", "complaint-stage-1"}, {"reason", "The customer is complaining"}}).status,
              303);
    auto c = f.store.findCase(f.replyCase);
    EXPECT_EQ(c->kind, duly::engine::Kind::ComplaintStage1);
    // Received Monday 16 November 11:00: a stage 1 complaint is acknowledged
    // within 5 working days, by Monday 23 November at 17:00.
    ASSERT_TRUE(c->acknowledgeBy);
    EXPECT_EQ(*c->acknowledgeBy, at("2026-11-23T17:00:00Z"));
    EXPECT_TRUE(contains(f.get(base, s).body, "Reclassified: enquiry → complaint-stage-1: The customer is complaining"));
}

// Issue 14: a complaint received in November and taken to stage 2 in
// December counts in November's stage 1 figures (by the stage 1 dates kept
// on the case), and not in November's stage 2.
TEST(Dashboard, SelfAssessmentCountsStageOneOfALaterEscalation) {
    WebFixture f;
    f.now = at("2026-12-02T10:00:00Z");
    f.service.escalate(f.complaintCase, "rhughes", f.now, "rhughes");
    auto m = f.signIn("rhughes");
    auto page = f.get("/reports/self-assessment", m, {{"from", "2026-11-01"}, {"to", "2026-11-30"}});
    EXPECT_EQ(page.status, 200);
    // ackCase, otherTeamCase and complaintCase's stage 1.
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Complaints received</th><td>3</td><td>0</td>")) << page.body;
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Taken on to stage 2</th><td>1</td>"));
}

// Issue 14: the number of homes is a charter setting ([complaints] homes):
// with none typed in, the self-assessment takes it from the charters of its
// complaints. example-scotland manages 4,000 homes; progress sets none. In
// November: the fixture's three progress stage 1 complaints and one
// Scottish one, 4 per 4,000 homes = 1.0 per 1,000.
TEST(Dashboard, SelfAssessmentTakesHomesFromTheCharters) {
    WebFixture f;
    duly::engine::OpenCaseRequest r;
    r.charter = "example-scotland";
    r.channel = duly::engine::Channel::Email;
    r.kind = duly::engine::Kind::ComplaintStage1;
    r.received = at("2026-11-10T10:00:00Z");
    r.customerRef = "C10001";
    r.officerId = "sali";
    r.subject = "Repairs";
    f.service.open(r);
    auto m = f.signIn("rhughes");
    auto page = f.get("/reports/self-assessment", m, {{"from", "2026-11-01"}, {"to", "2026-11-30"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Complaints received</th><td>4</td>")) << page.body;
    EXPECT_TRUE(contains(page.body, "<th scope=\"row\">Per 1,000 homes</th><td>1.0</td>"));
    EXPECT_TRUE(contains(page.body, "Homes managed: 4000, from the charters"));
    // There is no field to type a number in, and one put in the address is ignored.
    EXPECT_FALSE(contains(page.body, "name=\"homes\""));
    auto typed = f.get("/reports/self-assessment", m, {{"from", "2026-11-01"}, {"to", "2026-11-30"}, {"homes", "2000"}});
    EXPECT_TRUE(contains(typed.body, "<th scope=\"row\">Per 1,000 homes</th><td>1.0</td>"));
}

// Issue 13: an officer marks a case urgent from its page; it then heads
// their queue in a "Marked urgent" section before the overdue ones.
TEST(Dashboard, ACaseMarkedUrgentHeadsTheQueue) {
    WebFixture f;
    auto s = f.signIn("sali");
    const std::string base = "/cases/" + f.replyCase;
    EXPECT_TRUE(contains(f.get(base, s).body, "Mark urgent"));
    EXPECT_FALSE(contains(f.get("/my-work", s).body, "Marked urgent ("));
    EXPECT_EQ(f.post(base + "/urgent", s, {{"reason", "No heating, tenant is 90"}}).status, 303);
    EXPECT_TRUE(f.store.findCase(f.replyCase)->urgent);
    // Marking it twice is refused with the reason on the page.
    EXPECT_EQ(f.post(base + "/urgent", s, {}).status, 400);
    const std::string queue = f.get("/my-work", s).body;
    // Both of its actions (acknowledge, then answer) are in the section.
    const auto urgentAt = queue.find("Marked urgent (2)");
    ASSERT_NE(urgentAt, std::string::npos) << queue;
    const auto caseAt = queue.find(f.replyCase, urgentAt);
    ASSERT_NE(caseAt, std::string::npos);
    // Its row is in the urgent section: before any other section's heading.
    EXPECT_EQ(queue.find("<h2", urgentAt + 1) == std::string::npos || queue.find("<h2", urgentAt + 1) > caseAt, true);
    EXPECT_TRUE(contains(f.get(base, s).body, "marked urgent: No heating, tenant is 90"));
    EXPECT_EQ(f.post(base + "/not-urgent", s, {}).status, 303);
    EXPECT_FALSE(f.store.findCase(f.replyCase)->urgent);
}

// Issue 13, the call log: an officer logs a phone message taken on the
// answerphone; it opens a case on their queue as a call-back with the
// charter's clock (Paragon: one working day), and recording the answered
// call closes it. Bad input is named and nothing is logged.
TEST(Dashboard, APhoneMessageIsLoggedCalledBackAndClosedByTheCall) {
    WebFixture f;
    auto s = f.signIn("sali");
    const std::string form = f.get("/phone-messages/new", s).body;
    EXPECT_TRUE(contains(form, "Number to call back"));
    EXPECT_TRUE(contains(form, "<option value=\"paragon\""));
    EXPECT_TRUE(contains(f.get("/my-work", s).body, "href=\"/phone-messages/new\""));

    // Refusals: no number and a customer with none; a time in the future.
    const std::size_t before = f.store.caseCount();
    auto r = f.post("/phone-messages", s, {{"charter", "paragon"}, {"customer", "C10001"}, {"about", "Boiler"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(contains(r.body, "needs a number to call back")) << r.body;
    EXPECT_TRUE(contains(r.body, "value=\"Boiler\""));  // what was typed stays
    r = f.post("/phone-messages", s,
               {{"charter", "paragon"}, {"phone", "07700 900999"}, {"about", "Boiler"}, {"when", "2026-11-25T08:00"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(contains(r.body, "in the future")) << r.body;
    r = f.post("/phone-messages", s, {{"charter", "paragon"}, {"phone", "07700 900999"}, {"about", "Boiler"}, {"when", "yesterday"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(f.store.caseCount(), before);

    // Left on the answerphone at 07:30 on Tuesday 24 November: due back by
    // the end of Tuesday (Paragon, one working day from day 0).
    r = f.post("/phone-messages", s,
               {{"charter", "paragon"}, {"customer", "C10001"}, {"name", "Tom Fairclough"}, {"phone", "07700 900999"},
                {"about", "Boiler pressure low"}, {"message", "Please ring back."}, {"when", "2026-11-24T07:30"},
                {"urgent", "1"}});
    ASSERT_EQ(r.status, 303) << r.body;
    CaseFilter filter;
    filter.officerId = "sali";
    std::string ref;
    for (const auto& c : f.store.listCases(filter))
        if (c.channel == Channel::PhoneMessage) ref = c.reference;
    ASSERT_FALSE(ref.empty());
    const Case logged = *f.store.findCase(ref);
    EXPECT_EQ(logged.callNumber, "07700 900999");
    EXPECT_EQ(logged.received, at("2026-11-24T07:30:00Z"));
    EXPECT_EQ(logged.respondBy, at("2026-11-25T17:00:00Z"));
    EXPECT_TRUE(logged.urgent);
    EXPECT_EQ(logged.charter, "paragon");
    // On the queue as a call to make, with the number.
    EXPECT_TRUE(contains(f.get("/my-work", s).body, "Call back 07700 900999 by")) << f.get("/my-work", s).body;

    const std::string base = "/cases/" + ref;
    const std::string page = f.get(base, s).body;
    EXPECT_TRUE(contains(page, "Record a call to 07700 900999"));
    EXPECT_TRUE(contains(page, "0 calls not answered so far. After 3 more, Duly writes to the customer instead."));
    EXPECT_EQ(f.post(base + "/call", s, {{"outcome", "engaged"}}).status, 400);
    EXPECT_EQ(f.post(base + "/call", s, {{"outcome", "no-answer"}}).status, 303);
    EXPECT_TRUE(contains(f.get(base, s).body, "1 call not answered so far. After 2 more"));
    EXPECT_EQ(f.post(base + "/call", s, {{"outcome", "answered"}, {"note", "Pressure reset"}}).status, 303);
    const Case done = *f.store.findCase(ref);
    EXPECT_EQ(done.state, CaseState::Closed);
    EXPECT_EQ(done.repliedAt, f.now);
    ASSERT_EQ(done.calls.size(), 2u);
    EXPECT_EQ(done.calls[1].note, "Pressure reset");
    EXPECT_EQ(done.calls[1].actor, "sali");
    EXPECT_TRUE(contains(f.get(base, s).body, "Pressure reset"));
}

// A customer who prefers the phone: their case is on the queue as a call to
// make, and the case page says what reply date to give them.
TEST(Dashboard, ACustomerWhoPrefersThePhoneIsACallTaskOnTheQueue) {
    WebFixture f;
    Customer pike;
    pike.reference = "C20001";
    pike.name = "Mrs Dora Pike";
    pike.email = "dora.pike@example.org";
    pike.phone = "07700 900201";
    pike.addressLine1 = "3 Quay Street";
    pike.postcode = "ZZ1 3CC";
    pike.preferredChannel = PreferredChannel::Phone;
    f.store.upsertCustomer(pike);
    OpenCaseRequest req;
    req.charter = "paragon";
    req.channel = Channel::Email;
    req.kind = Kind::Enquiry;
    req.received = at("2026-11-24T09:00:00Z");
    req.customerRef = "C20001";
    req.officerId = "sali";
    req.subject = "Fence panel down";
    const Case c = f.service.open(req);
    auto s = f.signIn("sali");
    EXPECT_TRUE(contains(f.get("/my-work", s).body, "Phone 07700 900201 to acknowledge by"));
    const std::string page = f.get("/cases/" + c.reference, s).body;
    // Five working days from Tuesday 24 November: Tuesday 1 December.
    EXPECT_TRUE(contains(page, "When they answer, tell them we will reply in full by <strong>Tuesday 1 December")) << page;
    EXPECT_EQ(f.post("/cases/" + c.reference + "/call", s, {{"outcome", "answered"}}).status, 303);
    const Case after = *f.store.findCase(c.reference);
    EXPECT_EQ(after.acknowledgedAt, f.now);
    EXPECT_EQ(after.state, CaseState::Open);
    EXPECT_FALSE(contains(f.get("/my-work", s).body, "Phone 07700 900201 to acknowledge"));
}

// Issue 14: a representative, remedies and a referral are recorded from the
// case page; each is shown there and in the timeline with who recorded it,
// and a representative without consent is refused with the reason.
TEST(Dashboard, RepresentativeRemediesAndReferralFromTheCasePage) {
    WebFixture f;
    auto s = f.signIn("sali");
    const std::string base = "/cases/" + f.complaintCase;
    const auto page = f.get(base, s).body;
    EXPECT_TRUE(contains(page, "action=\"/cases/" + f.complaintCase + "/representative\""));
    EXPECT_TRUE(contains(page, "No representative: letters go to the customer."));

    Fields rep{{"name", "Ms Priya Patel MP"}, {"kind", "mp"}, {"salutation", "Dear Ms Patel"},
               {"email", "priya.patel@parliament.example.org"}, {"consent_at", "2026-11-23"}, {"consent_how", ""},
               {"send_to", "representative-only"}};
    auto refused = f.post(base + "/representative", s, rep);
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "A representative needs the customer&#39;s consent") ||
                contains(refused.body, "A representative needs the customer&#x27;s consent"))
        << refused.body;
    EXPECT_FALSE(f.store.findCase(f.complaintCase)->representative);
    rep["consent_how"] = "signed form";
    EXPECT_EQ(f.post(base + "/representative", s, rep).status, 303);
    auto c = f.store.findCase(f.complaintCase);
    ASSERT_TRUE(c->representative);
    EXPECT_EQ(c->representative->sendTo, duly::engine::SendTo::RepresentativeOnly);
    EXPECT_EQ(c->representative->consentAt, at("2026-11-23T00:00:00Z"));

    EXPECT_EQ(f.post(base + "/remedy", s, {{"kind", "compensation"}, {"detail", "three weeks without a door"},
                                           {"amount", "lots"}}).status,
              400);
    EXPECT_EQ(f.post(base + "/remedy", s, {{"kind", "compensation"}, {"detail", "three weeks without a door"},
                                           {"amount", "125.50"}}).status,
              303);
    EXPECT_EQ(f.post(base + "/remedy", s, {{"kind", "action"}, {"detail", "replace the back door"}, {"by", "2026-12-18"}}).status,
              303);
    EXPECT_EQ(f.post(base + "/referral", s, {{"referred_at", "2026-11-24"}}).status, 303);
    EXPECT_EQ(f.post(base + "/referral", s, {{"referred_at", "2026-11-24"}, {"outcome", "service-failure"},
                                             {"outcome_at", "2026-11-24"}}).status,
              303);
    c = f.store.findCase(f.complaintCase);
    ASSERT_EQ(c->remedies.size(), 2u);
    EXPECT_EQ(c->remedies[0].amountPence, 12550);
    ASSERT_TRUE(c->referral);
    EXPECT_EQ(c->referral->outcome, "service-failure");

    const auto after = f.get(base, s).body;
    EXPECT_TRUE(contains(after, "Representative: <strong>Ms Priya Patel MP</strong> (mp)")) << after;
    EXPECT_TRUE(contains(after, "Letters go to the representative only."));
    EXPECT_TRUE(contains(after, "<td>compensation</td><td>three weeks without a door</td><td>—</td><td>£125.50</td>"));
    EXPECT_TRUE(contains(after, "outcome: <strong>service-failure</strong>"));
    EXPECT_TRUE(contains(after, "Representative: representative added: Ms Priya Patel MP (mp)"));
    EXPECT_TRUE(contains(f.auditText(), "\tsali\trepresentative refused\t" + f.complaintCase));
    EXPECT_TRUE(contains(f.auditText(), "\tsali\tremedy\t" + f.complaintCase + "\tcompensation £125.50"));

    EXPECT_EQ(f.post(base + "/remove-representative", s, {{"reason", "consent withdrawn"}}).status, 303);
    EXPECT_FALSE(f.store.findCase(f.complaintCase)->representative);
    EXPECT_TRUE(contains(f.get(base, s).body, "representative removed: Ms Priya Patel MP (mp); consent withdrawn"));

    // The reports count them.
    auto m = f.signIn("rhughes");
    const auto report = f.get("/reports", m, {{"from", "2026-11-01"}, {"to", "2026-11-30"}}).body;
    EXPECT_TRUE(contains(report, "<th scope=\"row\">Compensation payments</th><td>1</td>")) << report;
    EXPECT_TRUE(contains(report, "<th scope=\"row\">Total paid</th><td>£125.50</td>"));
    EXPECT_TRUE(contains(report, "<th scope=\"row\">Ombudsman's outcomes</th><td>service-failure 1</td>"));
    const auto sa = f.get("/reports/self-assessment.csv", m, {{"from", "2026-11-01"}, {"to", "2026-11-30"}}).body;
    EXPECT_TRUE(contains(sa, "actions_promised,1,\r\ngoodwill_payments,0,\r\ncompensation_payments,1,\r\npaid_pounds,125.50,\r\n"
                             "ombudsman_referrals,1,\r\nombudsman_outcomes,service-failure 1,\r\n"))
        << sa;
}

// Issue 14: refusing stage 2 from the dashboard is for managers, needs a
// reason, and is written to the audit log like the other actions.
TEST(Dashboard, RefusingStageTwoIsAManagersButtonWithAReason) {
    std::vector<std::string> calls;
    DashboardOptions options;
    options.refuseEscalation = [&](const std::string& ref, const std::string& reason, const std::string& officer, duly::engine::Instant) {
        if (reason.empty()) throw duly::engine::InputError("say why stage 2 is refused, in words the customer will understand");
        calls.push_back(ref + "|" + reason + "|" + officer);
        return std::string("by email to tom@example.org");
    };
    WebFixture f(options);
    const std::string base = "/cases/" + f.complaintCase;
    auto officer = f.signIn("sali");
    EXPECT_FALSE(contains(f.get(base, officer).body, "/refuse-escalation\""));
    EXPECT_EQ(f.post(base + "/refuse-escalation", officer, {{"reason", "outside the policy"}}).status, 403);
    auto m = f.signIn("rhughes");
    EXPECT_TRUE(contains(f.get(base, m).body, "action=\"/cases/" + f.complaintCase + "/refuse-escalation\""));
    // Not on an enquiry.
    EXPECT_FALSE(contains(f.get("/cases/" + f.replyCase, m).body, "/refuse-escalation\""));
    EXPECT_EQ(f.post(base + "/refuse-escalation", m, {{"reason", ""}}).status, 400);
    EXPECT_EQ(f.post(base + "/refuse-escalation", m, {{"reason", "The matter was decided by the court"}}).status, 303);
    EXPECT_EQ(calls, (std::vector<std::string>{f.complaintCase + "|The matter was decided by the court|rhughes"}));
    const std::string audit = f.auditText();
    EXPECT_TRUE(contains(audit, "\trhughes\trefuse-escalation refused\t" + f.complaintCase));
    EXPECT_TRUE(contains(audit, "\trhughes\trefuse-escalation\t" + f.complaintCase +
                                    "\tby email to tom@example.org: The matter was decided by the court"));
    // Without a way to send letters the button is not there.
    WebFixture plain;
    auto pm = plain.signIn("rhughes");
    EXPECT_FALSE(contains(plain.get("/cases/" + plain.complaintCase, pm).body, "/refuse-escalation\""));
}

namespace {

// The status page lists the instances of serve from the store's heartbeat
// rows: alive (seen within two minutes) with what each holds, and those
// gone quiet apart; officers may not see it; names are escaped.
TEST(Dashboard, StatusListsTheInstancesAliveAndThoseGoneQuiet) {
    WebFixture f;
    using namespace std::chrono_literals;
    f.store.heartbeat({"a<b>", "host-1", 101, f.now - 1h, f.now - 3s, {"mailbox:customer-services", "tick"}});
    f.store.heartbeat({"b", "host-2", 202, f.now - 1h, f.now - 10s, {}});
    f.store.heartbeat({"c", "host-3", 303, f.now - 2h, f.now - 10min, {"mailbox:complaints"}});
    EXPECT_EQ(f.get("/status", f.signIn("sali")).status, 403);
    auto manager = f.signIn("rhughes");
    auto r = f.get("/status", manager);
    ASSERT_EQ(r.status, 200);
    const auto running = r.body.find("<h2>Running</h2>"), quiet = r.body.find("<h2>Gone quiet</h2>");
    ASSERT_NE(running, std::string::npos);
    ASSERT_NE(quiet, std::string::npos);
    const auto a = r.body.find("a&lt;b&gt;"), b = r.body.find("<td>b</td>"), c = r.body.find("<td>c</td>");
    EXPECT_TRUE(running < a && a < quiet) << r.body;
    EXPECT_TRUE(running < b && b < quiet);
    EXPECT_GT(c, quiet);
    EXPECT_FALSE(contains(r.body, "a<b>"));
    EXPECT_TRUE(contains(r.body, "mailbox customer-services, the scheduler&#39;s tick and retention")) << r.body;
    EXPECT_TRUE(contains(r.body, "nothing (standing by)"));
    EXPECT_TRUE(contains(r.body, "<a href=\"/status\" aria-current=\"page\">Status</a>"));
    EXPECT_FALSE(contains(f.get("/my-work", f.signIn("sali")).body, "href=\"/status\""));
    EXPECT_TRUE(contains(f.auditText(), "rhughes\tviewed status"));
}

}  // namespace
