// CaseDocuments: renders a stored case's documents (acknowledgement, holding
// reply, extension notice, reply) in its customer's language and format,
// headed by the case's brand (the customer's, else the mailbox's) or else
// the organisation of the case's charter. Shared by `duly render --case`,
// mail ingest, the scheduler, the print run and the dashboard's reply, so
// every path gives templates the same context. Throws InputError for a
// case, customer or officer that does not exist, or a brand the charter
// lacks.
#pragma once

#include "duly/engine/CaseStore.h"
#include "duly/engine/CharterBook.h"
#include "duly/engine/Document.h"
#include "duly/engine/Organisation.h"
#include "duly/engine/RenderContext.h"
#include "duly/engine/Renderer.h"

#include <string>

namespace duly::flow {

class CaseDocuments {
public:
    CaseDocuments(const engine::Renderer& renderer, const engine::CaseStore& store, engine::CharterBook& charters);

    // The organisation printed on the charter's letters: its [organisation]
    // (id: the charter's name).
    engine::Organisation organisation(const std::string& charterName);
    // The organisation printed on case `c`'s letters to `customer`: the
    // brand the customer names, else the brand of the mailbox the case came
    // to, else the charter's own (id: the brand, else the charter's name —
    // the key of its letterhead in config/letters.toml). Throws InputError
    // for a brand the charter does not have.
    engine::Organisation organisation(const engine::Case& c, const engine::Customer& customer);
    // A charter's brand; throws InputError naming the charter's file and its brands.
    static const engine::OrganisationContact& brandContact(const engine::Charter& charter, const std::string& brand);

    // Renders `templateName` for case `c` in the customer's locale and format
    // (or those given). A case with no customer yet is addressed to its
    // sender by the greeting the templates use for an unknown name.
    engine::Document render(const engine::Case& c, const std::string& templateName,
                            const engine::LetterDetails& details, std::string locale = "", std::string format = "");
    // The same for a customer not (yet) in the store: a new contact.
    engine::Document render(const engine::Case& c, const engine::Customer& customer, const std::string& templateName,
                            const engine::LetterDetails& details, std::string locale = "", std::string format = "");

    // `details` with what the template states beyond them filled in: a
    // reply's follow-up date (so many working days from the reply's date,
    // as the charter promises for the case). Render and the letter order
    // both take the completed details, so a letter printed later states the
    // same dates.
    engine::LetterDetails completed(const engine::Case& c, const std::string& templateName,
                                    engine::LetterDetails details);

    // What `templateName` would state for `c` if it went at `now`, from the
    // case's stored facts (for `duly render --case`): a holding reply's
    // reason and date (the officer's, else the charter's default), an
    // extension's from the last extension, a pause notice's request, a
    // resume notice's date; "we said" is the last date the customer was
    // sent. Throws InputError when the case has no such facts (an extension
    // notice for a case never extended).
    engine::LetterDetails currentDetails(const engine::Case& c, const std::string& templateName, engine::Instant now);

    engine::Customer customerOf(const engine::Case& c) const;
    // The case's representative as the recipient of a document (name,
    // salutation, email, address; English, standard print), for `customer`'s
    // brand. Throws InputError when the case has none. A document whose
    // details say toRepresentative is rendered for them (see RenderContext).
    static engine::Customer representativeOf(const engine::Case& c, const engine::Customer& customer);
    engine::Officer officerOf(const engine::Case& c) const;

private:
    const engine::Renderer& _renderer;
    const engine::CaseStore& _store;
    engine::CharterBook& _charters;
};

}  // namespace duly::flow
