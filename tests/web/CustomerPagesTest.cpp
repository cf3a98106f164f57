// A customer's record on the dashboard, through Dashboard::handle on a real
// SQLite store: only managers see it; a correction is saved with its
// history and audited; a bad one answers 400 with the message and changes
// nothing; the subject access download is a zip attachment, audited; the
// reports page shows the cases due for anonymisation.
#include "WebFixture.h"

using namespace duly::web;
using namespace duly::web::test;

namespace {

TEST(CustomerPagesTest, AnOfficerIsRefused) {
    WebFixture f({}, true);
    const auto officer = f.signIn("sali");
    EXPECT_EQ(f.get("/customers/C10001", officer).status, 403);
    EXPECT_EQ(f.post("/customers/C10001", officer, {{"name", "Someone Else"}}).status, 403);
    EXPECT_EQ(f.post("/customers/C10001/export", officer, {}).status, 403);
    EXPECT_EQ(f.store.customer("C10001")->name, "Tom Fairclough");
}

TEST(CustomerPagesTest, AManagerCorrectsTheRecordAndTheHistoryKeepsIt) {
    WebFixture f({}, true);
    const auto manager = f.signIn("rhughes");
    const auto page = f.get("/customers/C10001", manager);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("value=\"Tom Fairclough\""), std::string::npos);
    auto r = f.post("/customers/C10001", manager,
                    {{"name", "Tom Fairclough"}, {"postcode", "pr25 3nn"}, {"address-line-1", "27 Golden Hill"},
                     {"preferred-contact", "post"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/customers/C10001?done=edit");
    const auto c = *f.store.customer("C10001");
    EXPECT_EQ(c.postcode, "PR25 3NN");
    EXPECT_EQ(c.preferredChannel, PreferredChannel::Post);
    const auto history = f.store.customerChanges("C10001");
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].field, "address-line-1");
    EXPECT_EQ(history[0].actor, "rhughes");
    EXPECT_EQ(history[0].at, f.now);
    EXPECT_NE(f.auditText().find("\trhughes\tcorrected customer\tC10001\taddress-line-1, postcode, preferred-contact\n"),
              std::string::npos);
    EXPECT_NE(f.get("/customers/C10001", manager).body.find("<td>postcode</td><td></td><td>PR25 3NN</td>"),
              std::string::npos);
}

TEST(CustomerPagesTest, TheCasePageLinksToTheRecordForManagersOnly) {
    WebFixture f({}, true);
    const std::string link = "<a href=\"/customers/C10001\">Their record</a>";
    EXPECT_NE(f.get("/cases/" + f.replyCase, f.signIn("rhughes")).body.find(link), std::string::npos);
    EXPECT_EQ(f.get("/cases/" + f.replyCase, f.signIn("sali")).body.find(link), std::string::npos);
    WebFixture without;
    EXPECT_EQ(without.get("/cases/" + without.replyCase, without.signIn("rhughes")).body.find(link), std::string::npos);
}

TEST(CustomerPagesTest, ABadCorrectionIsRefusedWithTheFormAsTyped) {
    WebFixture f({}, true);
    const auto manager = f.signIn("rhughes");
    auto r = f.post("/customers/C10001", manager, {{"name", "Tom <b>Fairclough</b>"}, {"email", "tom at home"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("email: expected an email address such as j.smith@example.org, or nothing, found "
                          "&quot;tom at home&quot;"),
              std::string::npos);
    EXPECT_NE(r.body.find("value=\"Tom &lt;b&gt;Fairclough&lt;/b&gt;\""), std::string::npos);
    EXPECT_EQ(f.store.customer("C10001")->name, "Tom Fairclough");
    EXPECT_TRUE(f.store.customerChanges("C10001").empty());
    EXPECT_NE(f.auditText().find("\trhughes\tcorrection refused\tC10001\t"), std::string::npos);
}

TEST(CustomerPagesTest, TheSubjectAccessDownloadIsAZipAndAudited) {
    WebFixture f({}, true);
    const auto manager = f.signIn("rhughes");
    auto r = f.post("/customers/C10001/export", manager, {});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.contentType, "application/zip");
    EXPECT_EQ(r.body, "zip of C10001");
    EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"duly-subject-access-C10001-2026-11-24.zip\"");
    EXPECT_NE(f.auditText().find("\trhughes\texported customer\tC10001\t13 bytes\n"), std::string::npos);
    EXPECT_EQ(f.post("/customers/C99999/export", manager, {}).status, 404);
    EXPECT_EQ(f.post("/customers/C10001/export", manager, {}, false).status, 403);  // no CSRF token
}

TEST(CustomerPagesTest, TheReportsPageCountsCasesDueForAnonymisation) {
    WebFixture f({}, true);
    const auto manager = f.signIn("rhughes");
    EXPECT_NE(f.get("/reports", manager).body.find("Due for anonymisation this month (past their charter's retention "
                                                   "period): <strong>3 cases</strong>"),
              std::string::npos);
    WebFixture without;
    EXPECT_EQ(without.get("/reports", without.signIn("rhughes")).body.find("Due for anonymisation"), std::string::npos);
}

}  // namespace
