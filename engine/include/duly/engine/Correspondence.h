// Correspondence: the rules that decide how a document reaches a customer,
// each written once: by post or by email, whether there is a postal
// address to send to, which template acknowledges a case, and the locale
// and format the customer reads. Pure functions of the case and the
// customer; nothing here throws.
//
// A postal item waits in the outbox as a LetterOrder: what to print (the
// template) and the facts it states (the officer's reply, a holding reply's
// reason and date, an extension's days and dates), written when the item is
// queued, so the print run prints what was decided then and never rebuilds
// it from the case or its history.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/Charter.h"
#include "duly/engine/ZoneRules.h"
#include "duly/engine/Directory.h"
#include "duly/engine/Organisation.h"
#include "duly/engine/RenderContext.h"

#include <optional>
#include <string>

namespace duly::engine {

// A document goes by post when the case came by letter, the customer prefers
// post, or there is no email address to write to. A customer who prefers the
// phone is phoned where a call can do (callsToAcknowledge); what Duly writes
// to them goes by post, their written fallback, when it can be addressed.
bool goesByPost(const Case& c, const Customer& customer);

// The call log. A phone message or call-back request is answered by a call;
// so is the acknowledgement of a customer who prefers the phone and has a
// number. The call task waits in the officer's queue; after
// `attempts` calls not answered (SchedulerSettings::callAttempts), or on the
// day the acknowledgement is due, Duly writes instead. A complaint is always
// acknowledged in writing (its acknowledgement sets out the complaint); where
// the charter promises no acknowledgement there is no call to make.
// A phone message (channel phone-message) that is not a complaint, or a
// call-back request (kind call-back) however it came.
bool isCallCase(Channel channel, Kind kind);
bool isCallCase(const Case& c);
bool callsToAcknowledge(const Case& c, const Customer& customer);
// The number to dial: the one taken with the message, else the customer's.
std::string numberToCall(const Case& c, const Customer& customer);
// Calls made on the case that no one answered, and whether one was answered.
int unansweredCalls(const Case& c);
bool callAnswered(const Case& c);
// A due action that is a call task, in words for a queue: "call back 07700
// 900999" for a phone message, "phone 07700 900201 to acknowledge" for the
// acknowledgement of a customer who prefers the phone; empty otherwise.
// Reads the customer from `store`.
std::string callTaskWords(const DueAction& action, const CaseStore& store);

// True when a letter can be addressed: a first address line and a postcode.
bool hasPostalAddress(const Customer& customer);

// The template that acknowledges a case of this kind.
std::string acknowledgementTemplate(Kind kind);

// Who signs a case's letters: the assigned officer; for a case with no
// officer yet (`officer.id` empty), the team itself ("the Customer Services
// team"), with the team's phone and email, else the organisation's.
Officer signatory(const Officer& officer, const Organisation& organisation);

// What the customer was last asked for when the clock paused (the words of
// the latest waiting-on-customer event); empty when it never paused.
std::string waitingFor(const Case& c);

// The organisation heading letters of `charter` under `contact` (its own
// [organisation], or a brand's) with id `id`, and the charter's ombudsman.
Organisation organisationOf(const Charter& charter, const std::string& id, const OrganisationContact& contact);
// The outbox key of the case's acknowledgement: "acknowledgement", or after
// the case was reclassified "acknowledgement-KIND" (the kind it has now), so
// a reclassified case gets the acknowledgement of its new kind whether or
// not the first one went. isAcknowledgementKey is true for either form.
std::string acknowledgementKey(const Case& c);
bool isAcknowledgementKey(std::string_view documentKey);

// The locale a customer reads (their language, en-GB when none is known) and
// the format (large-print when their formats ask for it, else standard).
std::string localeFor(const Customer& customer);
std::string formatFor(const Customer& customer);

// The ombudsman of the charter's complaints scheme (config/schemes), given
// on every complaint extension notice (Complaint Handling Code 6.4 and its
// counterparts in the other nations).
OmbudsmanContact ombudsmanFor(const Charter& charter);

// The date a holding reply gives when the officer set none: the rule's
// holding_reply_extends (else respond_within, else 5) working days after the
// date already promised, counted from that date's own day; on a complaint
// never past the scheme's cap.
Instant defaultHoldingDate(const Case& c, const Charter& charter, const ZoneRules& zone);

// What a queued letter is to say.
struct LetterOrder {
    std::string templateName;
    LetterDetails details;  // date and facts as decided when it was queued

    // The outbox's bytes for it: "duly-letter 1" and one "key: value" line
    // per fact (a value's backslashes and line breaks escaped).
    std::string serialize() const;
    // Reads serialize()'s bytes; also the older forms (a bare template name,
    // or a template name, a line break and a reply's text). Returns nullopt
    // for bytes that are neither, such as a printed PDF.
    static std::optional<LetterOrder> parse(const std::string& bytes);
};

}  // namespace duly::engine
