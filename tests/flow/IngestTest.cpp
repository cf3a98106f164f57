// Ingest against a real SQLite store and the shipped charters and
// templates: a new case with its acknowledgement queued in the same write,
// a reply joining its case, a machine not answered, and a message too
// large to read kept in quarantine from its first bytes.
#include "duly/flow/Ingest.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/ZoneRules.h"

#include "../support/SampleStore.h"
#include "MailTestSupport.h"

#include <gtest/gtest.h>

using namespace duly::engine;
using namespace duly::testsupport;
using duly::flow::Ingest;
using duly::flow::IngestResult;
namespace fs = std::filesystem;

namespace {

class IngestTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = freshTestFolder("ingest");
        _store = sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _renderer = std::make_unique<Renderer>(DULY_SOURCE_HOME);
        _ingest = std::make_unique<Ingest>(*_store, *_store, *_charters, *_renderer, progressIdentity());
        _mailbox = maildirMailbox(_dir / "inbox");
    }
    void TearDown() override { fs::remove_all(_dir); }

    const Instant kNow = parseRfc3339("2026-11-23T10:00:00Z");
    fs::path _dir;
    duly::flow::MailboxConfig _mailbox;
    std::unique_ptr<duly::store::SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Renderer> _renderer;
    std::unique_ptr<Ingest> _ingest;
};

TEST_F(IngestTest, NewMessageOpensACaseWithItsAcknowledgementQueued) {
    const IngestResult r =
        _ingest->take(_mailbox, plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>"), kNow);
    EXPECT_EQ(r.action, IntakePlan::Action::OpenCase);
    EXPECT_TRUE(r.acknowledgementQueued);
    EXPECT_FALSE(r.quarantined);
    const auto c = _store->findCase(r.caseReference);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->customerRef, "C10004");
    const auto out = _store->outbound(r.caseReference);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].state, OutboundMessage::State::Queued);
    // Made by Dispatch: threaded on the customer's message, marked automatic.
    EXPECT_NE(out[0].bytes.find("In-Reply-To: <door@example.org>"), std::string::npos);
    EXPECT_NE(out[0].bytes.find("Auto-Submitted: auto-replied"), std::string::npos);
    // The date the acknowledgement gives is kept on the case with it.
    EXPECT_FALSE(c->datesGiven.empty());
}

TEST_F(IngestTest, AReplyJoinsItsCaseAndIsNotAcknowledgedAgain) {
    const IngestResult first =
        _ingest->take(_mailbox, plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>"), kNow);
    const IngestResult reply = _ingest->take(
        _mailbox,
        plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Re: Back door", "<door-2@example.org>",
                     "In-Reply-To: <door@example.org>\r\n"),
        kNow + std::chrono::hours(1));
    EXPECT_EQ(reply.action, IntakePlan::Action::JoinCase);
    EXPECT_EQ(reply.caseReference, first.caseReference);
    EXPECT_FALSE(reply.acknowledgementQueued);
    EXPECT_EQ(_store->caseCount(), 1u);
    EXPECT_EQ(_store->outbound(first.caseReference).size(), 1u);
    EXPECT_EQ(_store->findCase(first.caseReference)->items.size(), 2u);
}

TEST_F(IngestTest, AMachineIsNotAnswered) {
    const IngestResult r = _ingest->take(
        _mailbox,
        plainMessage("Mailer <noreply@example.org>", "Out of office", "<ooo@example.org>", "Auto-Submitted: auto-replied\r\n"),
        kNow);
    EXPECT_EQ(r.action, IntakePlan::Action::OpenCase);
    EXPECT_FALSE(r.acknowledgementQueued);
    EXPECT_FALSE(r.noAcknowledgementReason.empty());
    EXPECT_TRUE(_store->outbound(r.caseReference).empty());
}

TEST_F(IngestTest, ATooLargeMessageIsKeptFromItsHeadInQuarantine) {
    const std::string head = plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Photos", "<photos@example.org>");
    const IngestResult r = _ingest->takeTooLarge(_mailbox, head, kNow, "the message is 71680087 bytes, over the limit of 67108864");
    EXPECT_TRUE(r.quarantined);
    EXPECT_EQ(r.action, IntakePlan::Action::OpenCase);
    const auto kept = _store->quarantined(10);
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].reason, "the message is 71680087 bytes, over the limit of 67108864; the first " +
                                  std::to_string(head.size()) + " bytes are kept");
    EXPECT_EQ(kept[0].caseReference, r.caseReference);
    EXPECT_EQ(kept[0].raw, head);
    // It still counts: a case for triage, with its text left out (cut short, not to be trusted).
    const auto c = _store->findCase(r.caseReference);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->items.size(), 1u);
    EXPECT_EQ(c->items[0].body, "");
}

}  // namespace

namespace {
const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}

// A NUL in a message's text (=00 in an encoded word or quoted-printable, a
// raw NUL byte in an 8bit body): Poco's PostgreSQL binder used
// to cut the text there while SQLite kept it whole. Now the decoding turns
// each into U+FFFD, so the message is taken in (not quarantined, not lost),
// acknowledged, and both stores keep the same whole text. (A raw NUL byte in a header is
// refused by the MIME parser and the message quarantined, as before.)
TEST_F(IngestTest, ANulInTheTextBecomesAReplacementCharacterOnBothStores) {
    const std::string qp =
        "From: Tom Fairclough <tom.fairclough@example.org>\r\nTo: customer.services@progress.example.org\r\n"
        "Subject: =?utf-8?q?Back=00door?=\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <nul-qp@example.org>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        "\r\nThe back door=00 sticks and the rest is kept.\r\n";
    const IngestResult r = _ingest->take(_mailbox, qp, kNow);
    EXPECT_FALSE(r.quarantined);
    EXPECT_TRUE(r.acknowledgementQueued);
    const auto c = _store->findCase(r.caseReference);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->items.size(), 1u);
    EXPECT_EQ(c->items[0].subject, "Back" + kReplacement + "door");
    EXPECT_NE(c->items[0].body.find("The back door" + kReplacement + " sticks and the rest is kept."), std::string::npos);
    EXPECT_EQ(c->items[0].body.find('\0'), std::string::npos);

    std::string raw8bit =
        "From: Tom Fairclough <tom.fairclough@example.org>\r\nTo: customer.services@progress.example.org\r\n"
        "Subject: Window\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <nul-raw@example.org>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
        "\r\nThe window X will not close \xE2\x80\x94 all of it is kept.\r\n";
    for (auto p = raw8bit.find('X'); p != std::string::npos; p = raw8bit.find('X', p + 1)) raw8bit[p] = '\0';
    const IngestResult second = _ingest->take(_mailbox, raw8bit, kNow + std::chrono::minutes(5));
    EXPECT_FALSE(second.quarantined);
    const auto c2 = _store->findCase(second.caseReference);
    ASSERT_TRUE(c2);
    EXPECT_EQ(c2->items[0].subject, "Window");
    EXPECT_NE(c2->items[0].body.find("The window " + kReplacement + " will not close \xE2\x80\x94 all of it is kept."),
              std::string::npos);
    // The raw message is bytes (BLOB / bytea) and keeps its NULs as they came.
    EXPECT_EQ(_store->rawItem(c2->items[0].id), raw8bit);
}
