// CaseDocuments: stored case → template context → Document.
#include "CaseDocuments.h"

#include "duly/engine/InputError.h"

#include <algorithm>

using namespace duly::engine;

namespace duly::app {

CaseDocuments::CaseDocuments(const Renderer& renderer, const CaseStore& store, CharterBook& charters)
    : _renderer(renderer), _store(store), _charters(charters) {}

Organisation CaseDocuments::organisation(const std::string& charterName) {
    const Charter& charter = _charters.get(charterName);
    const auto& c = charter.contact;
    return Organisation{charter.name, c.name, c.address, c.phone, c.email, c.website, c.openingHours};
}

std::string CaseDocuments::localeFor(const Customer& customer) {
    return customer.language.empty() ? "en-GB" : customer.language;
}

std::string CaseDocuments::formatFor(const Customer& customer) {
    return std::find(customer.formats.begin(), customer.formats.end(), "large-print") != customer.formats.end()
               ? "large-print"
               : "standard";
}

Customer CaseDocuments::customerOf(const Case& c) const {
    if (!c.customerRef.empty()) {
        if (auto found = _store.customer(c.customerRef)) return *found;
        throw InputError("case " + c.reference + " names customer " + c.customerRef + ", who is not in the store");
    }
    Customer unknown;
    unknown.name = c.items.empty() ? std::string() : c.items.front().from;
    return unknown;
}

Officer CaseDocuments::officerOf(const Case& c) const {
    if (!c.officerId.empty()) {
        if (auto found = _store.officer(c.officerId)) return *found;
        throw InputError("case " + c.reference + " names officer " + c.officerId + ", who is not in the store");
    }
    // Unassigned: the organisation's customer services sign it.
    Officer desk;
    desk.name = "Customer Services";
    desk.position = "Customer Services";
    return desk;
}

Document CaseDocuments::render(const Case& c, const std::string& templateName, const LetterDetails& details,
                               std::string locale, std::string format) {
    return render(c, customerOf(c), templateName, details, std::move(locale), std::move(format));
}

bool CaseDocuments::byPost(const Case& c, const Customer& customer) {
    return c.channel == Channel::Letter || customer.preferredChannel == PreferredChannel::Post || customer.email.empty();
}

std::string CaseDocuments::acknowledgementTemplate(Kind kind) {
    if (kind == Kind::ComplaintStage1) return "complaint-stage-1-acknowledgement";
    if (kind == Kind::ComplaintStage2) return "complaint-stage-2-acknowledgement";
    return "acknowledgement";
}

Document CaseDocuments::render(const Case& c, const Customer& customer, const std::string& templateName,
                               const LetterDetails& details, std::string locale, std::string format) {
    const Officer officer = officerOf(c);
    Organisation org = organisation(c.charter);
    if (org.email.empty() && !officer.email.empty()) org.email = officer.email;
    if (locale.empty()) locale = localeFor(customer);
    if (format.empty()) format = formatFor(customer);
    RenderOptions options;
    options.bilingual = _renderer.bilingualByDefault();
    return _renderer.render(templateName, locale, format, buildCaseContext(c, customer, officer, org, details), options);
}

}  // namespace duly::app
