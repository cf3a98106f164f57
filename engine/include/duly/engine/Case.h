// Case: one matter raised by a customer, with the items that make it up
// (each inbound letter, email or message), its deadlines and the history of
// what happened to it. Everything here is plain data; the rules that change a
// case live in CaseService.
#pragma once

#include "duly/engine/Channel.h"
#include "duly/engine/Time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

enum class CaseState { Open, Closed };
std::string_view caseStateName(CaseState state);  // "open", "closed"
std::optional<CaseState> caseStateFromName(std::string_view name);

enum class EventType {
    Received,
    Acknowledged,
    HoldingReplySent,
    Replied,
    Extended,
    EscalatedToStage2,
    Assigned,
    Closed,
    Note,
    WaitingOnCustomer,  // the response clock paused (where the charter allows it)
    Resumed,            // the customer came back: the clock runs again
    Reclassified,       // the kind changed ("enquiry → complaint-stage-1: why")
    Representative,     // a representative added, changed or removed
    Remedy,             // an apology, action or payment recorded
    Referral,           // referred to the ombudsman, or its outcome
};
// "received", "acknowledged", "holding-reply-sent", "replied", "extended",
// "escalated-to-stage-2", "assigned", "closed", "note", "waiting-on-customer",
// "resumed", "reclassified", "representative", "remedy", "referral"
std::string_view eventTypeName(EventType type);
std::optional<EventType> eventTypeFromName(std::string_view name);

struct CaseEvent {
    std::int64_t id = 0;
    EventType type = EventType::Note;
    Instant at{};
    std::string actor;   // officer id, or "duly" for the engine itself
    std::string detail;  // free text: the reason for an extension, the new officer
};

// A file that came with an item: an email's attachment, or the pages of a
// scanned letter (PDF, TIFF, JPEG).
struct Attachment {
    std::string name;         // safe to show and to save (the mail side sanitised it)
    std::string contentType;  // "application/pdf"
    std::string bytes;
};

struct Item {
    std::int64_t id = 0;
    Channel channel = Channel::Email;
    Instant received{};
    std::string subject;
    std::string body;       // extracted text
    std::string source;     // Message-ID, scan file or "manual"
    std::string from;       // sender address or name, as given
    // Written with the item; findCase leaves this empty (the bytes can be
    // large): read them with MailLedger::attachments(item id).
    std::vector<Attachment> attachments{};  // {}: older Item{...} initialisers stay warning-free
    // A digest of the sender's address, the Date header and the text, for
    // mail (empty otherwise): tells the same message seen again from another
    // message that reuses its Message-ID.
    std::string fingerprint{};
};

// An extension of the response date agreed on a case (for a complaint, as
// the Complaint Handling Code allows), as recorded when it was made.
// A stage 1 complaint's dates, as they stood when it went to stage 2.
struct Stage1Dates {
    Instant received{};
    std::optional<Instant> acknowledgedAt;
    std::optional<Instant> respondBy;
    std::optional<Instant> repliedAt;
    int extensionDays = 0;
};

struct Extension {
    int number = 0;          // 1, 2, … within the case; its notice is "extension-N"
    int workingDays = 0;
    std::string reason;      // the officer's words, for the customer
    std::optional<Instant> dateBefore;  // the response date it replaced (unknown for ones made before it was kept)
    std::optional<Instant> dateAfter;   // the response date it gave
    std::string actor;
    Instant at{};
};

// A telephone call an officer made on a case (a call-back, a phone message
// answered, or the acknowledgement of a customer who prefers the phone), as
// recorded when it was made. Only ever added to.
enum class CallOutcome { Answered, NoAnswer, LeftMessage };
std::string_view callOutcomeName(CallOutcome outcome);  // "answered", "no-answer", "left-message"
std::optional<CallOutcome> callOutcomeFromName(std::string_view name);

struct Call {
    int number = 0;            // 1, 2, … within the case
    Instant at{};
    std::string actor;         // the officer who phoned
    std::string phone;         // the number dialled
    CallOutcome outcome = CallOutcome::NoAnswer;
    std::string purpose;       // "acknowledge" or "respond": what the call was to do
    std::string note;          // the officer's words: what was said or left
};

// A date Duly told the customer, and the document that told them.
struct DateGiven {
    std::string documentKey;  // "acknowledgement", "holding-reply", "extension-1", …
    Instant date{};           // the date stated ("we will reply by")
    Instant givenAt{};        // when the document was queued
};

// Someone the customer has asked to deal with their case for them (the
// complaints leaflet: "a friend, relative or MP"), with the customer's
// consent as it was given. Letters the case sends to the customer go to
// them as well (a copy), or to them alone where the consent says so.
enum class RepresentativeKind { Advocate, Relative, Mp, Solicitor, Other };
// "advocate", "relative", "mp", "solicitor", "other"
std::string_view representativeKindName(RepresentativeKind kind);
std::optional<RepresentativeKind> representativeKindFromName(std::string_view name);

enum class SendTo { Copy, RepresentativeOnly };
std::string_view sendToName(SendTo to);  // "copy", "representative-only"
std::optional<SendTo> sendToFromName(std::string_view name);

struct Representative {
    RepresentativeKind kind = RepresentativeKind::Other;
    std::string name;        // "Ms Jo Patel MP"
    std::string salutation;  // "Dear Ms Patel"; empty: "Dear " and the name
    std::string email;       // either or both of email and address
    std::vector<std::string> address;  // lines, postcode last
    Instant consentAt{};     // when the customer consented
    std::string consentHow;  // "signed form", "phone call", "email"
    SendTo sendTo = SendTo::Copy;
    std::string addedBy;
    Instant addedAt{};
    bool operator==(const Representative&) const = default;
};

// What the landlord put right on a case (the Code's remedies): an apology,
// an action promised by a date, a goodwill payment or compensation.
enum class RemedyKind { Apology, Action, Goodwill, Compensation };
// "apology", "action", "goodwill", "compensation"
std::string_view remedyKindName(RemedyKind kind);
std::optional<RemedyKind> remedyKindFromName(std::string_view name);

// "50", "50.5", "£1,250.00" → pence; nothing for anything else (more than
// two decimals, letters, more than £10,000,000,000).
std::optional<std::int64_t> penceFromText(std::string_view text);
std::string poundsText(std::int64_t pence);  // "£1250.00"

struct Remedy {
    std::int64_t id = 0;
    RemedyKind kind = RemedyKind::Apology;
    std::string detail;           // what was promised, or the reason for a payment
    std::optional<Date> dueBy;    // an action's date
    std::int64_t amountPence = 0; // a payment's amount
    std::string actor;
    Instant at{};                 // when it was recorded
    bool operator==(const Remedy&) const = default;
};

// The case taken to the ombudsman: when, and what the ombudsman decided.
struct Referral {
    Instant referredAt{};
    std::string outcome;              // "" until decided; see referralOutcomes()
    std::optional<Instant> outcomeAt;
    std::string actor;                // who recorded it last
    bool operator==(const Referral&) const = default;
};
// The outcomes a referral may record: the Housing Ombudsman's determinations
// and the public services ombudsmen's words ("upheld", "maladministration", …).
const std::vector<std::string>& referralOutcomes();

struct Case {
    std::int64_t id = 0;      // store key
    std::string reference;    // "PHG-2026-00042"
    std::string charter;      // "progress"
    Channel channel = Channel::Email;
    Kind kind = Kind::Enquiry;
    CaseState state = CaseState::Open;
    std::string customerRef;  // empty: not yet known (awaiting triage)
    std::string brand;        // the letterhead of the mailbox it came to ("key"); empty: the charter's own
    std::string officerId;    // empty: unassigned
    std::string subject;
    Instant received{};
    Date countedFrom{};
    std::optional<Instant> acknowledgeBy;
    std::optional<Instant> respondBy;
    std::optional<Instant> holdingReplyBy;
    std::optional<Instant> acknowledgedAt;
    std::optional<Instant> holdingReplySentAt;
    std::optional<Instant> repliedAt;
    std::optional<Instant> closedAt;
    int extensionDays = 0;
    // What the next holding reply will say: the officer's reason and the new
    // date they set (empty: the charter's default date, no reason given).
    std::string holdingReason;
    std::optional<Instant> holdingNewDate;
    // The response clock, where the charter lets it pause while the case
    // waits on the customer: since when it is paused (empty: running), and
    // the working days of earlier pauses, which push the response date on.
    std::optional<Instant> pausedSince;
    int pausedDays = 0;
    // Why no automatic acknowledgement went when the case came in (empty:
    // nothing was withheld): the scheduler does not send one later.
    std::string acknowledgementWithheld;
    // Marked urgent (by an officer, or a mailbox rule on words in the
    // message): first in every queue and digest.
    bool urgent = false;
    // For a stage 2 complaint: the officer who handled stage 1 (who may not
    // handle stage 2).
    std::string stage1OfficerId;
    // Stage 1 of a complaint taken to stage 2: its clock as it stood, kept
    // for stage 1 reports (stage 2 starts its own). Empty until escalation.
    std::optional<Stage1Dates> stage1{};
    // The number to call back (a phone message or call-back request taken
    // by an officer); empty: the customer's own phone.
    std::string callNumber{};
    // Loaded by findCase (and casesReceived: remedies and referral);
    // written only by CaseStore's setRepresentative, addRemedy, setReferral.
    std::optional<Representative> representative{};
    std::vector<Remedy> remedies{};      // in the order recorded
    std::optional<Referral> referral{};
    std::vector<Extension> extensions;  // in the order they were made
    std::vector<Call> calls{};          // in the order they were made
    std::vector<DateGiven> datesGiven;  // in the order they were given
    std::vector<Item> items;
    std::vector<CaseEvent> events;
};

}  // namespace duly::engine
