// SampleData: fixed, made-up people and a case for previews and tests. The
// organisation's phone number is the one in the seeds' leaflet.
#include "duly/engine/SampleData.h"

namespace duly::engine {
namespace {

Instant at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
           std::chrono::hours{hour} + std::chrono::minutes{minute};
}

}  // namespace

Sample sampleFor(std::string_view templateName) {
    Sample s;
    s.organisation = {"progress",
                      "Progress Housing Group",
                      {"Sumner House", "21 King Street", "Leyland", "PR25 2LW"},
                      "01772 450600",
                      "customer.services@progress.example",
                      "www.progress.example",
                      "Monday to Friday, 9am to 5pm",
                      "Customer Services",
                      "",
                      "",
                      // The sample landlord is in England: the ombudsman of
                      // config/schemes/housing-ombudsman.toml.
                      {"Housing Ombudsman", "0300 111 3000", "www.housing-ombudsman.org.uk",
                       {"PO Box 152", "Liverpool", "L33 7WQ"}}};
    s.officer.id = "jsmith";
    s.officer.name = "Jane Smith";
    s.officer.position = "Customer Services Officer";
    s.officer.email = "jane.smith@progress.example";
    s.officer.phone = "01772 450612";
    s.customer.reference = "C10001";
    s.customer.name = "Nasreen Khan";
    s.customer.salutation = "Dear Mrs Khan";
    s.customer.email = "n.khan@mail.example";
    s.customer.addressLine1 = "14 Moss Lane";
    s.customer.town = "Leyland";
    s.customer.postcode = "PR25 3AB";
    s.kase.reference = "PHG-2026-00042";
    s.kase.charter = "progress";
    s.kase.channel = Channel::Letter;
    s.kase.kind = Kind::Enquiry;
    s.kase.subject = "Repair to the back door";
    s.kase.received = at(2026, 11, 9, 10, 15);
    s.kase.respondBy = at(2026, 11, 23, 17);
    s.details.date = at(2026, 11, 10, 9);
    if (templateName == "holding-reply") {
        s.details.date = at(2026, 11, 20, 9);
        s.details.holding = HoldingReplyDetails{"we are waiting for a report from our repairs contractor",
                                                at(2026, 12, 4, 17)};
    } else if (templateName.starts_with("complaint-stage-")) {
        bool stage2 = templateName.starts_with("complaint-stage-2");
        s.kase.kind = stage2 ? Kind::ComplaintStage2 : Kind::ComplaintStage1;
        s.kase.reference = stage2 ? "PHG-2026-00057" : "PHG-2026-00051";
        s.kase.channel = Channel::Email;
        s.officer.name = stage2 ? "Peter Okafor" : "Jane Smith";
        s.officer.position = stage2 ? "Complaints Manager" : "Complaints Officer";
        if (stage2) s.officer.email = "peter.okafor@progress.example";
        if (templateName.ends_with("extension")) {
            s.details.date = at(2026, 11, 20, 9);
            s.details.extension = ExtensionDetails{"we need to visit your home to look at the damp",
                                                   at(2026, 12, 7, 17), 10,
                                                   s.organisation.ombudsman.phone, s.organisation.ombudsman.website,
                                                   std::nullopt, s.organisation.ombudsman.name};
        }
    } else if (templateName == "pause-notice") {
        s.details.date = at(2026, 11, 11, 11);
        s.details.pause = PauseDetails{"a photo of the damage to the door frame", s.kase.respondBy.value_or(s.kase.received)};
    } else if (templateName == "missed-calls") {
        s.kase.channel = Channel::PhoneMessage;
        s.details.date = at(2026, 11, 12, 11);
        s.details.missedCalls = MissedCallsDetails{"07700 900123", 3, at(2026, 11, 12, 10)};
    } else if (templateName == "resume-notice") {
        s.details.date = at(2026, 11, 19, 10);
        s.kase.respondBy = at(2026, 11, 30, 17);
        s.details.resumedReplyBy = s.kase.respondBy;
    } else if (templateName == "complaint-refusal-to-escalate") {
        s.kase.kind = Kind::ComplaintStage1;
        s.kase.reference = "PHG-2026-00051";
        s.kase.channel = Channel::Email;
        s.officer.name = "Peter Okafor";
        s.officer.position = "Complaints Manager";
        s.officer.email = "peter.okafor@progress.example";
        s.details.date = at(2026, 11, 23, 9);
        s.details.replyBody =
            "Your request is about the noise from the flat above, which we answered at stage 1 on 2 November.\n\n"
            "You asked for stage 2 more than 12 months after our stage 1 reply. Our complaints policy allows "
            "stage 2 only within 12 months, unless there is a good reason for the delay, and you have not told "
            "us of one.";
    } else if (templateName == "reply") {
        s.details.date = at(2026, 11, 18, 14);
        s.details.replyBody =
            "Our repairs team will fit a new back door on Tuesday 1 December.\n"
            "They will arrive between 8am and 12 noon.\n\n"
            "Please make sure someone is at home to let them in.";
        s.details.followUpBy = at(2026, 12, 2, 17);
    }
    DigestEntry a{"PHG-2026-00031", "Noise from the flat above", "Tom Hughes", at(2026, 11, 19, 17), "reply"};
    DigestEntry b{"PHG-2026-00042", "Repair to the back door", "Nasreen Khan", at(2026, 11, 23, 17), "reply"};
    DigestEntry c{"PHG-2026-00045", "Rent statement", "Li Wai Man", at(2026, 11, 25, 17), "acknowledge"};
    s.digest.overdue = {a};
    s.digest.dueToday = {b};
    s.digest.dueSoon = {c};
    return s;
}

void addSampleAlert(Value& context) {
    context.set("alert.action", "respond");
    context.set("alert.due", at(2026, 11, 23, 17));
    context.set("alert.officer", "Jane Smith");
    context.set("alert.recipient", "Peter Okafor");
    context.set("alert.days", 5);
    context.set("alert.waiting_for", "a photo of the damage to the door frame");
}

Value sampleContext(std::string_view templateName, const Organisation* organisation) {
    Sample s = sampleFor(templateName);
    if (organisation) {
        s.organisation = *organisation;
        if (s.details.extension) {
            s.details.extension->ombudsmanName = organisation->ombudsman.name;
            s.details.extension->ombudsmanPhone = organisation->ombudsman.phone;
            s.details.extension->ombudsmanWebsite = organisation->ombudsman.website;
        }
    }
    if (templateName == "officer-digest")
        return buildDigestContext(s.officer, s.organisation, at(2026, 11, 23, 7), s.digest);
    Value ctx = buildCaseContext(s.kase, s.customer, s.officer, s.organisation, s.details);
    if (templateName.starts_with("officer-")) addSampleAlert(ctx);
    return ctx;
}

}  // namespace duly::engine
