// SubjectAccess: one customer's data as a zip (Poco::Zip); see
// SubjectAccess.h. The archive is built in memory: a customer's
// correspondence is megabytes, not gigabytes.
#include "SubjectAccess.h"

#include "Json.h"

#include "duly/engine/InputError.h"
#include "duly/engine/ZoneRules.h"
#include "duly/web/Html.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>

using namespace duly::engine;

namespace duly::app {

namespace {

// Valid UTF-8: each ill-formed sequence becomes U+FFFD, so data.json parses
// whatever bytes a message carried.
std::string validUtf8(const std::string& in) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const auto c = static_cast<unsigned char>(in[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= in.size();
        for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
        if (ok && len > 1) {
            // No overlong forms, surrogates or code points past U+10FFFF.
            std::uint32_t cp = c & (0xFF >> (len + 1));
            for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(in[i + k]) & 0x3F);
            const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
            ok = cp >= least[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (ok) {
            out.append(in, i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::string js(const std::string& s) { return jsonString(validUtf8(s)); }
std::string h(const std::string& s) { return web::escape(validUtf8(s)); }
std::string when(Instant t) { return ZoneRules::london().formatRfc3339(t); }
std::string jsWhen(const std::optional<Instant>& t) { return t ? jsonString(when(*t)) : "null"; }

template <typename T, typename F>
std::string jsonArray(const std::vector<T>& items, F each) {
    std::string out = "[";
    for (const auto& item : items) out += (out.size() > 1 ? "," : "") + each(item);
    return out + "]";
}

struct Entry {
    std::string name;
    std::string bytes;
    Instant modified{};
};

// One thing on a case's timeline.
struct Moment {
    Instant at{};
    std::string what;  // escaped HTML
};

std::string customerJson(const Customer& c) {
    std::vector<std::string> formats = c.formats;
    JsonObject o;
    o.add("reference", js(c.reference))
        .add("name", js(c.name))
        .add("salutation", js(c.salutation))
        .add("email", js(c.email))
        .add("phone", js(c.phone))
        .add("address", jsonArray(std::vector<std::string>{c.addressLine1, c.addressLine2, c.addressLine3, c.town,
                                                           c.postcode},
                                  js))
        .add("language", js(c.language))
        .add("formats", jsonArray(formats, js))
        .add("preferred_contact", js(std::string(preferredChannelName(c.preferredChannel))))
        .add("brand", js(c.brand));
    return o.str();
}

std::string zipOf(const std::vector<Entry>& entries) {
    std::ostringstream out(std::ios::binary);
    Poco::Zip::Compress zip(out, true);
    for (const auto& e : entries) {
        std::istringstream in(e.bytes, std::ios::binary);
        // DOS times start in 1980; anything earlier is written as 1980.
        const auto seconds = std::max<long long>(e.modified.time_since_epoch().count(), 315532800LL);
        const Poco::DateTime at(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds)));
        zip.addFile(in, at, Poco::Path(e.name, Poco::Path::PATH_UNIX));
    }
    zip.close();
    return std::move(out).str();
}

}  // namespace

std::string safeEntryName(const std::string& name) {
    std::string out;
    for (unsigned char c : name) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '-' || c == '_';
        char next = keep ? static_cast<char>(c) : '_';
        if (next == '_' && !out.empty() && out.back() == '_') continue;
        out += next;
    }
    while (!out.empty() && (out.front() == '.' || out.front() == '_')) out.erase(0, 1);
    if (out.size() > 80) out.erase(0, out.size() - 80);  // keep the end: the extension
    while (!out.empty() && out.front() == '.') out.erase(0, 1);
    return out.empty() ? "file" : out;
}

SubjectAccessExport exportCustomer(const store::SqliteCaseStore& store, web::AuditLog* audit,
                                   const std::string& customerRef, Instant now) {
    const auto customer = store.customer(customerRef);
    if (!customer) throw InputError("no customer " + customerRef);
    std::vector<Case> cases;
    for (const auto& ref : store.casesOfCustomer(customerRef))
        if (auto c = store.findCase(ref)) cases.push_back(std::move(*c));
    const auto changes = store.customerChanges(customerRef);
    std::set<std::string> subjects{customerRef, "/customers/" + customerRef};
    for (const auto& c : cases) subjects.insert(c.reference);
    const std::vector<web::AuditLog::Entry> auditLines =
        audit ? audit->entriesAbout(subjects) : std::vector<web::AuditLog::Entry>{};

    SubjectAccessExport result;
    result.cases = cases.size();
    std::vector<Entry> files;
    std::string casesJson = "[", contents, timelines;
    for (const auto& c : cases) {
        const std::string folder = "cases/" + safeEntryName(c.reference) + "/";
        std::vector<Moment> moments;
        std::string itemsJson = "[", fileList;
        auto link = [&](const std::string& name) {
            fileList += "<li><a href=\"" + h(name) + "\">" + h(name) + "</a></li>";
        };
        for (std::size_t i = 0; i < c.items.size(); ++i) {
            const Item& item = c.items[i];
            const std::string n = std::to_string(i + 1);
            std::string message = "null";
            if (auto raw = store.rawItem(item.id)) {
                const std::string name = folder + "message-" + n + ".eml";
                files.push_back({name, *raw, item.received});
                link(name);
                message = jsonString(name);
            }
            std::string attachmentsJson = "[";
            const auto attachments = store.attachments(item.id);
            for (std::size_t k = 0; k < attachments.size(); ++k) {
                const auto& a = attachments[k];
                const std::string name =
                    folder + "message-" + n + "-file-" + std::to_string(k + 1) + "-" + safeEntryName(a.name);
                files.push_back({name, a.bytes, item.received});
                link(name);
                JsonObject ao;
                ao.add("name", js(a.name)).add("content_type", js(a.contentType)).add("size", std::to_string(a.bytes.size()))
                    .add("file", jsonString(name));
                attachmentsJson += (attachmentsJson.size() > 1 ? "," : "") + ao.str();
            }
            JsonObject io;
            io.add("channel", jsonString(channelName(item.channel)))
                .add("received", jsonString(when(item.received)))
                .add("from", js(item.from))
                .add("subject", js(item.subject))
                .add("text", js(item.body))
                .add("message_file", message)
                .add("attachments", attachmentsJson + "]");
            itemsJson += (itemsJson.size() > 1 ? "," : "") + io.str();
            moments.push_back({item.received, "Your " + h(std::string(channelName(item.channel))) + " arrived: " +
                                                  h(item.subject) + "<blockquote>" + h(item.body) + "</blockquote>"});
        }
        std::string sentJson = "[";
        std::size_t sentNumber = 0;
        for (const auto& m : store.outbound(c.reference)) {
            ++sentNumber;
            const bool post = m.route == OutboundMessage::Route::Post;
            const bool printed = post && m.bytes.rfind("%PDF", 0) == 0;
            std::string file = "null";
            if (!m.bytes.empty()) {
                const std::string name = folder + (post ? "letter-" : "email-") + std::to_string(sentNumber) + "-" +
                                         safeEntryName(m.documentKey) +
                                         (post ? (printed ? ".pdf" : "-to-print.txt") : ".eml");
                files.push_back({name, m.bytes, m.doneAt.value_or(m.queuedAt)});
                link(name);
                file = jsonString(name);
            }
            JsonObject so;
            so.add("document", js(m.documentKey))
                .add("route", jsonString(post ? "post" : "email"))
                .add("state", jsonString(outboundStateName(m.state)))
                .add("recipient", js(m.recipient))
                .add("queued_at", jsonString(when(m.queuedAt)))
                .add("done_at", jsWhen(m.doneAt))
                .add("file", file);
            sentJson += (sentJson.size() > 1 ? "," : "") + so.str();
            moments.push_back({m.doneAt.value_or(m.queuedAt),
                               std::string(post ? (printed ? "Letter printed: " : "Letter queued for the post: ")
                                                : "Email to " + h(m.recipient) + ": ") +
                                   h(m.documentKey)});
        }
        for (const auto& e : c.events)
            moments.push_back({e.at, h(std::string(eventTypeName(e.type))) + " (" + h(e.actor) + ")" +
                                         (e.detail.empty() ? "" : ": " + h(e.detail))});
        std::stable_sort(moments.begin(), moments.end(), [](const Moment& a, const Moment& b) { return a.at < b.at; });

        JsonObject co;
        co.add("reference", js(c.reference))
            .add("charter", js(c.charter))
            .add("channel", jsonString(channelName(c.channel)))
            .add("kind", jsonString(kindName(c.kind)))
            .add("state", jsonString(caseStateName(c.state)))
            .add("subject", js(c.subject))
            .add("officer", js(c.officerId))
            .add("received", jsonString(when(c.received)))
            .add("acknowledge_by", jsWhen(c.acknowledgeBy))
            .add("respond_by", jsWhen(c.respondBy))
            .add("acknowledged_at", jsWhen(c.acknowledgedAt))
            .add("replied_at", jsWhen(c.repliedAt))
            .add("closed_at", jsWhen(c.closedAt))
            .add("items", itemsJson + "]")
            .add("sent", sentJson + "]")
            .add("events", jsonArray(c.events, [](const CaseEvent& e) {
                     JsonObject eo;
                     eo.add("type", jsonString(eventTypeName(e.type)))
                         .add("at", jsonString(when(e.at)))
                         .add("actor", js(e.actor))
                         .add("detail", js(e.detail));
                     return eo.str();
                 }))
            .add("extensions", jsonArray(c.extensions, [](const Extension& x) {
                     JsonObject xo;
                     xo.add("working_days", std::to_string(x.workingDays)).add("reason", js(x.reason))
                         .add("at", jsonString(when(x.at)));
                     return xo.str();
                 }));
        // Who acts for the customer (their data is the customer's case),
        // what was put right and the referral to the ombudsman.
        if (const auto& r = c.representative) {
            JsonObject ro;
            ro.add("kind", jsonString(representativeKindName(r->kind)))
                .add("name", js(r->name))
                .add("email", js(r->email))
                .add("address", jsonArray(r->address, [](const std::string& l) { return js(l); }))
                .add("consent_at", jsonString(when(r->consentAt)))
                .add("consent_how", js(r->consentHow))
                .add("send_to", jsonString(sendToName(r->sendTo)))
                .add("added_by", js(r->addedBy))
                .add("added_at", jsonString(when(r->addedAt)));
            co.add("representative", ro.str());
        } else {
            co.add("representative", "null");
        }
        co.add("remedies", jsonArray(c.remedies, [](const Remedy& m) {
            JsonObject mo;
            mo.add("kind", jsonString(remedyKindName(m.kind)))
                .add("detail", js(m.detail))
                .add("due_by", m.dueBy ? jsonString(formatDate(*m.dueBy)) : "null")
                .add("amount_pence", std::to_string(m.amountPence))
                .add("at", jsonString(when(m.at)));
            return mo.str();
        }));
        if (c.referral) {
            JsonObject fo;
            fo.add("referred_at", jsonString(when(c.referral->referredAt)))
                .add("outcome", js(c.referral->outcome))
                .add("outcome_at", jsWhen(c.referral->outcomeAt));
            co.add("referral", fo.str());
        } else {
            co.add("referral", "null");
        }
        casesJson += (casesJson.size() > 1 ? "," : "") + co.str();

        const std::string id = "case-" + safeEntryName(c.reference);
        contents += "<tr><td><a href=\"#" + h(id) + "\">" + h(c.reference) + "</a></td><td>" + h(when(c.received)) +
                    "</td><td>" + h(std::string(kindName(c.kind))) + " by " + h(std::string(channelName(c.channel))) +
                    "</td><td>" + h(c.subject) + "</td><td>" + h(std::string(caseStateName(c.state))) + "</td></tr>\n";
        timelines += "<section id=\"" + h(id) + "\"><h2>" + h(c.reference) + ": " + h(c.subject) + "</h2>\n<ol>";
        for (const auto& m : moments) timelines += "<li><time>" + h(when(m.at)) + "</time> " + m.what + "</li>";
        timelines += "</ol>\n";
        if (const auto& r = c.representative)
            timelines += "<p>Acting for you: " + h(r->name) + " (" + h(std::string(representativeKindName(r->kind))) +
                         "), with your consent given " + h(when(r->consentAt)) + " (" + h(r->consentHow) + ")</p>\n";
        if (!fileList.empty()) timelines += "<h3>Files</h3><ul>" + fileList + "</ul>\n";
        timelines += "</section>\n";
    }

    std::string auditRows;
    for (const auto& a : auditLines)
        auditRows += "<tr><td>" + h(a.at) + "</td><td>" + h(a.actor) + "</td><td>" + h(a.action) + "</td><td>" +
                     h(a.subject) + "</td><td>" + h(a.detail) + "</td></tr>\n";
    std::string changeRows;
    for (const auto& ch : changes)
        changeRows += "<tr><td>" + h(when(ch.at)) + "</td><td>" + h(ch.actor) + "</td><td>" + h(ch.field) +
                      "</td><td>" + h(ch.before) + "</td><td>" + h(ch.after) + "</td></tr>\n";
    const Customer& cu = *customer;
    std::string address;
    for (const auto* line : {&cu.addressLine1, &cu.addressLine2, &cu.addressLine3, &cu.town, &cu.postcode})
        if (!line->empty()) address += (address.empty() ? "" : ", ") + *line;
    std::string formats;
    for (const auto& f : cu.formats) formats += (formats.empty() ? "" : ", ") + f;

    const std::string html =
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        "<title>What we hold about you: " + h(cu.reference) + "</title></head><body>\n"
        "<h1>What we hold about " + h(cu.name) + "</h1>\n<p>Customer reference " + h(cu.reference) +
        ". Gathered on " + h(when(now)) + " for your subject access request.</p>\n"
        "<h2>Your record</h2>\n<table>"
        "<tr><th>Name</th><td>" + h(cu.name) + "</td></tr>"
        "<tr><th>Salutation</th><td>" + h(cu.salutation) + "</td></tr>"
        "<tr><th>Email</th><td>" + h(cu.email) + "</td></tr>"
        "<tr><th>Telephone</th><td>" + h(cu.phone) + "</td></tr>"
        "<tr><th>Address</th><td>" + h(address) + "</td></tr>"
        "<tr><th>Language</th><td>" + h(cu.language) + "</td></tr>"
        "<tr><th>Formats</th><td>" + h(formats) + "</td></tr>"
        "<tr><th>Preferred contact</th><td>" + h(std::string(preferredChannelName(cu.preferredChannel))) +
        "</td></tr></table>\n"
        "<h2>Corrections to your record</h2>\n<table><tr><th>When</th><th>By</th><th>What</th><th>Before</th>"
        "<th>After</th></tr>\n" + changeRows + "</table>\n"
        "<h2>Contents</h2>\n<table><tr><th>Case</th><th>Received</th><th>What</th><th>Subject</th><th>State</th></tr>\n" +
        contents + "</table>\n" + timelines +
        "<h2>Who looked at your cases</h2>\n<table><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Case</th>"
        "<th>Detail</th></tr>\n" + auditRows + "</table>\n"
        "<p>data.json holds the same for computers.</p>\n</body></html>\n";

    JsonObject root;
    root.add("exported_at", jsonString(when(now)))
        .add("customer", customerJson(cu))
        .add("corrections", jsonArray(changes, [](const CustomerChange& ch) {
                 JsonObject o;
                 o.add("at", jsonString(when(ch.at))).add("actor", js(ch.actor)).add("field", js(ch.field))
                     .add("before", js(ch.before)).add("after", js(ch.after));
                 return o.str();
             }))
        .add("cases", casesJson + "]")
        .add("audit", jsonArray(auditLines, [](const web::AuditLog::Entry& a) {
                 JsonObject o;
                 o.add("at", js(a.at)).add("actor", js(a.actor)).add("action", js(a.action))
                     .add("subject", js(a.subject)).add("detail", js(a.detail));
                 return o.str();
             }));

    result.files = files.size();
    std::vector<Entry> entries{{"index.html", html, now}, {"data.json", root.str() + "\n", now}};
    entries.insert(entries.end(), std::make_move_iterator(files.begin()), std::make_move_iterator(files.end()));
    result.zip = zipOf(entries);
    return result;
}

}  // namespace duly::app
