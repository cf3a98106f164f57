// Charter: an organisation's published promises, as loaded from
// config/charters/NAME.toml by CharterFile. A rule maps (channel, kind) to
// how many working days the organisation has to acknowledge and to respond,
// when a holding reply must go, and for complaints the largest extension the
// charter's complaints scheme allows. The scheme (config/schemes/ID.toml:
// the Housing Ombudsman's Code, the SPSO's, the PSOW's or NIPSO's model
// procedure) names the ombudsman and gives default complaint rules.
#pragma once

#include "duly/engine/Channel.h"
#include "duly/engine/RetentionSchedule.h"
#include "duly/engine/Organisation.h"
#include "duly/engine/WorkingDayCalendar.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duly::engine {

// Where the response clock starts.
enum class RespondFrom { Receipt, Acknowledgement };

struct CharterRule {
    std::vector<Channel> channels;  // empty: any channel
    std::vector<Kind> kinds;        // never empty
    // Each clock is promised in one of three ways, at most one of them set
    // (CharterFile refuses two): in working days (`acknowledge_within`), in
    // office hours (`acknowledge_within_hours`), or "first thing next working
    // day" (`acknowledge = "first-thing"`). Deadlines.h says what each means.
    std::optional<int> acknowledgeWithin;  // working days; empty: no promise
    std::optional<int> respondWithin;      // working days; empty: no promise
    std::optional<int> acknowledgeWithinHours;
    std::optional<int> respondWithinHours;
    bool acknowledgeFirstThing = false;
    bool respondFirstThing = false;
    RespondFrom respondFrom = RespondFrom::Receipt;
    // A holding reply goes this many working days before the response is due
    // when no reply has been logged; empty: no holding reply.
    std::optional<int> holdingReplyBefore;
    // The new date a holding reply gives when the officer set none: this many
    // working days after the old one; empty: respondWithin more.
    std::optional<int> holdingReplyExtends;
    std::optional<int> maxExtension;  // working days; empty: no extension allowed
    bool clockPausesOnCustomer = false;
    std::string source;  // where the promise is written ("Contact Charter, promise 4")
    int line = 0;        // line of the rule in its file, for messages
    std::string file;    // that file when it is not the charter's (a scheme's default rule)

    bool matches(Channel channel, Kind kind) const;
    // Whether the rule promises an acknowledgement / a response, in any unit.
    bool promisesAcknowledgement() const { return acknowledgeWithin || acknowledgeWithinHours || acknowledgeFirstThing; }
    bool promisesResponse() const { return respondWithin || respondWithinHours || respondFirstThing; }
};

// How customers reach the organisation, as printed on its letters.
struct OrganisationContact {
    std::string name;                      // "Progress Housing Group"
    std::vector<std::string> address;      // lines, postcode last
    std::string phone;
    std::string email;
    std::string website;
    std::string openingHours;              // "Monday to Thursday 9am to 5pm, Friday 9am to 4.45pm"
    // The team that signs unassigned cases ("Customer Services": "the
    // Customer Services team"), its phone and email (empty: the above).
    std::string team = "Customer Services";
    std::string teamPhone;
    std::string teamEmail;
};

// The complaints scheme of the landlord's nation: config/schemes/ID.toml.
struct ComplaintScheme {
    std::string id;       // "housing-ombudsman", "spso", "psow", "nipso"
    std::string title;    // "Housing Ombudsman Complaint Handling Code"
    std::string nation;   // "England"
    std::string file;     // where it was loaded from
    OmbudsmanContact ombudsman;
    // The role the stage 2 officer must have ([complaints] stage2_role:
    // "manager" by default, or "officer" or "administrator"): the Code's
    // "senior manager who had no part in stage 1".
    std::string stage2Role = "manager";
};

struct Charter {
    std::string name;            // "progress"
    std::string organisation;    // "Progress Housing Group"
    OrganisationContact contact;
    // A group's brands (its subsidiaries), by id ("key"): each letter is
    // headed with one of them when the mailbox or the customer names it,
    // else with `contact`. What a brand leaves out is the group's.
    std::map<std::string, OrganisationContact> brands;
    std::string referencePrefix; // "PHG": case references read PHG-2026-00042
    std::string file;            // where it was loaded from
    WorkingDayCalendar calendar;
    // The charter's own [[rule]]s, then its scheme's complaint rules (which
    // apply only where the charter's cover no such item).
    std::vector<CharterRule> rules;
    // [retention]: how long each kind keeps its personal data after its
    // case closes (RetentionSchedule.h); kinds not listed keep the defaults.
    RetentionSchedule retention{};
    ComplaintScheme scheme;
    // The number of homes the landlord manages ([complaints] homes), for
    // the self-assessment's complaints per 1,000 homes; empty: not set.
    std::optional<int> homes;
    // [calendar] first_thing_minutes: "first thing next working day" is due
    // this many minutes after the office opens.
    int firstThingMinutes = 60;

    // The first rule, in file order, that covers (channel, kind); nullptr
    // when the charter makes no promise for it.
    const CharterRule* ruleFor(Channel channel, Kind kind) const;
};

}  // namespace duly::engine
