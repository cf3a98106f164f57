// DashboardCustomers: a customer's record for managers — see it, correct it
// (rectification, kept as its history with who and when) and download
// everything Duly holds about them (subject access). Officers are refused.
// Every view, correction and export is written to the audit log with the
// customer's reference; a correction that does not check out answers 400
// with the form as typed and the record unchanged.
#include "duly/web/Dashboard.h"

#include "DashboardWords.h"

#include "duly/engine/DataProtection.h"
#include "duly/engine/InputError.h"
#include "duly/web/Html.h"

#include <cctype>
#include <map>
#include <ostream>

using namespace duly::engine;

namespace duly::web {

namespace {

std::string labelOf(const std::string& field) {
    static const std::map<std::string, std::string> labels = {
        {"name", "Name"}, {"salutation", "Salutation (\"Dear …\")"}, {"email", "Email address"},
        {"phone", "Telephone"}, {"address-line-1", "Address line 1"}, {"address-line-2", "Address line 2"},
        {"address-line-3", "Address line 3"}, {"town", "Town"}, {"postcode", "Postcode"},
        {"language", "Language (en-GB, ur, yue-Hant, …)"}, {"formats", "Formats (large-print, braille, audio, easy-read; commas between)"},
        {"preferred-contact", "Preferred contact (email, post or phone)"}};
    return labels.at(field);
}

std::string valueOf(const Customer& c, const std::string& field) {
    if (field == "name") return c.name;
    if (field == "salutation") return c.salutation;
    if (field == "email") return c.email;
    if (field == "phone") return c.phone;
    if (field == "address-line-1") return c.addressLine1;
    if (field == "address-line-2") return c.addressLine2;
    if (field == "address-line-3") return c.addressLine3;
    if (field == "town") return c.town;
    if (field == "postcode") return c.postcode;
    if (field == "language") return c.language;
    if (field == "formats") {
        std::string out;
        for (const auto& f : c.formats) out += (out.empty() ? "" : ",") + f;
        return out;
    }
    return std::string(preferredChannelName(c.preferredChannel));
}

}  // namespace

Response Dashboard::customerPage(Request& request, Viewer& viewer, const std::string& error, int status,
                                 const Fields& typed) {
    if (!viewer.isManager()) return forbidden(viewer, "Customers' records are for managers and administrators.");
    const std::string ref = request.param("ref");
    if (!_options.personalData) return notFound(&viewer, "Customers' records are not available here.");
    const auto customer = _store.customer(ref);
    if (!customer) return notFound(&viewer, "There is no customer " + ref + ".");
    const Instant now = _clock();
    if (error.empty()) _audit.write(now, viewer.officer.id, "viewed customer", ref);
    const std::string csrf = csrfField(viewer);
    std::string body = "<h1>" + escape(customer->name) + " <span class=\"meta\">" + escape(ref) + "</span></h1>\n";
    if (request.field("done") == "edit")
        body += "<div class=\"notice\" role=\"status\">The record is corrected; the change is kept below.</div>\n";
    if (!error.empty())
        body += "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>The record was not changed</h2><p>" +
                escape(error) + "</p></div>\n";
    body += "<h2>Their cases</h2>\n<ul>";
    const auto refs = _options.personalData->casesOfCustomer(ref);
    for (const auto& r : refs) body += "<li><a href=\"/cases/" + escape(r) + "\">" + escape(r) + "</a></li>";
    if (refs.empty()) body += "<li>No cases.</li>";
    body += "</ul>\n";
    if (_options.exportCustomer)
        body += "<h2>Subject access</h2>\n<form method=\"post\" action=\"/customers/" + escape(ref) + "/export\">" + csrf +
                "<p>Everything Duly holds about " + escape(customer->name) +
                " in one zip file: their record, each case's timeline, their messages and files, the letters and "
                "emails sent to them, and who looked at their cases. The download is written to the audit log.</p>"
                "<p><button type=\"submit\">Download everything we hold</button></p></form>\n";
    body += "<h2>Correct the record</h2>\n<form method=\"post\" action=\"/customers/" + escape(ref) + "\">" + csrf +
            "<fieldset><legend>The customer's details</legend>\n";
    for (const char* f : kCorrectableFields) {
        const std::string field = f;
        auto typedValue = typed.find(field);
        const std::string value = typedValue != typed.end() ? typedValue->second : valueOf(*customer, field);
        body += "<p><label for=\"f-" + field + "\">" + escape(labelOf(field)) + "</label> <input id=\"f-" + field +
                "\" name=\"" + field + "\" value=\"" + escape(value) + "\" maxlength=\"200\"></p>\n";
    }
    body += "</fieldset><p><button type=\"submit\">Save the corrections</button></p></form>\n";
    body += "<h2>Corrections made</h2>\n";
    const auto changes = _options.personalData->customerChanges(ref);
    if (changes.empty()) body += "<p class=\"empty\">None yet.</p>\n";
    else {
        body += "<table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">By</th><th scope=\"col\">What</th>"
                "<th scope=\"col\">Before</th><th scope=\"col\">After</th></tr></thead><tbody>\n";
        for (const auto& ch : changes)
            body += "<tr><td>" + escape(shortWhen(ch.at)) + "</td><td>" + escape(ch.actor) + "</td><td>" +
                    escape(ch.field) + "</td><td>" + escape(ch.before) + "</td><td>" + escape(ch.after) + "</td></tr>\n";
        body += "</tbody></table>\n";
    }
    Response r;
    r.status = status;
    r.body = layout(&viewer, customer->name, "", body);
    return r;
}

Response Dashboard::correctCustomer(Request& request, Viewer& viewer) {
    if (!viewer.isManager()) return forbidden(viewer, "Customers' records are for managers and administrators.");
    const std::string ref = request.param("ref");
    if (!_options.personalData) return notFound(&viewer, "Customers' records are not available here.");
    const auto customer = _store.customer(ref);
    if (!customer) return notFound(&viewer, "There is no customer " + ref + ".");
    const Instant now = _clock();
    Customer corrected = *customer;
    std::vector<CustomerChange> changes;
    Fields typed;
    try {
        for (const char* f : kCorrectableFields) {
            auto it = request.form.find(f);
            if (it == request.form.end()) continue;
            typed[f] = it->second;
            if (auto change = correctField(corrected, f, it->second, viewer.officer.id, now)) changes.push_back(*change);
        }
        checkCorrectedCustomer(corrected);
    } catch (const InputError& e) {
        // The command line's option names read as the form's labels here.
        std::string message = e.what();
        if (message.rfind("--", 0) == 0) message = message.substr(2);
        _audit.write(now, viewer.officer.id, "correction refused", ref, message);
        return customerPage(request, viewer, message, 400, typed);
    }
    if (!changes.empty()) {
        std::lock_guard lock(_engineMutex);
        _options.personalData->correctCustomer(corrected, changes);
        std::string names;
        for (const auto& ch : changes) names += (names.empty() ? "" : ", ") + ch.field;
        _audit.write(now, viewer.officer.id, "corrected customer", ref, names);
    }
    return Response::redirect("/customers/" + urlEncode(ref) + "?done=edit");
}

Response Dashboard::exportCustomerFile(Request& request, Viewer& viewer) {
    if (!viewer.isManager()) return forbidden(viewer, "Subject access exports are for managers and administrators.");
    const std::string ref = request.param("ref");
    if (!_options.exportCustomer || !_store.customer(ref)) return notFound(&viewer, "There is no customer " + ref + ".");
    const Instant now = _clock();
    Response r;
    {
        std::lock_guard lock(_engineMutex);
        r.body = _options.exportCustomer(ref, now);
    }
    _audit.write(now, viewer.officer.id, "exported customer", ref, std::to_string(r.body.size()) + " bytes");
    r.contentType = "application/zip";
    std::string safe;
    for (char c : ref) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    r.setHeader("Content-Disposition", "attachment; filename=\"duly-subject-access-" + safe + "-" +
                                           formatDate(std::chrono::floor<std::chrono::days>(now)) + ".zip\"");
    r.setHeader("Cache-Control", "no-store");
    return r;
}

}  // namespace duly::web
