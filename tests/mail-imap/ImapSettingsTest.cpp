// The parts of the IMAP side that need no server: mailbox URLs (ports,
// security, folders, the exact errors) and INTERNALDATE times.
#include "duly/engine/InputError.h"
#include "duly/mail/ImapClient.h"
#include "duly/mail/ImapWatcher.h"

#include <gtest/gtest.h>

#include <chrono>

using duly::engine::InputError;
using duly::mail::ImapSecurity;
using duly::mail::parseImapUrl;
using duly::mail::parseInternalDate;

namespace {

TEST(ImapUrl, SecurityPortAndFolder) {
    auto u = parseImapUrl("imaps://imap.example.org/Complaints", false);
    EXPECT_EQ(u.security, ImapSecurity::ImplicitTls);
    EXPECT_EQ(u.host, "imap.example.org");
    EXPECT_EQ(u.port, 993u);
    EXPECT_EQ(u.folder, "Complaints");

    u = parseImapUrl("imap://127.0.0.1:1143/INBOX/Sub folder", false);
    EXPECT_EQ(u.security, ImapSecurity::StartTls);
    EXPECT_EQ(u.port, 1143u);
    EXPECT_EQ(u.folder, "INBOX/Sub folder");

    u = parseImapUrl("imap://localhost", true);
    EXPECT_EQ(u.security, ImapSecurity::Plain);
    EXPECT_EQ(u.port, 143u);
    EXPECT_EQ(u.folder, "INBOX");

    // plain never weakens imaps://
    EXPECT_EQ(parseImapUrl("imaps://h:1/X", true).security, ImapSecurity::ImplicitTls);

    u = parseImapUrl("imaps://[::1]:9993/INBOX", false);
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 9993u);
}

TEST(ImapUrl, ErrorsNameTheUrl) {
    const struct {
        const char* url;
        const char* message;
    } cases[] = {
        {"pop3://h/INBOX", "mailbox url \"pop3://h/INBOX\": expected imap://HOST[:PORT]/FOLDER or imaps://HOST[:PORT]/FOLDER"},
        {"imaps://h:0/INBOX", "mailbox url \"imaps://h:0/INBOX\": port \"0\" is not between 1 and 65535"},
        {"imaps://h:99999/INBOX", "mailbox url \"imaps://h:99999/INBOX\": port \"99999\" is not between 1 and 65535"},
        {"imaps://h:x/INBOX", "mailbox url \"imaps://h:x/INBOX\": port \"x\" is not between 1 and 65535"},
        {"imaps:///INBOX", "mailbox url \"imaps:///INBOX\": no host"},
    };
    for (const auto& c : cases) {
        try {
            parseImapUrl(c.url, false);
            ADD_FAILURE() << c.url << " was accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), c.message);
        }
    }
}

TEST(ImapInternalDate, ParsesOffsetsAndPaddedDays) {
    using namespace std::chrono;
    const auto expected = sys_days(year{2026} / December / 2) + hours(1) + minutes(39) + seconds(36);
    EXPECT_EQ(parseInternalDate("02-Dec-2026 01:39:36 +0000"), expected);
    EXPECT_EQ(parseInternalDate(" 2-Dec-2026 02:39:36 +0100"), expected);
    EXPECT_EQ(parseInternalDate("2-Dec-2026 00:09:36 -0130"), expected);
    EXPECT_EQ(parseInternalDate("31-Feb-2026 01:39:36 +0000"), std::nullopt);
    EXPECT_EQ(parseInternalDate("02-Foo-2026 01:39:36 +0000"), std::nullopt);
    EXPECT_EQ(parseInternalDate("02-Dec-2026 25:39:36 +0000"), std::nullopt);
    EXPECT_EQ(parseInternalDate("02-Dec-2026 01:39:36"), std::nullopt);
    EXPECT_EQ(parseInternalDate(""), std::nullopt);
}

}  // namespace
