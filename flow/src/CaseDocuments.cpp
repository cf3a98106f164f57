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


Organisation CaseDocuments::organisation(const std::string& charterName) {
    const Charter& charter = _charters.get(charterName);
    return organisationOf(charter, charter.name, charter.contact);
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
    if (brand.empty()) return organisationOf(charter, charter.name, charter.contact);
    try {
        return organisationOf(charter, brand, brandContact(charter, brand));
    } catch (const InputError& e) {
        throw InputError((!customer.brand.empty() ? "customer " + customer.reference : "case " + c.reference) + ": " +
                         e.what());
    }
}

LetterDetails CaseDocuments::currentDetails(const Case& c, const std::string& templateName, Instant now) {
    LetterDetails d;
    d.date = now;
    std::optional<Instant> lastSent;
    if (!c.datesGiven.empty()) lastSent = c.datesGiven.back().date;
    if (templateName == "holding-reply") {
        const Instant newDate =
            c.holdingNewDate ? *c.holdingNewDate : defaultHoldingDate(c, _charters.get(c.charter), ZoneRules::london());
        d.holding = HoldingReplyDetails{c.holdingReason, newDate, lastSent};
    } else if (templateName.starts_with("complaint-stage-") && templateName.ends_with("-extension")) {
        if (c.extensions.empty())
            throw InputError("case " + c.reference + " has not been extended, so there is no extension notice to show");
        const Extension& e = c.extensions.back();
        const OmbudsmanContact ombudsman = ombudsmanFor(_charters.get(c.charter));
        d.extension = ExtensionDetails{e.reason,       e.dateAfter.value_or(c.respondBy.value_or(c.received)),
                                       e.workingDays,  ombudsman.phone,
                                       ombudsman.website, e.dateBefore,
                                       ombudsman.name};
    } else if (templateName == "pause-notice") {
        PauseDetails pause;
        pause.waitingFor = waitingFor(c);
        if (pause.waitingFor.empty())
            throw InputError("case " + c.reference + " has never waited on the customer, so there is no pause notice to show");
        pause.oldDate = lastSent.value_or(c.respondBy.value_or(c.received));
        d.pause = pause;
    } else if (templateName == "missed-calls") {
        if (c.calls.empty() || unansweredCalls(c) == 0)
            throw InputError("case " + c.reference + " has no unanswered call, so there is no missed-calls letter to show");
        const Call& last = c.calls.back();
        d.missedCalls = MissedCallsDetails{last.phone, unansweredCalls(c), last.at};
    } else if (templateName == "resume-notice") {
        if (!c.respondBy) throw InputError("case " + c.reference + " has no reply date to give");
        d.resumedReplyBy = c.respondBy;
    }
    return d;
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
    // Unassigned: no id. Letters are signed by the team (engine::signatory);
    // officers' alerts name Customer Services.
    Officer desk;
    desk.name = "Customer Services";
    return desk;
}

Document CaseDocuments::render(const Case& c, const std::string& templateName, const LetterDetails& details,
                               std::string locale, std::string format) {
    return render(c, customerOf(c), templateName, details, std::move(locale), std::move(format));
}

Customer CaseDocuments::representativeOf(const Case& c, const Customer& customer) {
    if (!c.representative)
        throw InputError("case " + c.reference + " has no representative (the document was for them)");
    const Representative& r = *c.representative;
    Customer to;
    to.name = r.name;
    to.salutation = r.salutation;
    to.email = r.email;
    // Lines, postcode last: up to three lines, the town, the postcode.
    const auto& a = r.address;
    if (!a.empty()) {
        to.postcode = a.back();
        if (a.size() >= 2) to.town = a[a.size() - 2];
        std::string* lines[] = {&to.addressLine1, &to.addressLine2, &to.addressLine3};
        const std::size_t rest = a.size() >= 2 ? a.size() - 2 : 0;
        for (std::size_t i = 0; i < rest; ++i) {
            std::string& line = *lines[std::min<std::size_t>(i, 2)];
            line += (line.empty() ? "" : ", ") + a[i];
        }
        if (to.addressLine1.empty()) std::swap(to.addressLine1, to.town);
    }
    to.preferredChannel = r.email.empty() ? PreferredChannel::Post : PreferredChannel::Email;
    to.brand = customer.brand;  // the customer's landlord writes
    return to;
}

Document CaseDocuments::render(const Case& c, const Customer& customer, const std::string& templateName,
                               const LetterDetails& details, std::string locale, std::string format) {
    const Organisation org = organisation(c, customer);
    const Officer officer = signatory(officerOf(c), org);
    LetterDetails d = completed(c, templateName, details);
    // A letter for the representative is addressed to them, in English
    // standard print (unless asked otherwise), saying whom they act for.
    const Customer recipient = d.toRepresentative ? representativeOf(c, customer) : customer;
    if (d.toRepresentative)
        d.onBehalfOf = customer.name.empty() ? std::string("the customer") : customer.name;
    if (locale.empty()) locale = localeFor(recipient);
    if (format.empty()) format = formatFor(recipient);
    RenderOptions options;
    options.bilingual = _renderer.bilingualByDefault();
    try {
        return _renderer.render(templateName, locale, format, buildCaseContext(c, recipient, officer, org, d), options);
    } catch (const EmptyFieldError& e) {
        // Name the charter: an empty field is most often its missing detail.
        throw EmptyFieldError("case " + c.reference + " (charter " + c.charter + "): " + e.what(), e.field());
    }
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
