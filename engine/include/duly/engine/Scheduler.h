// Scheduler: decides, at a given instant, what Duly must send on its own so
// that no charter date passes in silence: acknowledgements not yet sent,
// holding replies on their working day, extension notices, warnings to an
// officer before a deadline, escalation to their manager after one, and each
// officer's morning digest on working days (only to officers with something
// due or waiting for triage).
//
// It only plans; the app renders, composes and queues each task (in one
// transaction with the case's events). Every task carries a document key
// unique within its case ("holding-reply", "warning-respond-2026-12-04",
// "digest/jwong/2026-11-23"), and a task whose key was ever queued is not
// planned again, so running the scheduler twice, or after a crash between
// planning and queuing, sends nothing twice. Reads the store; throws only
// what the store throws.
#pragma once

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/RenderContext.h"
#include "duly/engine/ZoneRules.h"

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace duly::engine {

struct SchedulerSettings {
    // The charter whose calendar decides the officers' working days (for
    // digests and warnings that concern no single case).
    std::string officeCharter = "progress";
    // Local time after which the morning digest goes on a working day.
    Minutes digestAt{8 * 60};
    // A warning goes at the opening of the working day this many working
    // days before the one on which a deadline falls (0: on the day itself).
    int warnWorkingDaysBefore = 1;
    // How far ahead the due list is read for warnings and digests.
    int lookaheadWorkingDays = 5;
    // Whether each kind of task is planned at all.
    bool acknowledgements = true;
    bool holdingReplies = true;
    bool extensionNotices = true;
    bool warnings = true;
    bool escalations = true;
    bool digests = true;
    // Pause and resume notices to the customer, and the officer's reminder
    // when the customer has not answered this many working days after the
    // clock paused (0: no reminder).
    bool pauseNotices = true;
    int pauseReminderWorkingDays = 5;
    // Call tasks ([scheduler] call_attempts): after this many calls not
    // answered, Duly writes instead — the acknowledgement by post to a
    // customer who prefers the phone, or the missed-calls letter on a phone
    // message. The acknowledgement also goes on the day it is due if no call
    // was answered by then.
    int callAttempts = 3;
};

struct ScheduledTask {
    // HoldingReplyWithheld: a complaint's holding reply is due but has no
    // reason (or the scheme's cap leaves no day to give): nothing goes to
    // the customer; the officer and their manager are warned instead.
    enum class What {
        Acknowledgement,
        HoldingReply,
        ExtensionNotice,
        BreachWarning,
        Escalation,
        Digest,
        HoldingReplyWithheld,
        PauseNotice,    // the clock paused: tell the customer what we need and that the date moves
        ResumeNotice,   // the clock runs again: tell the customer the new date
        PauseReminder,  // the officer: the customer has not answered
        MissedCalls,    // no one answered the calls about a phone message: write to the customer
    };
    What what = What::Acknowledgement;
    std::string caseReference;  // empty for a digest
    std::string documentKey;    // unique within the case: the outbound document key
    std::string officerId;      // who a warning, escalation or digest is for
    DueAction::What deadline = DueAction::What::Respond;  // warnings and escalations: which date
    Instant deadlineAt{};       // that date (holding reply, pause notice: the old response date; pause reminder:
                                // when the clock paused)
    Instant newDate{};          // holding reply and extension notice: the date the customer now expects
    std::string reason;         // holding reply, extension and pause notice: the officer's words
    Date day{};                 // digest: the working day it is for
    int workingDays{};          // extension notice: the working days it added; pause reminder: days waited
                                // ({}: older initialisers stay warning-free)
};
std::string_view scheduledTaskName(ScheduledTask::What what);  // "acknowledgement", "holding-reply", ...

class Scheduler {
public:
    Scheduler(const CaseStore& store, const MailLedger& ledger, CharterBook& charters, SchedulerSettings settings,
              const ZoneRules& zone = ZoneRules::london());

    // Everything due to be sent at `now` and not yet queued, cases in due
    // order, digests last.
    std::vector<ScheduledTask> plan(Instant now) const;

    // An officer's digest at `now`: overdue, due today, due by the end of the
    // next working day, and the cases awaiting triage they can see (their own
    // with no customer yet; for managers and administrators, also the
    // unassigned ones).
    Digest digestFor(const Officer& officer, Instant now) const;

    // The date a holding reply for `c` gives: the officer's, else the old
    // response date plus the charter's holding_reply_extends (or
    // respond_within) working days.
    Instant holdingNewDate(const Case& c) const;

    // When the scheduler warns about a deadline at `due` under `charter`.
    Instant warningAt(const Charter& charter, Instant due) const;

    // The opening time of the working day on which a holding reply due at
    // `due` goes.
    Instant holdingReplyGoesAt(const Charter& charter, Instant due) const;

    const SchedulerSettings& settings() const { return _settings; }

    // How many officers' digests were worked out (read from the store) by
    // this scheduler: for tests that check a tick does not redo them.
    std::size_t digestsComputed() const;

private:
    void planCaseActions(Instant now, std::vector<ScheduledTask>& out) const;
    void planExtensionNotices(std::vector<ScheduledTask>& out) const;
    void planPauseNotices(Instant now, std::vector<ScheduledTask>& out) const;
    void planDigests(Instant now, std::vector<ScheduledTask>& out) const;
    Instant openingOf(const Charter& charter, Date day) const;
    // True while a call task stands for `c`'s acknowledgement: the officer
    // is to phone, and no letter goes yet.
    bool callTaskWaits(const Case& c, const Charter& charter, Instant now) const;

    const CaseStore& _store;
    const MailLedger& _ledger;
    CharterBook& _charters;
    SchedulerSettings _settings;
    const ZoneRules& _zone;
    // The morning digest is decided once per officer and day: once queued,
    // or once found empty (nothing due, nothing to sort), this scheduler
    // does not read that officer's due list again until the next working
    // day, though serve plans every minute. A new process (duly tick from
    // cron) decides afresh, so there an officer whose first case of the day
    // arrives after the digest time may still get a digest that day.
    mutable std::mutex _digestMutex;
    mutable Date _digestDay{};
    mutable std::set<std::string> _digestDecided;
    mutable std::size_t _digestsComputed = 0;
};

}  // namespace duly::engine
