// AutomaticMessage: each loop rule, from headers to the reason written on
// the case; and messages a person wrote that must still be answered.
#include "duly/mail/AutomaticMessage.h"
#include "duly/mail/MimeParser.h"

#include <gtest/gtest.h>

using namespace duly::mail;

namespace {

std::optional<std::string> reasonFor(const std::string& headers) {
    const MimeResult r = parseMime(headers + "\r\n\r\nbody\r\n");
    EXPECT_TRUE(r.ok()) << headers;
    return automaticReason(r.message, {"customer.services@progressgroup.org.uk", "Complaints@Progressgroup.org.uk"});
}

TEST(AutomaticMessage, EachRule) {
    struct Case {
        std::string headers;
        std::string reason;
    };
    const std::string from = "From: tom@example.org\r\n";
    const std::vector<Case> cases = {
        {from + "Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"},
        {from + "Auto-Submitted: auto-generated; owner-email=\"x@y\"", "Auto-Submitted: auto-generated; owner-email=\"x@y\""},
        {from + "Precedence: bulk", "Precedence: bulk"},
        {from + "Precedence: LIST", "Precedence: list"},
        {from + "Precedence: junk", "Precedence: junk"},
        {from + "List-Id: <tenants.example.org>", "a mailing list message (List-Id)"},
        {from + "list-unsubscribe: <mailto:x@y>", "a mailing list message (list-unsubscribe)"},
        {from + "Return-Path: <>", "a null return path (Return-Path: <>)"},
        {from + "Return-Path: < >", "a null return path (Return-Path: <>)"},
        {from + "X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress: All"},
        {from + "X-Auto-Response-Suppress: DR, AutoReply", "X-Auto-Response-Suppress: DR, AutoReply"},
        {from + "X-Autoreply: yes", "an automatic reply (X-Autoreply)"},
        {from + "X-Autorespond: yes", "an automatic reply (X-Autorespond)"},
        {from + "X-Duly-Loop: duly.progressgroup.org.uk", "a message Duly sent (X-Duly-Loop)"},
        {from + "X-Loop: complaints@progressgroup.org.uk", "a message Duly sent came back (X-Loop: complaints@progressgroup.org.uk)"},
        {from + "X-Loop: helpdesk@example.org\r\nX-Loop: <Complaints@ProgressGroup.org.uk>",
         "a message Duly sent came back (X-Loop: complaints@progressgroup.org.uk)"},
        {"From: MAILER-DAEMON@mx.example.org", "a machine's address (MAILER-DAEMON@mx.example.org)"},
        {"From: Mail System <postmaster@example.org>", "a machine's address (postmaster@example.org)"},
        {"From: LISTSERV@lists.example.org", "a machine's address (LISTSERV@lists.example.org)"},
        {"From: majordomo@example.org", "a machine's address (majordomo@example.org)"},
        {"From: No Reply <no-reply@bank.example>", "a machine's address (no-reply@bank.example)"},
        {"From: noreply@example.org", "a machine's address (noreply@example.org)"},
        {"From: donotreply@example.org", "a machine's address (donotreply@example.org)"},
        {"From: tenants-request@lists.example.org", "a list's request address (tenants-request@lists.example.org)"},
        {"From: owner-tenants@lists.example.org", "a list owner's address (owner-tenants@lists.example.org)"},
        {"From: tenants-bounces@lists.example.org", "a bounce address (tenants-bounces@lists.example.org)"},
        {"From: complaints@progressgroup.org.uk", "mail from Duly's own address complaints@progressgroup.org.uk"},
        {"From: Customer.Services@ProgressGroup.org.uk", "mail from Duly's own address Customer.Services@ProgressGroup.org.uk"},
    };
    for (const auto& c : cases) {
        auto why = reasonFor(c.headers);
        ASSERT_TRUE(why.has_value()) << c.headers;
        EXPECT_EQ(*why, c.reason);
    }
}

TEST(AutomaticMessage, PeopleAreAnswered) {
    const std::vector<std::string> people = {
        "From: tom@example.org",
        "From: tom@example.org\r\nAuto-Submitted: no",
        "From: tom@example.org\r\nAuto-Submitted: No (a person wrote this)",
        "From: tom@example.org\r\nPrecedence: first-class",
        "From: tom@example.org\r\nReturn-Path: <tom@example.org>",
        "From: tom@example.org\r\nX-Auto-Response-Suppress: OOF",
        "From: postmaster-jones@example.org",    // a person whose name starts like a machine
        "From: requests@example.org",
        "From: tom@example.org\r\nX-Listing: yes",  // not a List-* header
        "From: tom@example.org\r\nX-Loop: helpdesk@example.org",  // another system's loop marker, not ours
    };
    for (const auto& h : people) EXPECT_EQ(reasonFor(h), std::nullopt) << h;
}

TEST(AutomaticMessage, DeliveryReports) {
    const MimeResult r = parseMime(
        "From: someone@example.org\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=r\r\n\r\n"
        "--r\r\n\r\nread\r\n--r--\r\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(automaticReason(r.message, {}), "a disposition-notification report (multipart/report)");
}

}  // namespace
