// Intake: what happens to a message when it arrives. Given a message the
// mail side has already read (decoded headers, text, loop verdict), Intake
// decides whether it is a message already taken in, a reply joining an
// existing case, or something new that opens a case — and for a new case,
// who the customer is (an unknown sender becomes a new contact whose
// language is guessed from the script of the message), which officer gets
// it, and whether an automatic acknowledgement may go.
//
// Planning writes nothing except a reserved case reference (so the
// acknowledgement can be rendered with it); the caller then writes the case
// and its acknowledgement together with MailLedger::createCaseWithMessages.
// Throws InputError for a mailbox whose charter does not exist.
#pragma once

#include "duly/engine/CaseService.h"
#include "duly/engine/MailLedger.h"

#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

// A message as the mail side hands it over.
struct InboundMessage {
    std::string mailbox;          // the configured mailbox's name
    std::string charter;          // the mailbox's charter
    std::string brand;            // the mailbox's brand (a [brand.ID] of the charter); empty: the charter's own
    Channel channel = Channel::Email;   // email, or letter for a scanned-post mailbox
    std::optional<Kind> kind;     // when all of the mailbox's mail is of one kind
    std::string assign;           // the mailbox's assignment rule (see AssignmentRule)
    Instant received{};
    std::string messageId;        // "<…>" as sent, or a digest of the bytes when it had none
    std::string fromAddress;      // the sender's bare address
    std::string fromName;         // the sender's display name
    std::string subject;
    std::string text;             // the body as plain text
    std::vector<std::string> references;  // In-Reply-To, then References
    std::string raw;              // the bytes as received, kept as evidence
    std::string fingerprint;      // digest of sender, Date and text (see Item::fingerprint); may be empty
    std::string parseProblem;     // non-empty: the message could not be read (quarantined)
    std::optional<std::string> noAutoReply;  // the loop rules' reason to send nothing automatic
    std::vector<Attachment> attachments;     // stored with the item (a letter's scan)
    // The mailbox's rules on words in the subject or text (any case): a new
    // case is marked urgent; a likely complaint gets a note for an officer.
    std::vector<std::string> urgentWords{};
    std::vector<std::string> complaintWords{};
};

// How a mailbox hands out new cases:
//   "officer:ID"          always that officer
//   "team:NAME"           the team's officer with the fewest open cases
//   "round-robin:NAME"    the team's officers in turn
//   ""                    nobody: the case waits for triage
struct AssignmentRule {
    enum class Kind { None, Officer, Team, RoundRobin } kind = Kind::None;
    std::string target;
};
// Throws InputError naming `what` for anything else.
AssignmentRule parseAssignmentRule(const std::string& text, const std::string& what);

struct IntakePlan {
    enum class Action { Duplicate, JoinCase, OpenCase } action = Action::OpenCase;
    Case kase;                    // JoinCase: the case joined; OpenCase: the new case, reference reserved
    Item item;                    // the item this message becomes
    std::optional<Customer> newContact;  // a new contact to store before the case
    Customer customer;            // the customer the case is about (may be the new contact)
    bool customerKnown = false;   // found by email address or reference
    // OpenCase: whether an automatic acknowledgement may go, and if not why.
    bool acknowledge = false;
    std::string noAcknowledgementReason;
    bool byPost = false;          // the acknowledgement goes as a letter
    std::vector<CaseEvent> events;
};

class Intake {
public:
    Intake(CaseStore& cases, MailLedger& ledger, CharterBook& charters);

    // At most this many automatic replies to one address in 24 hours.
    void setAutoReplyLimit(std::size_t perDay) { _autoReplyLimit = perDay; }

    IntakePlan plan(const InboundMessage& message);

    // The case references a text mentions ("PHG-2026-00042"), for the known
    // prefixes, in order of appearance.
    std::vector<std::string> referencesIn(const std::string& text) const;

    // The id a message is taken in under when another, different message
    // already came with its Message-ID: derived from the id and the
    // message's own fingerprint (or bytes), so the same message seen again
    // derives the same id and is recognised.
    static std::string collisionId(const InboundMessage& message);

    // Writes a planned new case (and its new contact) with the messages it
    // decided to send; a JoinCase plan adds its item. Returns the stored case.
    Case commit(const IntakePlan& plan, const std::string& raw, const std::vector<OutboundMessage>& messages);

private:
    std::string chooseOfficer(const AssignmentRule& rule, Instant at);
    // The open case an email or letter joins. A reply joins the case of a
    // message Duly sent that it names (In-Reply-To or References); a case
    // reference in the subject or a thread id joins only when the sender is
    // already on that case. Such a case with a stranger's message is
    // returned in `mentioned` instead, for a new case linked to it.
    std::optional<Case> caseToJoin(const InboundMessage& message, std::optional<Case>& mentioned);
    // True when `address` wrote to the case before or is its customer's.
    bool senderOnCase(const std::string& address, const Case& kase);
    // True when the message is the one already stored under its source.
    bool sameMessage(const InboundMessage& message, const MailLedger::SourceItem& stored);

    CaseStore& _cases;
    MailLedger& _ledger;
    CharterBook& _charters;
    std::size_t _autoReplyLimit = 3;
};

// The language of a text guessed from its script: Arabic script → "ur",
// Han → "yue-Hant", otherwise "en-GB".
std::string guessLanguageFromScript(const std::string& text);

}  // namespace duly::engine
