// CaseDocuments: stored case → template context → Document.
#include "duly/flow/CaseDocuments.h"

#include "duly/engine/Correspondence.h"

#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"

#include <algorithm>

using namespace duly::engine;

namespace duly::flow {

CaseDocuments::CaseDocuments(const Renderer& renderer, const CaseStore& store, CharterBook& charters)
    : _renderer(renderer), _store(store), _charters(charters) {}

namespace {

Organisation fromContact(const std::string& id, const OrganisationContact& c, const OmbudsmanContact& ombudsman) {
    return Organisation{id, c.name, c.address, c.phone, c.email, c.website, c.openingHours, ombudsman};
}

}  // namespace

Organisation CaseDocuments::organisation(const std::string& charterName) {
    const Charter& charter = _charters.get(charterName);
    return fromContact(charter.name, charter.contact, charter.scheme.ombudsman);
}

const OrganisationContact& CaseDocuments::brandContact(const Charter& charter, const std::string& brand) {
    auto found = charter.brands.find(brand);
    if (found != charter.brands.end()) return found->second;
    std::string known;
    for (const auto& [id, contact] : charter.brands) known += (known.empty() ? "" : ", ") + id;
    throw InputError("brand \"" + brand + "\": charter " + charter.name + " (" + charter.file + ") has no [brand." + brand +
                     "] table (" + (known.empty() ? std::string("it has no brands") : "its brands: " + known) + ")");
}

Organisation CaseDocuments::organisation(const Case& c, const Customer& customer) {
    const Charter& charter = _charters.get(c.charter);
    const std::string& brand = !customer.brand.empty() ? customer.brand : c.brand;
    if (brand.empty()) return fromContact(charter.name, charter.contact, charter.scheme.ombudsman);
    try {
        return fromContact(brand, brandContact(charter, brand), charter.scheme.ombudsman);
    } catch (const InputError& e) {
        throw InputError((!customer.brand.empty() ? "customer " + customer.reference : "case " + c.reference) + ": " +
                         e.what());
    }
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

Document CaseDocuments::render(const Case& c, const Customer& customer, const std::string& templateName,
                               const LetterDetails& details, std::string locale, std::string format) {
    const Officer officer = officerOf(c);
    Organisation org = organisation(c, customer);
    if (org.email.empty() && !officer.email.empty()) org.email = officer.email;
    if (locale.empty()) locale = localeFor(customer);
    if (format.empty()) format = formatFor(customer);
    RenderOptions options;
    options.bilingual = _renderer.bilingualByDefault();
    const LetterDetails d = completed(c, templateName, details);
    return _renderer.render(templateName, locale, format, buildCaseContext(c, customer, officer, org, d), options);
}

LetterDetails CaseDocuments::completed(const Case& c, const std::string& templateName, LetterDetails d) {
    // A reply promises to answer a follow-up as the charter promises to
    // answer the case: so many working days from the reply's date.
    if (templateName == "reply" && !d.followUpBy) {
        const Charter& charter = _charters.get(c.charter);
        const CharterRule* rule = charter.ruleFor(c.channel, c.kind);
        if (rule && rule->respondWithin) {
            const DeadlineCalculator calc(charter);
            d.followUpBy = calc.dueAfter(calc.dayZero(d.date), *rule->respondWithin);
        }
    }
    return d;
}

}  // namespace duly::flow
