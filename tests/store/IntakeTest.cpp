// Intake against a real store: new cases, replies joining their case,
// duplicates, unknown senders, assignment rules and the reasons an
// automatic acknowledgement is withheld.
#include "duly/engine/DirectoryImport.h"
#include "duly/engine/InputError.h"
#include "duly/engine/Intake.h"
#include "duly/engine/ZoneRules.h"
#include "duly/store/SqliteCaseStore.h"

#include "../support/SampleStore.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duly::engine;
using duly::store::SqliteCaseStore;
namespace fs = std::filesystem;

namespace {


class IntakeTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = duly::testsupport::freshTestFolder("intake");
        _store = duly::testsupport::sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _intake = std::make_unique<Intake>(*_store, *_store, *_charters);
    }
    void TearDown() override { fs::remove_all(_dir); }

    InboundMessage message(const std::string& id, const std::string& from, const std::string& subject) {
        InboundMessage m;
        m.mailbox = "inbox";
        m.charter = "progress";
        m.channel = Channel::Email;
        m.assign = "round-robin:customer-services";
        m.received = parseRfc3339("2026-11-23T10:00:00Z");
        m.messageId = id;
        m.fromAddress = from;
        m.subject = subject;
        m.text = "Hello, the back door still sticks.";
        m.raw = "raw " + id;
        return m;
    }

    Case take(const InboundMessage& m) {
        auto plan = _intake->plan(m);
        return _intake->commit(plan, m.raw, {});
    }

    fs::path _dir;
    std::unique_ptr<SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Intake> _intake;
};

}  // namespace

TEST_F(IntakeTest, NewMessageFromAKnownCustomerOpensACase) {
    auto plan = _intake->plan(message("<a1@example.org>", "Tom.Fairclough@example.org", "Back door"));
    EXPECT_EQ(plan.action, IntakePlan::Action::OpenCase);
    EXPECT_TRUE(plan.customerKnown);
    EXPECT_EQ(plan.customer.reference, "C10004");
    EXPECT_TRUE(plan.acknowledge);
    EXPECT_FALSE(plan.byPost);
    EXPECT_EQ(plan.kase.reference, "PHG-2026-00001");
    EXPECT_EQ(ZoneRules::london().formatRfc3339(*plan.kase.respondBy), "2026-11-30T17:00:00+00:00");
    Case c = _intake->commit(plan, "raw bytes", {});
    auto stored = _store->findCase(c.reference);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->customerRef, "C10004");
    EXPECT_EQ(stored->officerId, "jwong");  // round robin starts with the first of the team
    EXPECT_EQ(_store->rawItem(stored->items[0].id).value(), "raw bytes");
}

TEST_F(IntakeTest, RoundRobinTakesTheTeamInTurn) {
    EXPECT_EQ(take(message("<r1@x>", "a@example.org", "one")).officerId, "jwong");
    EXPECT_EQ(take(message("<r2@x>", "b@example.org", "two")).officerId, "rhughes");
    EXPECT_EQ(take(message("<r3@x>", "c@example.org", "three")).officerId, "sali");
    EXPECT_EQ(take(message("<r4@x>", "d@example.org", "four")).officerId, "jwong");
    auto fixed = message("<r5@x>", "e@example.org", "five");
    fixed.assign = "officer:dparker";
    EXPECT_EQ(take(fixed).officerId, "dparker");
    auto bad = message("<r6@x>", "e@example.org", "six");
    bad.assign = "everyone";
    EXPECT_THROW(_intake->plan(bad), InputError);
}

// team:NAME gives each case to the officer with the fewest open cases
// (ties to the first by id); closed cases do not count.
TEST_F(IntakeTest, TeamAssignmentGoesToTheFewestOpenCases) {
    auto teamMessage = [&](const std::string& id) {
        auto m = message(id, id.substr(1, 2) + "@example.org", "team");
        m.assign = "team:customer-services";
        return m;
    };
    // jwong, rhughes, sali all have none: jwong first by id, then the others.
    EXPECT_EQ(take(teamMessage("<t1@x>")).officerId, "jwong");
    EXPECT_EQ(take(teamMessage("<t2@x>")).officerId, "rhughes");
    EXPECT_EQ(take(teamMessage("<t3@x>")).officerId, "sali");
    // Close jwong's case: jwong has the fewest again.
    auto first = *_store->findCase("PHG-2026-00001");
    first.state = CaseState::Closed;
    first.closedAt = parseRfc3339("2026-11-23T11:00:00Z");
    _store->updateCase(first, {});
    EXPECT_EQ(_store->openCaseCount("jwong"), 0u);
    EXPECT_EQ(_store->openCaseCount("sali"), 1u);
    EXPECT_EQ(take(teamMessage("<t4@x>")).officerId, "jwong");
    EXPECT_EQ(_store->openCaseCount("jwong"), 1u);
}

TEST_F(IntakeTest, TheSameMessageIsTakenInOnce) {
    Case first = take(message("<dup@example.org>", "tom.fairclough@example.org", "Back door"));
    auto again = _intake->plan(message("<dup@example.org>", "tom.fairclough@example.org", "Back door"));
    EXPECT_EQ(again.action, IntakePlan::Action::Duplicate);
    EXPECT_EQ(again.kase.reference, first.reference);
    EXPECT_EQ(_store->caseCount(), 1u);
}

TEST_F(IntakeTest, RepliesJoinTheirCaseWithoutASecondAcknowledgement) {
    Case first = take(message("<q1@example.org>", "tom.fairclough@example.org", "Back door"));
    // By the reference in the subject.
    auto bySubject = _intake->plan(message("<q2@example.org>", "tom.fairclough@example.org", "Re: [" + first.reference + "] Back door"));
    EXPECT_EQ(bySubject.action, IntakePlan::Action::JoinCase);
    EXPECT_EQ(bySubject.kase.reference, first.reference);
    _intake->commit(bySubject, "raw", {});
    // By In-Reply-To pointing at Duly's acknowledgement.
    auto reply = message("<q3@example.org>", "tom.fairclough@example.org", "Re: Thank you for your email");
    reply.references = {"<" + first.reference + ".acknowledgement@duly.progress.example.org>"};
    auto byHeader = _intake->plan(reply);
    EXPECT_EQ(byHeader.action, IntakePlan::Action::JoinCase);
    _intake->commit(byHeader, "raw", {});
    // By References pointing at the customer's own first message.
    auto chain = message("<q4@example.org>", "tom.fairclough@example.org", "Another thing");
    chain.references = {"<q1@example.org>"};
    EXPECT_EQ(_intake->plan(chain).action, IntakePlan::Action::JoinCase);
    EXPECT_EQ(_store->findCase(first.reference)->items.size(), 3u);
    EXPECT_EQ(_store->caseCount(), 1u);
    // A reference of an organisation Duly does not know is just text.
    EXPECT_TRUE(_intake->referencesIn("see XYZ-2026-00001 and PHG-2026-00001").size() == 1);
}

TEST_F(IntakeTest, UnknownSendersBecomeContactsInTheLanguageOfTheirScript) {
    auto urdu = message("<u1@example.org>", "someone@example.net", "مرمت");
    urdu.fromName = "Bilal";
    urdu.text = "السلام علیکم، میرے گھر کی کھڑکی ٹوٹ گئی ہے۔";
    auto plan = _intake->plan(urdu);
    ASSERT_TRUE(plan.newContact);
    EXPECT_EQ(plan.newContact->reference, "NEW-2026-00001");
    EXPECT_EQ(plan.newContact->language, "ur");
    EXPECT_FALSE(plan.newContact->languageConfirmed);
    EXPECT_TRUE(plan.acknowledge);
    Case c = _intake->commit(plan, "raw", {});
    EXPECT_EQ(c.customerRef, "NEW-2026-00001");
    EXPECT_EQ(_store->customerByEmail("someone@example.net")->name, "Bilal");

    auto han = message("<h1@example.org>", "lee@example.net", "維修");
    han.text = "你好，我家的窗戶壞了。";
    EXPECT_EQ(_intake->plan(han).newContact->language, "yue-Hant");
    EXPECT_EQ(guessLanguageFromScript("Hello there"), "en-GB");
}

// A display name that lost a letter in its charset is not used: the
// contact is named by their address and greeted without a name.
TEST_F(IntakeTest, ADisplayNameWithAReplacementCharacterIsNotUsed) {
    auto m = message("<z1@example.org>", "zoe@example.net", "Fence");
    m.fromName = "Zo\uFFFD Kay";
    auto plan = _intake->plan(m);
    ASSERT_TRUE(plan.newContact);
    EXPECT_EQ(plan.newContact->name, "zoe@example.net");
    EXPECT_EQ(plan.newContact->salutation, "");
}

// A sender whose display name shows nothing (bidi overrides and isolates,
// a zero-width space) is named by their address: letters remove such
// characters, and a name left empty would stop their acknowledgement.
TEST_F(IntakeTest, ADisplayNameWithNothingVisibleIsNotUsed) {
    auto m = message("<z2@example.org>", "blank@example.net", "Fence");
    m.fromName = "\u202E\u2066 \u200B\u2069";
    auto plan = _intake->plan(m);
    ASSERT_TRUE(plan.newContact);
    EXPECT_EQ(plan.newContact->name, "blank@example.net");
    EXPECT_EQ(plan.newContact->salutation, "");
    EXPECT_TRUE(plan.acknowledge);
    m.fromName = "\u202EAli";  // something shows: the name is kept as given
    m.messageId = "<z3@example.org>";
    EXPECT_EQ(_intake->plan(m).newContact->name, "\u202EAli");
}

TEST_F(IntakeTest, AcknowledgementsWithheldWithAReason) {
    auto machine = message("<m1@example.org>", "mailer-daemon@example.org", "Undeliverable");
    machine.noAutoReply = "Auto-Submitted: auto-replied";
    auto plan = _intake->plan(machine);
    EXPECT_FALSE(plan.acknowledge);
    EXPECT_EQ(plan.noAcknowledgementReason, "Auto-Submitted: auto-replied");
    Case c = _intake->commit(plan, "raw", {});
    auto stored = _store->findCase(c.reference);
    EXPECT_EQ(stored->events.back().detail, "no automatic acknowledgement: Auto-Submitted: auto-replied");

    auto broken = message("<m2@example.org>", "a@example.org", "");
    broken.parseProblem = "the header has no end";
    auto brokenPlan = _intake->plan(broken);
    EXPECT_EQ(brokenPlan.action, IntakePlan::Action::OpenCase);  // it still counts as received
    EXPECT_FALSE(brokenPlan.acknowledge);
    EXPECT_EQ(brokenPlan.noAcknowledgementReason, "the message could not be read (the header has no end)");

    // A scanned letter from an unknown writer waits for triage.
    auto letter = message("<scan1@mailroom>", "scanner@mailroom.example.org", "Scan 0042");
    letter.channel = Channel::Letter;
    auto letterPlan = _intake->plan(letter);
    EXPECT_FALSE(letterPlan.customerKnown);
    EXPECT_FALSE(letterPlan.acknowledge);
    EXPECT_EQ(letterPlan.noAcknowledgementReason, "the writer is not yet known (awaiting triage)");
    // … and one naming its writer's reference is acknowledged by post.
    letter.messageId = "<scan2@mailroom>";
    letter.text = "Tenant reference C10003. Please send my statement in large print.";
    auto known = _intake->plan(letter);
    EXPECT_TRUE(known.customerKnown);
    EXPECT_TRUE(known.byPost);
    EXPECT_TRUE(known.acknowledge);
}

TEST_F(IntakeTest, PerSenderLimitStopsPingPong) {
    _intake->setAutoReplyLimit(2);
    for (int i = 0; i < 3; ++i) {
        auto m = message("<p" + std::to_string(i) + "@example.org>", "loop@example.org", "Message " + std::to_string(i));
        auto plan = _intake->plan(m);
        std::vector<OutboundMessage> out;
        if (plan.acknowledge) {
            OutboundMessage ack;
            ack.caseReference = plan.kase.reference;
            ack.documentKey = "acknowledgement";
            ack.messageKey = "<" + plan.kase.reference + ".acknowledgement@duly>";
            ack.recipient = "loop@example.org";
            ack.bytes = "x";
            ack.queuedAt = ack.nextAttemptAt = m.received;
            out.push_back(ack);
        }
        if (i < 2) EXPECT_TRUE(plan.acknowledge) << i;
        else EXPECT_EQ(plan.noAcknowledgementReason, "already 2 automatic replies to loop@example.org in 24 hours");
        _intake->commit(plan, m.raw, out);
    }
}

namespace {

bool hasNote(const std::vector<CaseEvent>& events, const std::string& words) {
    for (const auto& e : events)
        if (e.detail.find(words) != std::string::npos) return true;
    return false;
}

OutboundMessage automaticTo(const IntakePlan& plan, const std::string& recipient, OutboundMessage::Route route) {
    OutboundMessage ack;
    ack.caseReference = plan.kase.reference;
    ack.documentKey = "acknowledgement";
    ack.route = route;
    ack.messageKey = route == OutboundMessage::Route::Email ? "<" + plan.kase.reference + ".acknowledgement@duly.example.org>"
                                                            : plan.kase.reference + "/acknowledgement";
    ack.recipient = recipient;
    ack.bytes = "x";
    ack.queuedAt = ack.nextAttemptAt = plan.kase.received;
    return ack;
}

}  // namespace

// A stranger who types a tenant's customer reference into an email must not
// steer acknowledgements to the tenant's inbox or front door.
TEST_F(IntakeTest, ACustomerReferenceInAStrangersEmailOnlyMakesThemPossibly) {
    for (int i = 0; i < 5; ++i) {
        auto m = message("<s" + std::to_string(i) + "@example.net>", "stranger@example.net", "Rent");
        m.text = "Please look at account C10001 and C10003.";
        auto plan = _intake->plan(m);
        // The first makes the sender a new contact; the rest find that contact.
        EXPECT_EQ(plan.customerKnown, i > 0) << i;
        EXPECT_EQ(plan.customer.reference, "NEW-2026-00001") << i;
        EXPECT_EQ(plan.customer.email, "stranger@example.net") << i;
        EXPECT_FALSE(plan.byPost) << i;
        if (i == 0) {
            EXPECT_TRUE(hasNote(plan.events, "possibly C10001 (Mrs Nasreen Akhtar), named in the message"));
        }
        std::vector<OutboundMessage> out;
        if (plan.acknowledge) out.push_back(automaticTo(plan, plan.customer.email, OutboundMessage::Route::Email));
        if (i >= 3) {
            EXPECT_EQ(plan.noAcknowledgementReason, "already 3 automatic replies to stranger@example.net in 24 hours");
        }
        _intake->commit(plan, m.raw, out);
    }
    EXPECT_EQ(_store->autoRepliesSince("nasreen.akhtar@example.org", parseRfc3339("2026-11-22T00:00:00Z")), 0u);
    EXPECT_EQ(_store->autoLettersSince("C10003", parseRfc3339("2026-11-22T00:00:00Z")), 0u);
}

// Scanned post still finds its writer by reference, and the daily limit on
// automatic replies applies to letters too, counted per customer.
TEST_F(IntakeTest, AutomaticLettersHaveTheSameDailyLimit) {
    for (int i = 0; i < 4; ++i) {
        auto letter = message("<scan" + std::to_string(i) + "@mailroom>", "scanner@mailroom.example.org", "Scan");
        letter.channel = Channel::Letter;
        letter.text = "Tenant reference C10003.";
        auto plan = _intake->plan(letter);
        EXPECT_TRUE(plan.customerKnown);
        EXPECT_TRUE(plan.byPost);
        std::vector<OutboundMessage> out;
        if (plan.acknowledge) out.push_back(automaticTo(plan, plan.customer.name, OutboundMessage::Route::Post));
        if (i < 3) {
            EXPECT_TRUE(plan.acknowledge) << i;
        } else {
            EXPECT_EQ(plan.noAcknowledgementReason, "already 3 automatic letters to C10003 in 24 hours");
        }
        _intake->commit(plan, letter.raw, out);
    }
}

// A sequential reference is easy to guess: a reference in the subject or a
// thread id joins a case only for someone already on it; a reply to a
// message Duly really sent joins whoever sends it.
TEST_F(IntakeTest, AStrangerCannotAddToACaseByNamingIt) {
    Case first = take(message("<j1@example.org>", "tom.fairclough@example.org", "Back door"));

    auto bySubject = message("<j2@example.net>", "stranger@example.net", "Re: [" + first.reference + "] Back door");
    auto plan = _intake->plan(bySubject);
    EXPECT_EQ(plan.action, IntakePlan::Action::OpenCase);
    EXPECT_NE(plan.kase.reference, first.reference);
    EXPECT_TRUE(hasNote(plan.events, "mentions case " + first.reference + ", but the sender is not on that case"));
    _intake->commit(plan, bySubject.raw, {});

    auto byThread = message("<j3@example.net>", "stranger@example.net", "Hello");
    byThread.references = {"<" + first.reference + ".acknowledgement@anything.example>", "<j1@example.org>"};
    EXPECT_EQ(_intake->plan(byThread).action, IntakePlan::Action::OpenCase);

    // The customer themself still joins by the subject's reference.
    auto own = message("<j4@example.org>", "TOM.FAIRCLOUGH@example.org", "Re: [" + first.reference + "] Back door");
    EXPECT_EQ(_intake->plan(own).action, IntakePlan::Action::JoinCase);

    // A reply to an acknowledgement Duly queued joins, from any address.
    OutboundMessage sent;
    sent.caseReference = first.reference;
    sent.documentKey = "acknowledgement";
    sent.messageKey = "<" + first.reference + ".acknowledgement@duly.progress.example.org>";
    sent.recipient = "tom.fairclough@example.org";
    sent.bytes = "x";
    sent.queuedAt = sent.nextAttemptAt = parseRfc3339("2026-11-23T10:00:01Z");
    _store->queueMessages({sent});
    auto fromWork = message("<j5@work.example>", "tom@work.example", "Re: We have your message");
    fromWork.references = {sent.messageKey};
    auto joined = _intake->plan(fromWork);
    EXPECT_EQ(joined.action, IntakePlan::Action::JoinCase);
    EXPECT_EQ(joined.kase.reference, first.reference);
}

// The same Message-ID on a different message (another sender, other words)
// is taken in under a derived id with a note; the same message seen again,
// even with other trace headers, is a duplicate.
TEST_F(IntakeTest, AMessageIdReusedByAnotherMessageIsNotDropped) {
    auto original = message("<same@example.org>", "tom.fairclough@example.org", "Back door");
    original.fingerprint = "f-original";
    Case first = take(original);

    auto copy = original;
    copy.raw = "Delivered-To: other-mailbox\r\n" + original.raw;  // the same message by another route
    EXPECT_EQ(_intake->plan(copy).action, IntakePlan::Action::Duplicate);

    auto other = message("<same@example.org>", "stranger@example.net", "Something else");
    other.text = "A different message.";
    other.fingerprint = "f-other";
    auto plan = _intake->plan(other);
    ASSERT_EQ(plan.action, IntakePlan::Action::OpenCase);
    EXPECT_EQ(plan.kase.items.front().source, Intake::collisionId(other));
    EXPECT_NE(plan.kase.items.front().source, "<same@example.org>");
    EXPECT_TRUE(hasNote(plan.events, "this message came with the Message-ID <same@example.org> of a different message on " +
                                         first.reference));
    Case second = _intake->commit(plan, other.raw, {});
    EXPECT_NE(second.reference, first.reference);
    EXPECT_EQ(_store->caseCount(), 2u);

    // The second message again: recognised under its derived id.
    auto again = _intake->plan(other);
    EXPECT_EQ(again.action, IntakePlan::Action::Duplicate);
    EXPECT_EQ(again.kase.reference, second.reference);

    // Without fingerprints (items stored before them), the bytes decide.
    auto unprinted = message("<bytes@example.org>", "tom.fairclough@example.org", "Gate");
    take(unprinted);
    EXPECT_EQ(_intake->plan(unprinted).action, IntakePlan::Action::Duplicate);
    auto changed = unprinted;
    changed.raw = "other bytes";
    EXPECT_EQ(_intake->plan(changed).action, IntakePlan::Action::OpenCase);
}

// Urgency (issue 13): a mailbox's urgent words mark a new case urgent,
// whatever their case, and it then comes first in its officer's due list;
// complaint words only add a note for an officer (never a reclassification).
TEST_F(IntakeTest, MailboxWordsMarkUrgentAndFlagLikelyComplaints) {
    auto ordinary = message("<u1@example.org>", "Tom.Fairclough@example.org", "Fence");
    ordinary.urgentWords = {"gas leak", "no heating"};
    ordinary.complaintWords = {"complain", "not happy with"};
    ordinary.assign = "officer:jwong";
    const Case first = take(ordinary);
    EXPECT_FALSE(first.urgent);

    auto leak = message("<u2@example.org>", "Tom.Fairclough@example.org", "Smell in the kitchen");
    leak.urgentWords = ordinary.urgentWords;
    leak.complaintWords = ordinary.complaintWords;
    leak.assign = "officer:jwong";
    leak.received = parseRfc3339("2026-11-24T10:00:00Z");  // due a day after the fence
    leak.text = "I think there is a GAS LEAK. I am not happy with how long this is taking.";
    const Case urgent = take(leak);
    const auto stored = _store->findCase(urgent.reference);
    ASSERT_TRUE(stored);
    EXPECT_TRUE(stored->urgent);
    EXPECT_EQ(stored->kind, Kind::Enquiry);  // flagged, not reclassified
    bool urgentNote = false, complaintNote = false;
    for (const auto& e : stored->events) {
        urgentNote = urgentNote || e.detail == "marked urgent by mailbox inbox: the message says \"gas leak\"";
        complaintNote = complaintNote || e.detail.rfind("likely complaint: the message says \"not happy with\"", 0) == 0;
    }
    EXPECT_TRUE(urgentNote);
    EXPECT_TRUE(complaintNote);

    // In due order the fence comes first; marked urgent, the leak does.
    auto due = _store->dueActions(std::string("jwong"), std::nullopt);
    ASSERT_GE(due.size(), 2u);
    EXPECT_EQ(due.front().caseReference, first.reference);
    urgentFirst(due);
    EXPECT_EQ(due.front().caseReference, urgent.reference);
    EXPECT_TRUE(due.front().urgent);
    EXPECT_FALSE(due.back().urgent);
}
