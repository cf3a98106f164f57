// CaseService: the rules for changing a case, on top of a CaseStore. Each
// operation works out what changes (deadlines recomputed by the charter,
// an event for the history) and hands the whole change to the store in one
// call, so a case is never half-changed. Throws InputError for requests that
// break a rule (an extension past the maximum, a reply to a closed case, an
// unknown officer) with a message for the person who asked.
#pragma once

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"

#include <optional>
#include <string>

namespace duly::engine {

struct OpenCaseRequest {
    std::string charter;
    Channel channel = Channel::Email;
    Kind kind = Kind::Enquiry;
    Instant received{};
    std::string customerRef;  // may be empty (awaiting triage)
    std::string officerId;    // may be empty (unassigned)
    std::string subject;
    std::string body;
    std::string source = "manual";
    std::string from;
    std::string actor = "duly";
    // A phone message or call-back request: the number to call back (may be
    // empty when the customer's own phone is to be used).
    std::string callNumber;
    bool urgent = false;
};

// A call an officer made, as they record it.
struct CallRecord {
    CallOutcome outcome = CallOutcome::NoAnswer;
    std::string note;        // what was said, or the message left
    Instant at{};
    std::string actor;
    // An answered call on a phone message answers and closes the case
    // unless the officer keeps it open (the call raised something to do).
    bool keepOpen = false;
};

// A change to a case worked out by CaseService and not yet written: for a
// caller that writes it together with the messages it decided to send
// (MailLedger::updateCaseWithMessages), so the two never part.
struct CaseChange {
    Case kase;
    std::vector<CaseEvent> events;
};

class CaseService {
public:
    CaseService(CaseStore& store, CharterBook& charters);

    Case open(const OpenCaseRequest& request);
    // Refused for a stage 2 complaint and the officer who handled stage 1.
    Case assign(const std::string& reference, const std::string& officerId, Instant at,
                const std::string& actor);
    Case acknowledge(const std::string& reference, Instant at, const std::string& actor);
    Case holdingReplySent(const std::string& reference, Instant at, const std::string& actor,
                          const std::string& detail);
    Case reply(const std::string& reference, Instant at, const std::string& actor);
    // What reply() changes, not written: answered at `at` (`detail` for the
    // history, e.g. how the reply went); an answer also acknowledges the
    // customer and ends a pause. Refused for a closed or answered case.
    CaseChange answered(Case c, Instant at, const std::string& actor, const std::string& detail);
    // What a holding reply that has gone changes, not written: sent at
    // `at`, giving the customer `newDate`.
    CaseChange holdingReplyGone(Case c, Instant at, Instant newDate, const std::string& actor,
                                const std::string& detail);
    // What the holding reply will tell the customer: the officer's reason
    // and, optionally, the new date (after the date already promised and
    // after `at`); without one the charter's default is used. Refused once
    // the holding reply has gone or the case is answered. On a complaint a
    // holding reply is an extension: a new date past the scheme's cap
    // (responseCap) is refused, naming the cap.
    Case setHoldingReply(const std::string& reference, const std::string& reason, std::optional<Instant> newDate,
                         Instant at, const std::string& actor);
    Case extend(const std::string& reference, int days, const std::string& reason, Instant at,
                const std::string& actor);
    // What a holding reply on a complaint changes, not written: it is an
    // extension to `newDate` (the working days from the response date to
    // newDate's day, recorded as an Extension with `reason`) and the
    // holding reply counts as sent. Throws InputError without a reason, for
    // a date not after the response date, or past the cap.
    CaseChange holdingReplyAsExtension(Case c, Instant at, Instant newDate, const std::string& reason,
                                       const std::string& actor);
    // The latest date the scheme lets a complaint be answered by (its
    // response date with the whole max_extension); empty when `c` is not a
    // complaint with a response date.
    std::optional<Instant> responseCap(const Case& c);
    // Opens stage 2 of a stage 1 complaint: the kind becomes
    // complaint-stage-2, counted from `at`; the case must go to an officer
    // other than the one who handled stage 1.
    Case escalate(const std::string& reference, const std::string& officerId, Instant at,
                  const std::string& actor);
    Case close(const std::string& reference, Instant at, const std::string& actor);
    // Marks an open case urgent (first in every queue and digest), with the
    // reason for the history, or takes the mark off. Refused for a closed
    // case, and when the case is already so.
    Case setUrgent(const std::string& reference, bool urgent, const std::string& reason, Instant at,
                   const std::string& actor);

    // What declining stage 2 changes, not written: for a stage 1 complaint
    // the customer asked to take further, the landlord refuses (the rare
    // case the Code allows, with reasons and the ombudsman's details in the
    // letter the caller sends); the history records why, and the case is
    // closed (the customer's next step is the ombudsman). Throws InputError
    // for another kind, a closed case or no reason.
    CaseChange escalationRefused(Case c, const std::string& reason, Instant at, const std::string& actor);

    // Changes the kind of an open, unanswered case (an enquiry that is a
    // complaint): its clock is recomputed from the original receipt and,
    // when an acknowledgement went for the old kind, the new kind is
    // acknowledged afresh (acknowledgementKey) and, for a complaint, counted
    // from that acknowledgement. The history says who changed what and why
    // (`reason` may be empty). Refused for the same kind, for stage 2 (that
    // is `escalate`, with its own officer rules) and from stage 2.
    Case reclassify(const std::string& reference, Kind kind, const std::string& reason, Instant at,
                    const std::string& actor);

    // Gives the case a representative (replacing one it has): refused
    // without the customer's consent (when and how), without a name, with
    // neither an email nor a postal address, or with a consent time after
    // `at`. The history says who added (or changed) them.
    Case setRepresentative(const std::string& reference, Representative representative, Instant at,
                           const std::string& actor);
    // Takes the representative off (refused when there is none).
    Case removeRepresentative(const std::string& reference, const std::string& reason, Instant at,
                              const std::string& actor);
    // Records a remedy: an apology (detail optional), an action (detail:
    // what, and dueBy), a goodwill payment or compensation (amountPence > 0
    // and detail: the reason). Refused otherwise, naming what is missing.
    Case addRemedy(const std::string& reference, Remedy remedy, Instant at, const std::string& actor);
    // Records the referral to the ombudsman (referredAt) and, then or later,
    // its outcome (one of referralOutcomes(), with outcomeAt). Refused for an
    // outcome without a referral, an unknown outcome, an outcome without its
    // date (or a date without an outcome), dates after `at`, a referral
    // before the case was received or an outcome before the referral.
    Case recordReferral(const std::string& reference, std::optional<Instant> referredAt,
                        const std::string& outcome, std::optional<Instant> outcomeAt, Instant at,
                        const std::string& actor);

    // Pauses the response clock while the case waits on the customer
    // (`waitingFor`: what they were asked for, shown on the case). Refused
    // unless the charter's rule for the case allows a pause, the case has a
    // response date still ahead of `at`, is open, unanswered and not
    // already paused. While
    // paused the case gives no holding reply, warning or escalation for its
    // response (CaseStore::dueActions leaves it out).
    Case waitOnCustomer(const std::string& reference, const std::string& waitingFor, Instant at,
                        const std::string& actor);
    // Records a call on an open case (Case::calls). The number is the
    // case's call-back number, else the customer's phone; refused when
    // there is none. An answered call acknowledges the case if nothing had
    // (the officer tells the customer the reply date, which is kept with
    // the case as a date given); on a phone message it is also the answer,
    // and the case closes unless `keepOpen`.
    Case recordCall(const std::string& reference, const CallRecord& call);
    // Starts the clock again: the working days it stood still (see
    // DeadlineCalculator::pausedWorkingDays) move the response date on.
    // Refused unless the case is paused. A reply or closing also ends a
    // pause, counting its days the same way.
    Case resume(const std::string& reference, Instant at, const std::string& actor);
    // `c` as it would be if its pause ended at `at` (deadlines recomputed),
    // for showing the date the customer would now get; nothing is stored.
    // `c` unchanged when not paused.
    Case resumedAt(const Case& c, Instant at);

    // Recomputes the deadlines of `c` from its charter, receipt,
    // acknowledgement, extension and paused days.
    void recompute(Case& c);

private:
    Case load(const std::string& reference) const;
    // Closes `c` at `at` (ending any pause), adding the events to `events`.
    void closeCase(Case& c, Instant at, const std::string& actor, const std::string& detail,
                   std::vector<CaseEvent>& events);
    // Ends a pause at `at` in `c` (counting its days); returns the days.
    int endPause(Case& c, Instant at);
    void requireOpen(const Case& c) const;

    CaseStore& _store;
    CharterBook& _charters;
};

}  // namespace duly::engine
