// RenderContext: builds the Value tree templates see from the engine's
// domain types, so every caller (the scheduler, `duly render --case`, the
// sample preview) gives templates the same field names:
//   document.date                     Instant (the letter's date)
//   customer.name|salutation|reference|email|phone, customer.address (list
//     of lines, postcode last), customer.postcode, customer.language
//   case.reference|subject|channel ("phone-message")|channel_key
//     ("phone_message", for ICU select)|kind, case.received|respond_by|
//     acknowledge_by (Instants; shown as the locale's long date in
//     Europe/London)
//   officer.name|position|phone|email|assigned (false: the team signs),
//     officer.contact_phone|contact_email (theirs, else the team's, else
//     the organisation's)
//   organisation.name|phone|email|website|opening_hours, organisation.address
//   holding.reason|old_date|new_date, extension.reason|old_date|new_date|
//     days|ombudsman_name|ombudsman_phone|ombudsman_website, reply.body|follow_up_by,
//     pause.waiting_for|old_date, resume.new_date
//   ombudsman.name|phone|website, ombudsman.address (the charter's scheme's)
//   representative.on_behalf_of (a letter to the customer's representative:
//     the customer's name; absent otherwise)
//   digest.* (see DigestEntry)
// Nothing here throws.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/Directory.h"
#include "duly/engine/Organisation.h"
#include "duly/engine/TemplateValue.h"
#include "duly/engine/Time.h"

#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

struct HoldingReplyDetails {
    std::string reason;   // the officer's words: why it is taking longer
    Instant newDate{};
    // The date the customer was last given ("we said we would reply by");
    // empty: the case's response date. ({}: older initialisers stay warning-free.)
    std::optional<Instant> previousDate{};
};

struct ExtensionDetails {
    std::string reason;
    Instant newDate{};
    int workingDays = 0;        // how many working days more
    std::string ombudsmanPhone;   // the scheme's ombudsman's phone number
    std::string ombudsmanWebsite; // and website
    // The date the customer had before the extension; empty: the case's
    // response date. ({}: older initialisers stay warning-free.)
    std::optional<Instant> previousDate{};
    // The ombudsman's name as the notice was decided; empty (a letter queued
    // before schemes): the organisation's scheme's.
    std::string ombudsmanName{};
};

// A pause notice: the clock stands still while we wait on the customer.
struct PauseDetails {
    std::string waitingFor;  // the officer's words: what the customer was asked for
    Instant oldDate{};       // the reply date the customer was last given
};

// Missed calls: an officer phoned back about a phone message and no one
// answered, so we write instead.
struct MissedCallsDetails {
    std::string phone;  // the number dialled
    int attempts = 0;   // calls not answered
    Instant lastAt{};   // the last of them
};

struct LetterDetails {
    Instant date{};                               // the letter's date
    std::optional<HoldingReplyDetails> holding;
    std::optional<PauseDetails> pause;
    std::optional<Instant> resumedReplyBy;        // resume notice: the reply date now ({}: warning-free)
    std::optional<ExtensionDetails> extension;
    std::string replyBody;                        // the officer's own text
    std::optional<Instant> followUpBy;            // reply: when we answer any follow-up
    std::optional<MissedCallsDetails> missedCalls{};
    // For the case's representative, not the customer: addressed to them
    // (flow/CaseDocuments puts them in customer.*), with onBehalfOf, the
    // customer's name, as representative.on_behalf_of. ({}: warning-free.)
    bool toRepresentative{};
    std::string onBehalfOf{};
};

// The context for one case's letter. When a holding reply or extension is
// given, case.respond_by is its new date (the date the customer now expects).
Value buildCaseContext(const Case& kase, const Customer& customer, const Officer& officer,
                       const Organisation& organisation, const LetterDetails& details);

struct DigestEntry {
    std::string reference;
    std::string subject;
    std::string customerName;
    Instant due{};
    std::string action;   // "acknowledge", "reply", "holding_reply", "triage"
    bool urgent = false;  // the case is marked urgent (listed first, subject marked)
    // A call task: "call back 07700 900999", "phone 07700 900201 to
    // acknowledge" (callTaskWords); empty for one that is written.
    std::string call{};
};

struct Digest {
    std::vector<DigestEntry> overdue;
    std::vector<DigestEntry> dueToday;
    std::vector<DigestEntry> dueSoon;
    std::vector<DigestEntry> awaitingTriage;  // no customer or no officer yet
};

// The context for an officer's morning digest: document.date, officer.*,
// organisation.*, digest.overdue|due_today|due_soon (lists of maps with
// reference, subject, customer, due, action), digest.triage (cases awaiting
// triage) and digest.*_count numbers.
Value buildDigestContext(const Officer& officer, const Organisation& organisation, Instant now, const Digest& digest);

}  // namespace duly::engine
