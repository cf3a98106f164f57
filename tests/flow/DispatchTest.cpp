// Dispatch, the one door for what Duly sends, against a real store, the
// shipped templates and charters: the route chosen once, email threaded on
// the customer's message and marked as RFC 3834 asks, letters queued as
// orders with their facts, and refusals kept as records, never half-made.
#include "duly/flow/Dispatch.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/DocumentWriters.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"

#include "../support/SampleStore.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duly::engine;
using duly::flow::CustomerDocument;
using duly::flow::Dispatch;
namespace fs = std::filesystem;

namespace {


class DispatchTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = duly::testsupport::freshTestFolder("dispatch");
        _store = duly::testsupport::sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _renderer = std::make_unique<Renderer>(DULY_SOURCE_HOME);
        _dispatch = std::make_unique<Dispatch>(
            *_renderer, *_store, *_charters,
            duly::flow::SenderIdentity{"Progress Housing Group", "customer.services@progress.example.org",
                                       "duly.progress.example.org"});
    }
    void TearDown() override { fs::remove_all(_dir); }

    Case emailCase(const std::string& customer, const std::vector<std::string>& sources) {
        return duly::testsupport::sampleCase("PHG-2026-00042", Channel::Email, customer, sources);
    }

    CustomerDocument document(CustomerDocument::What what, const std::string& key) {
        CustomerDocument d;
        d.what = what;
        d.documentKey = key;
        d.details.date = kNow;
        return d;
    }

    CustomerDocument holdingReply() {
        CustomerDocument d = document(CustomerDocument::What::HoldingReply, "holding-reply");
        d.details.holding = HoldingReplyDetails{"we are waiting for the contractor", parseRfc3339("2026-12-07T17:00:00Z")};
        return d;
    }

    const Instant kNow = parseRfc3339("2026-11-23T10:05:00Z");
    fs::path _dir;
    std::unique_ptr<duly::store::SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Renderer> _renderer;
    std::unique_ptr<Dispatch> _dispatch;
};

bool hasHeader(const std::string& bytes, const std::string& line) {
    const std::string head = bytes.substr(0, bytes.find("\r\n\r\n"));
    return ("\r\n" + head + "\r\n").find("\r\n" + line + "\r\n") != std::string::npos;
}

}  // namespace

TEST_F(DispatchTest, AnAcknowledgementByEmailIsThreadedOnTheCustomersMessageAndMarkedAutomatic) {
    const auto sent = _dispatch->toCustomer(emailCase("C10004", {"<door-1@example.org>"}),
                                            document(CustomerDocument::What::Acknowledgement, "acknowledgement"), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    ASSERT_EQ(sent.messages.size(), 1u);
    const OutboundMessage& m = sent.messages[0];
    EXPECT_EQ(m.route, OutboundMessage::Route::Email);
    EXPECT_EQ(m.recipient, "tom.fairclough@example.org");
    EXPECT_EQ(m.messageKey, "<PHG-2026-00042.acknowledgement@duly.progress.example.org>");
    EXPECT_EQ(m.state, OutboundMessage::State::Queued);
    EXPECT_TRUE(hasHeader(m.bytes, "In-Reply-To: <door-1@example.org>"));
    EXPECT_TRUE(hasHeader(m.bytes, "References: <door-1@example.org>"));
    EXPECT_TRUE(hasHeader(m.bytes, "Auto-Submitted: auto-replied"));
    EXPECT_EQ(sent.how, "by email to tom.fairclough@example.org");
}

TEST_F(DispatchTest, ThreadsOnTheLatestRealMessageNeverOnAnIdDulyMadeUp) {
    const auto sent = _dispatch->toCustomer(
        emailCase("C10004", {"<door-1@example.org>", "<door-2@example.org>", "<collision.0123456789abcdef.door-1@example.org>",
                             "<abc@no-message-id.duly.invalid>"}),
        holdingReply(), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    EXPECT_TRUE(hasHeader(sent.messages[0].bytes, "In-Reply-To: <door-2@example.org>"));
    // A holding reply is sent because a date came, not because a message did.
    EXPECT_TRUE(hasHeader(sent.messages[0].bytes, "Auto-Submitted: auto-generated"));
}

TEST_F(DispatchTest, AnOfficersReplyIsNotMarkedAutomatic) {
    auto reply = document(CustomerDocument::What::Reply, "reply");
    reply.details.replyBody = "The door will be fixed on Friday.";
    const auto sent = _dispatch->toCustomer(emailCase("C10004", {"<door-1@example.org>"}), reply, kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    EXPECT_EQ(sent.messages[0].bytes.find("Auto-Submitted:"), std::string::npos);
    EXPECT_NE(sent.messages[0].bytes.find("The door will be fixed on Friday."), std::string::npos);
}

TEST_F(DispatchTest, ALetterIsQueuedAsAnOrderWithTheFactsItStates) {
    // C10003 reads letters (preferred channel post, large print).
    auto holding = document(CustomerDocument::What::HoldingReply, "holding-reply");
    const Instant newDate = parseRfc3339("2026-12-11T17:00:00Z");
    holding.details.holding = HoldingReplyDetails{"We are waiting for a surveyor's report", newDate};
    const auto sent = _dispatch->toCustomer(emailCase("C10003", {"<x@example.org>"}), holding, kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    ASSERT_EQ(sent.messages.size(), 1u);
    const OutboundMessage& m = sent.messages[0];
    EXPECT_EQ(m.route, OutboundMessage::Route::Post);
    EXPECT_EQ(m.messageKey, "PHG-2026-00042/holding-reply");
    EXPECT_EQ(m.recipient, "Ms Joan Whittaker");
    const auto order = LetterOrder::parse(m.bytes);
    ASSERT_TRUE(order);
    EXPECT_EQ(order->templateName, "holding-reply");
    ASSERT_TRUE(order->details.holding);
    EXPECT_EQ(order->details.holding->reason, "We are waiting for a surveyor's report");
    EXPECT_EQ(order->details.holding->newDate, newDate);
    EXPECT_EQ(sent.how, "by post to Ms Joan Whittaker");
}

TEST_F(DispatchTest, APauseNoticeQuotesTheLastDateSentAndTheResumeNoticeGivesTheNewOne) {
    // C10003 reads letters: the order keeps the facts the letter states.
    Case c = emailCase("C10003", {"<x@example.org>"});
    c.datesGiven.push_back({"acknowledgement", parseRfc3339("2026-11-27T17:00:00Z"), kNow});
    auto pause = document(CustomerDocument::What::PauseNotice, "pause-notice-20261124T110000Z");
    // The case's response date (30 Nov) is not what the customer was told.
    pause.details.pause = PauseDetails{"a photo of the door", *c.respondBy};
    auto sent = _dispatch->toCustomer(c, pause, kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    auto order = LetterOrder::parse(sent.messages.at(0).bytes);
    ASSERT_TRUE(order && order->details.pause);
    EXPECT_EQ(order->templateName, "pause-notice");
    EXPECT_EQ(order->details.pause->waitingFor, "a photo of the door");
    EXPECT_EQ(formatRfc3339Utc(order->details.pause->oldDate), "2026-11-27T17:00:00Z");
    EXPECT_FALSE(sent.given);  // the date will move: a pause notice gives none

    auto resume = document(CustomerDocument::What::ResumeNotice, "resume-notice-20261202T100000Z");
    resume.details.resumedReplyBy = parseRfc3339("2026-12-08T17:00:00Z");
    sent = _dispatch->toCustomer(c, resume, kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    order = LetterOrder::parse(sent.messages.at(0).bytes);
    ASSERT_TRUE(order && order->details.resumedReplyBy);
    EXPECT_EQ(order->templateName, "resume-notice");
    EXPECT_EQ(*order->details.resumedReplyBy, *resume.details.resumedReplyBy);
    ASSERT_TRUE(sent.given);
    EXPECT_EQ(sent.given->date, *resume.details.resumedReplyBy);
}

TEST_F(DispatchTest, AnEmptyFieldIsARefusalNamingTheCharterAndTheField) {
    // A holding reply with nothing to say (no new date, no old one) is not
    // sent with gaps: it is refused, and the refusal says why.
    const auto sent = _dispatch->toCustomer(emailCase("C10004", {"<x@example.org>"}),
                                            document(CustomerDocument::What::HoldingReply, "holding-reply"), kNow);
    ASSERT_TRUE(sent.refused);
    EXPECT_NE(sent.refusal.find("charter progress"), std::string::npos) << sent.refusal;
    EXPECT_NE(sent.refusal.find("holding.old_date is empty"), std::string::npos) << sent.refusal;
    EXPECT_NE(sent.refusal.find("template holding-reply"), std::string::npos) << sent.refusal;
    EXPECT_EQ(sent.messages.at(0).state, OutboundMessage::State::Failed);
}

TEST_F(DispatchTest, NoAddressToWriteToIsARefusalKeptInTheOutbox) {
    Customer nowhere;
    nowhere.reference = "C99999";
    nowhere.name = "Mr No Address";
    nowhere.preferredChannel = PreferredChannel::Post;
    _store->upsertCustomer(nowhere);
    const auto sent = _dispatch->toCustomer(emailCase("C99999", {"<y@example.org>"}),
                                            document(CustomerDocument::What::Acknowledgement, "acknowledgement"), kNow);
    EXPECT_TRUE(sent.refused);
    EXPECT_EQ(sent.refusal, "the customer has no email address and no postal address");
    ASSERT_EQ(sent.messages.size(), 1u);
    EXPECT_EQ(sent.messages[0].state, OutboundMessage::State::Failed);
    EXPECT_EQ(sent.messages[0].lastResult, "not sent: the customer has no email address and no postal address");
    EXPECT_TRUE(sent.messages[0].bytes.empty());
    ASSERT_EQ(sent.events.size(), 1u);
    EXPECT_EQ(sent.events[0].detail, "acknowledgement not sent: the customer has no email address and no postal address");
}

TEST_F(DispatchTest, OfficersMailIsAutoGeneratedAndKeyedByItsDocument) {
    Document doc;
    doc.subject = "Your cases for 23 November 2026";
    Officer sali;
    sali.id = "sali";
    sali.name = "Samir Ali";
    sali.email = "samir.ali@progress.example.org";
    const OutboundMessage m = _dispatch->toOfficer("digest", "sali/2026-11-23", doc, sali, kNow, false);
    EXPECT_EQ(m.messageKey, "<digest.sali.2026-11-23@duly.progress.example.org>");
    EXPECT_EQ(m.recipient, "samir.ali@progress.example.org");
    EXPECT_TRUE(hasHeader(m.bytes, "Auto-Submitted: auto-generated"));
    EXPECT_TRUE(hasHeader(m.bytes, "Subject: Your cases for 23 November 2026"));
}

// A customer who asked for audio and reads email gets the letter read aloud
// in their language, attached as Ogg Opus (issue: every letter in the format
// the customer asked for).
TEST_F(DispatchTest, ACustomerWhoAskedForAudioGetsTheLetterReadAloudAttached) {
    Customer listener = *_store->customer("C10004");
    listener.formats = {"audio"};
    _store->upsertCustomer(listener);
    const auto sent = _dispatch->toCustomer(emailCase("C10004", {"<door-1@example.org>"}),
                                            document(CustomerDocument::What::Acknowledgement, "acknowledgement"), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    const std::string& bytes = sent.messages.at(0).bytes;
    EXPECT_NE(bytes.find("Content-Type: audio/ogg"), std::string::npos);
    EXPECT_NE(bytes.find("PHG-2026-00042-acknowledgement.ogg"), std::string::npos);
    EXPECT_NE(bytes.find("T2dnUw"), std::string::npos);  // "OggS", the Ogg page magic, in base64
    EXPECT_LT(bytes.size(), 1024u * 1024u);  // small enough to email
}

namespace {

Representative mpByEmail(SendTo sendTo) {
    Representative r;
    r.kind = RepresentativeKind::Mp;
    r.name = "Ms Priya Patel MP";
    r.salutation = "Dear Ms Patel";
    r.email = "priya.patel.mp@parliament.example.org";
    r.consentAt = parseRfc3339("2026-11-20T10:00:00Z");
    r.consentHow = "signed form";
    r.sendTo = sendTo;
    return r;
}

// The text part of a composed email (quoted-printable soft breaks joined).
std::string bodyText(const std::string& bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes.compare(i, 3, "=\r\n") == 0) {
            i += 2;
            continue;
        }
        out += bytes[i];
    }
    return out;
}

}  // namespace

TEST_F(DispatchTest, ARepresentativeGetsACopyAddressedToThemSayingWhomTheyActFor) {
    Case c = emailCase("C10004", {"<door-1@example.org>"});
    c.representative = mpByEmail(SendTo::Copy);
    const auto sent = _dispatch->toCustomer(c, document(CustomerDocument::What::Acknowledgement, "acknowledgement"), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    ASSERT_EQ(sent.messages.size(), 2u);
    const OutboundMessage& mine = sent.messages[0];
    const OutboundMessage& copy = sent.messages[1];
    EXPECT_EQ(mine.recipient, "tom.fairclough@example.org");
    EXPECT_EQ(mine.documentKey, "acknowledgement");
    EXPECT_EQ(bodyText(mine.bytes).find("act for"), std::string::npos);  // the customer's own letter is unchanged
    EXPECT_EQ(copy.recipient, "priya.patel.mp@parliament.example.org");
    EXPECT_EQ(copy.documentKey, "acknowledgement-representative");
    EXPECT_NE(copy.messageKey, mine.messageKey);
    const std::string text = bodyText(copy.bytes);
    EXPECT_NE(text.find("Dear Ms Patel,"), std::string::npos) << text;
    EXPECT_EQ(text.find("Dear Mr Fairclough"), std::string::npos);
    EXPECT_NE(text.find("because you act for Mr Tom Fairclough"), std::string::npos) << text;
    EXPECT_NE(text.find("PHG-2026-00042"), std::string::npos);
    // The copy is not threaded on the customer's own message.
    EXPECT_FALSE(hasHeader(copy.bytes, "In-Reply-To: <door-1@example.org>"));
    EXPECT_EQ(sent.how, "by email to tom.fairclough@example.org, a copy by email to priya.patel.mp@parliament.example.org");
    // The date the customer was given is the customer's document's.
    ASSERT_TRUE(sent.given);
    EXPECT_EQ(sent.given->documentKey, "acknowledgement");
}

TEST_F(DispatchTest, WhereTheConsentSaysSoOnlyTheRepresentativeIsWrittenTo) {
    Case c = emailCase("C10004", {"<door-1@example.org>"});
    c.representative = mpByEmail(SendTo::RepresentativeOnly);
    const auto sent = _dispatch->toCustomer(c, holdingReply(), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    ASSERT_EQ(sent.messages.size(), 1u);
    EXPECT_EQ(sent.messages[0].recipient, "priya.patel.mp@parliament.example.org");
    // Its own key: the schedule sees the holding reply as sent.
    EXPECT_EQ(sent.messages[0].documentKey, "holding-reply");
    EXPECT_NE(bodyText(sent.messages[0].bytes).find("Dear Ms Patel,"), std::string::npos);
    ASSERT_TRUE(sent.given);
    EXPECT_EQ(sent.given->date, parseRfc3339("2026-12-07T17:00:00Z"));
}

TEST_F(DispatchTest, ARepresentativeWithOnlyAnAddressGetsALetterOrderTheRunPrintsForThem) {
    Case c = emailCase("C10004", {"<door-1@example.org>"});
    Representative r = mpByEmail(SendTo::Copy);
    r.kind = RepresentativeKind::Relative;
    r.name = "Mrs Ann Fairclough";
    r.salutation = "";
    r.email = "";
    r.address = {"3 Station Road", "Leyland", "PR25 1AA"};
    c.representative = r;
    const auto sent = _dispatch->toCustomer(c, holdingReply(), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    ASSERT_EQ(sent.messages.size(), 2u);
    const OutboundMessage& copy = sent.messages[1];
    EXPECT_EQ(copy.route, OutboundMessage::Route::Post);
    EXPECT_EQ(copy.recipient, "Mrs Ann Fairclough");
    EXPECT_EQ(copy.messageKey, "PHG-2026-00042/holding-reply-representative");
    const auto order = LetterOrder::parse(copy.bytes);
    ASSERT_TRUE(order);
    EXPECT_TRUE(order->details.toRepresentative);
    // The print run renders the order from the stored case: to them.
    const Document letter = _dispatch->documents().render(c, order->templateName, order->details);
    const std::string text = writeText(letter);
    EXPECT_NE(text.find("Mrs Ann Fairclough\n3 Station Road\nLeyland\nPR25 1AA"), std::string::npos) << text;
    EXPECT_NE(text.find("Dear Mrs Ann Fairclough,"), std::string::npos) << text;
    EXPECT_NE(text.find("you act for Mr Tom Fairclough"), std::string::npos) << text;
}

TEST_F(DispatchTest, ACopyThatCannotGoIsANoteAndTheCustomersLetterStillGoes) {
    Case c = emailCase("C10004", {"<door-1@example.org>"});
    Representative r = mpByEmail(SendTo::Copy);
    r.email = "";  // no address at all (the service refuses this; an older record may have it)
    c.representative = r;
    const auto sent = _dispatch->toCustomer(c, holdingReply(), kNow);
    ASSERT_FALSE(sent.refused) << sent.refusal;
    ASSERT_EQ(sent.messages.size(), 1u);
    EXPECT_EQ(sent.messages[0].recipient, "tom.fairclough@example.org");
    ASSERT_FALSE(sent.events.empty());
    EXPECT_EQ(sent.events.back().detail,
              "holding reply for the representative not sent: the representative has no email address and no postal address");
}
