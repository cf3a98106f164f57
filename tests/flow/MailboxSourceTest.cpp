// MailboxSource and takeIn() against a real Maildir and a real SQLite
// store: a message is marked processed only once its batch is committed,
// unreadable mail goes to quarantine with a case for triage, a Message-ID
// is taken once.
#include "duly/flow/MailboxSource.h"
#include "duly/flow/HeldSource.h"

#include "duly/engine/CharterBook.h"
#include "duly/engine/Renderer.h"
#include "duly/engine/ZoneRules.h"

#include "../support/SampleStore.h"
#include "MailTestSupport.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

using namespace duly::engine;
using namespace duly::testsupport;
using duly::flow::Ingest;
using duly::flow::WatchReport;
namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

// A source of two messages in one batch that writes down what takeIn asks
// of it, and checks from a second connection to the store that a batch's
// cases are committed before it is asked to mark them.
class RecordingSource : public duly::flow::MailboxSource {
public:
    RecordingSource(const duly::flow::MailboxConfig& mailbox, fs::path db, bool stops)
        : MailboxSource(mailbox), _db(std::move(db)), _stops(stops) {}
    std::vector<std::string> calls;
    std::vector<std::string> ids = {"<r1@example.org>", "<r2@example.org>"};
    bool committedBeforeMarking = true;

    std::size_t start(MailLedger&, std::ostream&) override {
        calls.push_back("start");
        return ids.size();
    }
    std::size_t nextBatch() override {
        calls.push_back("nextBatch");
        return _batches++ == 0 ? ids.size() : 0;
    }
    std::optional<duly::flow::MailboxMessage> read(std::size_t i) override {
        calls.push_back("read " + std::to_string(i));
        return duly::flow::MailboxMessage{
            plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Item " + std::to_string(i), ids[i]), {}, {}};
    }
    std::string label(std::size_t i) const override { return "item " + std::to_string(i); }
    bool stopsAtRefusal() const override { return _stops; }
    void keep(MailLedger&, const std::vector<std::size_t>& taken) override {
        calls.push_back("keep " + std::to_string(taken.size()));
    }
    void markProcessed(const std::vector<std::size_t>& taken, std::ostream&) override {
        calls.push_back("markProcessed " + std::to_string(taken.size()));
        duly::store::SqliteCaseStore other(duly::testsupport::storeAt(_db));
        for (const std::size_t i : taken) committedBeforeMarking = committedBeforeMarking && other.knownSource(ids[i]);
    }
    void finish() override { calls.push_back("finish"); }

private:
    fs::path _db;
    bool _stops;
    int _batches = 0;
};

class MailboxSourceTest : public ::testing::Test {
protected:
    void SetUp() override {
        _dir = freshTestFolder("mailbox-source");
        _store = sampleStore(_dir);
        _charters = std::make_unique<CharterBook>(DULY_SOURCE_HOME);
        _renderer = std::make_unique<Renderer>(DULY_SOURCE_HOME);
        _inbox = _dir / "inbox";
        _mailbox = maildirMailbox(_inbox);
    }
    void TearDown() override { fs::remove_all(_dir); }

    // One pass over the Maildir, through `ledger` (the store by default).
    WatchReport watch(MailLedger* ledger = nullptr) {
        Ingest ingest(*_store, ledger ? *ledger : *_store, *_charters, *_renderer, progressIdentity());
        WatchReport report;
        auto source = duly::flow::mailboxSource(_mailbox);
        duly::flow::takeIn(*source, ingest, kNow, report, _log);
        return report;
    }

    const Instant kNow = parseRfc3339("2026-11-23T10:00:00Z");
    fs::path _dir, _inbox;
    duly::flow::MailboxConfig _mailbox;
    std::unique_ptr<duly::store::SqliteCaseStore> _store;
    std::unique_ptr<CharterBook> _charters;
    std::unique_ptr<Renderer> _renderer;
    std::ostringstream _log;
};

TEST_F(MailboxSourceTest, TakesEachMessageAndMarksItProcessed) {
    deliverTo(_inbox, "1-door", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>"));
    deliverTo(_inbox, "2-gate", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Gate", "<gate@example.org>"));
    const WatchReport r = watch();
    EXPECT_EQ(r.taken, 2u);
    EXPECT_EQ(r.failed, 0u);
    EXPECT_EQ(filesIn(_inbox / "new"), 0u);
    EXPECT_EQ(filesIn(_inbox / "cur"), 2u);
    EXPECT_TRUE(_store->knownSource("<door@example.org>"));
    EXPECT_TRUE(_store->knownSource("<gate@example.org>"));
    // Each new case's acknowledgement was queued with it.
    const auto ref = _store->caseForSource("<door@example.org>");
    ASSERT_TRUE(ref);
    const auto out = _store->outbound(*ref);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].documentKey, "acknowledgement");
    EXPECT_EQ(out[0].recipient, "tom.fairclough@example.org");
}

TEST_F(MailboxSourceTest, MarksProcessedOnlyAfterTheBatchIsCommitted) {
    deliverTo(_inbox, "1-door", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>"));
    deliverTo(_inbox, "2-gate", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Gate", "<gate@example.org>"));
    FailingCommitLedger failing(*_store);
    const WatchReport failed = watch(&failing);
    EXPECT_EQ(failed.taken, 0u);
    EXPECT_EQ(failed.failed, 2u);
    EXPECT_NE(_log.str().find("duly: mailbox inbox: 2 messages left for the next run: disk full (the test)"),
              std::string::npos)
        << _log.str();
    // Nothing written, nothing marked: both still new, no case.
    EXPECT_EQ(filesIn(_inbox / "new"), 2u);
    EXPECT_EQ(filesIn(_inbox / "cur"), 0u);
    EXPECT_FALSE(_store->knownSource("<door@example.org>"));
    EXPECT_EQ(_store->caseCount(), 0u);
    // The store back: both come in on the next run, nothing lost.
    failing.failCommits = false;
    const WatchReport again = watch(&failing);
    EXPECT_EQ(again.taken, 2u);
    EXPECT_EQ(again.failed, 0u);
    EXPECT_EQ(filesIn(_inbox / "new"), 0u);
    EXPECT_TRUE(_store->knownSource("<door@example.org>"));
    EXPECT_TRUE(_store->knownSource("<gate@example.org>"));
}

TEST_F(MailboxSourceTest, TheOrderIsWriteCommitThenMarkForEverySource) {
    RecordingSource source(_mailbox, _dir / "duly.db", false);
    Ingest ingest(*_store, *_store, *_charters, *_renderer, progressIdentity());
    WatchReport report;
    duly::flow::takeIn(source, ingest, kNow, report, _log);
    EXPECT_EQ(report.taken, 2u);
    EXPECT_EQ(source.calls, (std::vector<std::string>{"start", "nextBatch", "read 0", "read 1", "keep 2",
                                                      "markProcessed 2", "nextBatch", "finish"}));
    EXPECT_TRUE(source.committedBeforeMarking);
}

TEST_F(MailboxSourceTest, ARefusedMessageStaysAndAHighWaterSourceStopsThere) {
    FailingCommitLedger refusing(*_store);
    refusing.failCommits = false;
    refusing.failSavepoints = true;
    // A Maildir goes on past a refused message: each stays in new/ for the next run.
    deliverTo(_inbox, "1-door", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>"));
    deliverTo(_inbox, "2-gate", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Gate", "<gate@example.org>"));
    const WatchReport maildir = watch(&refusing);
    EXPECT_EQ(maildir.failed, 2u);
    EXPECT_EQ(maildir.taken, 0u);
    EXPECT_EQ(filesIn(_inbox / "new"), 2u);
    EXPECT_NE(_log.str().find("duly: mailbox inbox: 1-door left for the next run: refused (the test); keeping it in "
                              "quarantine failed too: refused (the test)\n"),
              std::string::npos)
        << _log.str();
    EXPECT_NE(_log.str().find("duly: mailbox inbox: 2-gate left for the next run"), std::string::npos);
    // A source whose progress is a high-water mark (IMAP's last UID) stops at the first.
    RecordingSource imapLike(_mailbox, _dir / "duly.db", true);
    Ingest ingest(*_store, refusing, *_charters, *_renderer, progressIdentity());
    WatchReport report;
    duly::flow::takeIn(imapLike, ingest, kNow, report, _log);
    EXPECT_EQ(report.failed, 1u);
    EXPECT_EQ(imapLike.calls,
              (std::vector<std::string>{"start", "nextBatch", "read 0", "keep 0", "markProcessed 0", "finish"}));
    EXPECT_EQ(_store->caseCount(), 0u);
}

TEST_F(MailboxSourceTest, MalformedMessageGoesToQuarantineWithACaseForTriage) {
    deliverTo(_inbox, "1-broken",
              "From: tom.fairclough@example.org\r\nSubject: Broken\r\nMessage-ID: <broken-1@example.org>\r\n"
              "X-Bad: a\0b\r\n\r\nbinary where a header should be\r\n"s);
    deliverTo(_inbox, "2-gate", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Gate", "<gate@example.org>"));
    const WatchReport r = watch();
    EXPECT_EQ(r.taken, 2u);
    EXPECT_EQ(r.quarantined, 1u);
    EXPECT_EQ(filesIn(_inbox / "new"), 0u);  // kept in the store, not left to be read again for ever
    const auto kept = _store->quarantined(10);
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].messageKey, "<broken-1@example.org>");
    EXPECT_EQ(kept[0].mailbox, "inbox");
    EXPECT_NE(kept[0].raw.find("binary where a header should be"), std::string::npos);
    ASSERT_FALSE(kept[0].caseReference.empty());
    const auto c = _store->findCase(kept[0].caseReference);
    ASSERT_TRUE(c);
    bool noted = false;
    for (const auto& e : c->events)
        noted = noted || e.detail.find("the message could not be read and is in quarantine (duly quarantine list)") == 0;
    EXPECT_TRUE(noted);
    // The message behind it came in as usual.
    EXPECT_TRUE(_store->knownSource("<gate@example.org>"));
}

TEST_F(MailboxSourceTest, AMessageIdIsTakenOnce) {
    const std::string door = plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>");
    deliverTo(_inbox, "1-door", door);
    deliverTo(_inbox, "2-door-again", door);  // the same message delivered twice
    const WatchReport r = watch();
    EXPECT_EQ(r.taken, 1u);
    EXPECT_EQ(r.duplicates, 1u);
    EXPECT_EQ(_store->caseCount(), 1u);
    EXPECT_EQ(filesIn(_inbox / "new"), 0u);  // the duplicate is marked processed too
    // And again in a later run: nothing new.
    deliverTo(_inbox, "3-door-later", door);
    const WatchReport later = watch();
    EXPECT_EQ(later.taken, 0u);
    EXPECT_EQ(later.duplicates, 1u);
    EXPECT_EQ(_store->caseCount(), 1u);
    EXPECT_EQ(_store->outbound(*_store->caseForSource("<door@example.org>")).size(), 1u);  // one acknowledgement
}

TEST_F(MailboxSourceTest, AnUnusableMailboxIsOneFailureLogged) {
    duly::flow::MailboxConfig imap = _mailbox;
    imap.name = "remote";
    imap.url = "imap://127.0.0.1:1/INBOX";
    imap.processed = "delete";
    Ingest ingest(*_store, *_store, *_charters, *_renderer, progressIdentity());
    WatchReport report;
    duly::flow::takeIn(*duly::flow::mailboxSource(imap), ingest, kNow, report, _log);
    EXPECT_EQ(report.failed, 1u);
    EXPECT_EQ(_log.str(), "duly: mailbox remote: mailbox remote: processed \"delete\": expected flag or move:FOLDER\n");
}

// HeldSource: a mailbox read only while its work lock is held. `held` is
// asked before the pass, before each batch and just before each commit;
// these tests answer from a list, one answer per question.
class HeldSourceTest : public MailboxSourceTest {
protected:
    WatchReport watchHeld(std::vector<bool> answers, bool* lost = nullptr) {
        Ingest ingest(*_store, *_store, *_charters, *_renderer, progressIdentity());
        WatchReport report;
        auto asked = std::make_shared<std::size_t>(0);
        duly::flow::HeldSource source(duly::flow::mailboxSource(_mailbox), [answers, asked] {
            const std::size_t i = (*asked)++;
            return i < answers.size() ? bool(answers[i]) : bool(answers.back());
        });
        duly::flow::takeIn(source, ingest, kNow, report, _log);
        if (lost) *lost = source.lost();
        _asked = *asked;
        return report;
    }
    void twoMessages() {
        deliverTo(_inbox, "1-door", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Back door", "<door@example.org>"));
        deliverTo(_inbox, "2-gate", plainMessage("Tom Fairclough <tom.fairclough@example.org>", "Gate", "<gate@example.org>"));
    }
    std::size_t _asked = 0;
};

TEST_F(HeldSourceTest, HeldThroughoutTakesTheMailboxIn) {
    twoMessages();
    bool lost = true;
    const WatchReport r = watchHeld({true}, &lost);
    EXPECT_EQ(r.taken, 2u);
    EXPECT_FALSE(lost);
    EXPECT_EQ(filesIn(_inbox / "cur"), 2u);
    // Before the pass, before the batch, before its commit, before the next (empty) batch.
    EXPECT_EQ(_asked, 4u);
}

TEST_F(HeldSourceTest, NotHeldReadsNothing) {
    twoMessages();
    bool lost = false;
    const WatchReport r = watchHeld({false}, &lost);
    EXPECT_EQ(r.taken, 0u);
    EXPECT_TRUE(lost);
    EXPECT_EQ(filesIn(_inbox / "new"), 2u);
    EXPECT_FALSE(_store->knownSource("<door@example.org>"));
}

TEST_F(HeldSourceTest, ALockLostWhileTheBatchWasReadRollsItBackUnmarked) {
    twoMessages();
    bool lost = false;
    // Held at the start and for the batch; gone by the time of its commit.
    const WatchReport r = watchHeld({true, true, false}, &lost);
    EXPECT_TRUE(lost);
    EXPECT_EQ(r.taken, 0u);
    // Nothing of the batch was committed: no case, no acknowledgement, and
    // both messages still new in the mailbox for the instance holding it now.
    EXPECT_FALSE(_store->knownSource("<door@example.org>"));
    EXPECT_FALSE(_store->knownSource("<gate@example.org>"));
    EXPECT_EQ(_store->caseCount(), 0u);
    EXPECT_EQ(filesIn(_inbox / "new"), 2u);
    EXPECT_NE(_log.str().find("lock was lost"), std::string::npos) << _log.str();

    // The instance holding the lock now takes both in, once.
    const WatchReport again = watchHeld({true});
    EXPECT_EQ(again.taken, 2u);
    EXPECT_TRUE(_store->knownSource("<door@example.org>"));
    EXPECT_TRUE(_store->knownSource("<gate@example.org>"));
    EXPECT_EQ(filesIn(_inbox / "cur"), 2u);
}

}  // namespace
