// CaseDocuments: renders a stored case's documents (acknowledgement, holding
// reply, extension notice, reply) in its customer's language and format,
// with the organisation's details from the case's charter. Shared by
// `duly render --case`, mail ingest and the scheduler, so every path gives
// templates the same context. Throws InputError for a case, customer or
// officer that does not exist.
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

    // The organisation printed on the case's charter's letters.
    engine::Organisation organisation(const std::string& charterName);

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
