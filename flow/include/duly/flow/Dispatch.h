// Dispatch: the one door for everything Duly sends. Given a case, its
// customer and the document to send (acknowledgement, holding reply,
// extension notice, an officer's reply), it decides the route once (email or
// post, engine/Correspondence), renders the document in the customer's
// language and format, and builds the queued item: for email the composed
// message (threaded on the customer's latest message on the case, marked
// Auto-Submitted as RFC 3834 asks of an automatic reply), for the post a
// LetterOrder with the facts the letter states. A customer whose formats
// include audio gets the letter read aloud (pdf/AudioWriter) attached to
// their email. Officers' warnings,
// escalations and digests are composed here too.
//
// It writes nothing: the caller stores the items in the same transaction as
// the case change that decided them (MailLedger::createCaseWithMessages,
// updateCaseWithMessages). What cannot be sent — no address, a template that
// cannot be rendered, an address the composer cannot write — comes back as a
// refusal with its reason, never as a half-made item; only a failing store
// read throws.
#pragma once

#include "duly/engine/Case.h"
#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/Document.h"
#include "duly/engine/MailLedger.h"
#include "duly/engine/RenderContext.h"
#include "duly/engine/Renderer.h"
#include "duly/flow/CaseDocuments.h"
#include "duly/mail/MessageComposer.h"

#include <optional>
#include <string>
#include <vector>

namespace duly::flow {

// Who Duly's mail comes from, and the domain of its Message-IDs.
struct SenderIdentity {
    std::string name;
    std::string address;
    std::string domain = "duly.invalid";
};

// A document for a case's customer.
struct CustomerDocument {
    // RefusalToEscalate: the rare letter declining stage 2, the officer's
    // reasons in details.replyBody.
    // MissedCalls: the written fallback when no one answered the calls
    // made about a phone message (details.missedCalls).
    enum class What {
        Acknowledgement,
        HoldingReply,
        ExtensionNotice,
        Reply,
        PauseNotice,
        ResumeNotice,
        RefusalToEscalate,
        MissedCalls
    };
    What what = What::Acknowledgement;
    std::string documentKey;       // unique within the case: "acknowledgement", "holding-reply", "extension-2", "reply",
                                   // "pause-notice-20261124T100000Z"
    engine::LetterDetails details; // the date and the facts it states
};
std::string_view customerDocumentName(CustomerDocument::What what);  // "acknowledgement", "holding reply", ...

struct Dispatched {
    // What to queue with the case change: the item, or when `refused`, a
    // record of the refusal in the outbox (state failed) so that a
    // scheduled task is not planned again.
    std::vector<engine::OutboundMessage> messages;
    std::vector<engine::CaseEvent> events;  // notes for the case history (locale fallbacks, a refusal)
    bool refused = false;
    std::string refusal;                    // why nothing can go
    bool byPost = false;
    std::string how;                        // "by email to a@example.org", "by post to Mrs Akhtar"
    // The date the document tells the customer (the reply date an
    // acknowledgement gives, a holding reply's or extension's new date, when
    // a reply's follow-up will be answered), to be kept on the case with the
    // queued item (Case::datesGiven).
    std::optional<engine::DateGiven> given;
};

class Dispatch {
public:
    Dispatch(const engine::Renderer& renderer, const engine::CaseStore& store, engine::CharterBook& charters,
             SenderIdentity sender);

    // The document for `c`'s customer (`customer`: the stored one, or a new
    // contact not yet stored). A case with a representative sends them a
    // copy too (document key "KEY-representative"; a copy that cannot go is
    // a note, and the customer's still goes), or, where the consent says
    // "representative-only", sends it to them instead of the customer.
    Dispatched toCustomer(const engine::Case& c, const engine::Customer& customer, const CustomerDocument& document,
                          engine::Instant now);
    // The same for the case's stored customer.
    Dispatched toCustomer(const engine::Case& c, const CustomerDocument& document, engine::Instant now);

    // An email to an officer (a warning, an escalation, a digest): `doc`
    // rendered by the caller. `caseReference` names the case in the
    // Message-ID and subject ("digest" for a digest, with `tagSubject`
    // false); `documentKey` is the outbox key. Throws InputError for an
    // address the composer cannot write.
    engine::OutboundMessage toOfficer(const std::string& caseReference, const std::string& documentKey,
                                      const engine::Document& doc, const engine::Officer& to, engine::Instant now,
                                      bool tagSubject = true);

    // A refusal kept in the outbox for a task that cannot be carried out,
    // so it is not planned again (state failed, "not sent: WHY").
    static engine::OutboundMessage refusalRecord(const std::string& caseReference, const std::string& documentKey,
                                                 engine::OutboundMessage::Route route, const std::string& recipient,
                                                 const std::string& why, engine::Instant now);

    CaseDocuments& documents() { return _documents; }
    const SenderIdentity& sender() const { return _sender; }

private:
    // One item for the customer, or for the case's representative.
    Dispatched addressed(const engine::Case& c, const engine::Customer& customer, const CustomerDocument& document,
                         bool toRepresentative, engine::Instant now);

    const engine::Renderer& _renderer;
    CaseDocuments _documents;
    SenderIdentity _sender;
    mail::MessageComposer _composer;
};

// The template of a customer document for case `c`.
std::string templateFor(CustomerDocument::What what, const engine::Case& c);

}  // namespace duly::flow
