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

namespace duly::app {

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

    // The locale and format a customer reads: their language tag, and
    // large-print when their formats ask for it.
    static std::string localeFor(const engine::Customer& customer);
    static std::string formatFor(const engine::Customer& customer);

    // Renders `templateName` for case `c` in the customer's locale and format
    // (or those given). A case with no customer yet is addressed to its
    // sender by the greeting the templates use for an unknown name.
    engine::Document render(const engine::Case& c, const std::string& templateName,
                            const engine::LetterDetails& details, std::string locale = "", std::string format = "");
    // The same for a customer not (yet) in the store: a new contact.
    engine::Document render(const engine::Case& c, const engine::Customer& customer, const std::string& templateName,
                            const engine::LetterDetails& details, std::string locale = "", std::string format = "");

    // Whether documents for case `c` go to `customer` by post: the case came
    // by letter, the customer prefers post, or there is no email address.
    static bool byPost(const engine::Case& c, const engine::Customer& customer);

    // The Housing Ombudsman Service's contact details, printed on every
    // complaint extension notice (Complaint Handling Code, section 5).
    static constexpr const char* kOmbudsmanPhone = "0300 111 3000";
    static constexpr const char* kOmbudsmanWebsite = "www.housing-ombudsman.org.uk";

    // What a postal item holds until the print run lays it out (the bytes
    // of its outbound row): the template to render and, for a reply, the
    // officer's own words. Written as the template name, then a newline and
    // the text when there is one; a bare template name is a letter made
    // from the case alone (how every postal item was queued before).
    struct QueuedLetter {
        std::string templateName;
        std::string text;  // the officer's reply; empty for other letters
    };
    static std::string queuedLetter(const std::string& templateName, const std::string& text = "");
    // Reads what queuedLetter wrote; an unknown template name is returned
    // as it is (the print run then falls back to the document key).
    static QueuedLetter readQueuedLetter(const std::string& bytes);

    // The template that acknowledges a case of this kind.
    static std::string acknowledgementTemplate(engine::Kind kind);

    engine::Customer customerOf(const engine::Case& c) const;
    engine::Officer officerOf(const engine::Case& c) const;

private:
    const engine::Renderer& _renderer;
    const engine::CaseStore& _store;
    engine::CharterBook& _charters;
};

}  // namespace duly::app
