// CharterFile: charters and calendars from TOML. Every value is checked and
// every unknown key refused, because a typo in a charter silently changes a
// promise made to tenants. Messages read FILE:LINE: KEY: expected …, found ….
#include "duly/engine/CharterFile.h"

#include "duly/engine/InputError.h"
#include "duly/engine/TomlReader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace duly::engine {
namespace fs = std::filesystem;

namespace {

// The longest clock in hours a rule may promise: 30 days' worth.
constexpr int kMaxClockHours = 720;

const char* const kWeekdayKeys[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

}  // namespace

std::vector<HolidayChange> parseCalendarChanges(const std::string& text, const std::string& file) {
    TomlReader r(file);
    auto root = parseToml(text, file);
    r.onlyKeys(root, "", {"region", "name", "change"});
    std::vector<HolidayChange> changes;
    const toml::node* list = root.get("change");
    if (!list) return changes;
    if (!list->is_array_of_tables()) r.expected(*list, "change", "[[change]] tables");
    std::optional<Region> region;
    if (auto* reg = root.get("region"); reg && reg->is_string())
        region = parseRegion(reg->as_string()->get(), file + ": region");
    const auto ruleIds = region ? BankHolidays(*region).ruleIds() : std::vector<std::string>{};
    int index = 0;
    for (const auto& entry : *list->as_array()) {
        ++index;
        const auto& t = *entry.as_table();
        const std::string path = "change[" + std::to_string(index) + "]";
        r.onlyKeys(t, path + ".", {"year", "move", "to", "remove", "add", "name", "reason"});
        HolidayChange c{};
        const toml::node* year = t.get("year");
        if (!year || !year->is_integer()) {
            if (year) r.expected(*year, path + ".year", "a year such as 2022");
            r.fail(&t, path + ".year", "missing (expected a year such as 2022)");
        }
        c.year = static_cast<int>(year->as_integer()->get());
        auto ruleOf = [&](const toml::node& node, const std::string& key) {
            if (!node.is_string()) r.expected(node, key, "the id of a holiday rule");
            std::string id(node.as_string()->get());
            if (!ruleIds.empty() && std::find(ruleIds.begin(), ruleIds.end(), id) == ruleIds.end()) {
                std::string accepted;
                for (const auto& a : ruleIds) accepted += (accepted.empty() ? "" : ", ") + a;
                r.expected(node, key, "a holiday rule of this region (" + accepted + ")");
            }
            return id;
        };
        if (const toml::node* move = t.get("move")) {
            c.action = HolidayChange::Action::Move;
            c.rule = ruleOf(*move, path + ".move");
            const toml::node* to = t.get("to");
            if (!to) r.fail(&t, path + ".to", "missing (a moved holiday needs the date it moves to)");
            c.date = r.date(*to, path + ".to");
            c.name = r.string(t, "reason", path + ".reason", false);
        } else if (const toml::node* remove = t.get("remove")) {
            c.action = HolidayChange::Action::Remove;
            c.rule = ruleOf(*remove, path + ".remove");
        } else if (const toml::node* add = t.get("add")) {
            c.action = HolidayChange::Action::Add;
            c.date = r.date(*add, path + ".add");
            c.name = r.string(t, "name", path + ".name", true);
        } else {
            r.fail(&t, path, "expected one of move, remove or add");
        }
        if (c.action != HolidayChange::Action::Remove && static_cast<int>(civil(c.date).year()) != c.year)
            r.fail(&t, path, "the date is not in year " + std::to_string(c.year));
        changes.push_back(std::move(c));
    }
    return changes;
}

BankHolidays loadBankHolidays(Region region, const fs::path& calendarsDir) {
    const fs::path file = calendarsDir / (std::string(regionName(region)) + ".toml");
    if (!fs::exists(file)) return BankHolidays(region);
    return BankHolidays(region, parseCalendarChanges(readTextFile(file), file.string()));
}

namespace {

// An [organisation] or [brand.ID] table; a brand takes what it leaves out
// (telephone, website, …) from `base`, the group's [organisation].
OrganisationContact organisationContact(const TomlReader& r, const toml::table& t, const std::string& path,
                                        const OrganisationContact& base) {
    r.onlyKeys(t, path + ".", {"name", "address", "phone", "email", "website", "opening_hours", "team", "team_phone",
                               "team_email"});
    OrganisationContact c = base;
    c.name = r.string(t, "name", path + ".name", true);
    auto text = [&](const char* key, std::string& field) {
        if (t.get(key)) field = r.string(t, key, path + "." + key, false);
    };
    text("phone", c.phone);
    text("email", c.email);
    text("website", c.website);
    text("opening_hours", c.openingHours);
    text("team", c.team);
    text("team_phone", c.teamPhone);
    text("team_email", c.teamEmail);
    if (c.team.empty()) r.fail(t.get("team"), path + ".team", "empty (expected the name of the team that signs unassigned cases, e.g. \"Customer Services\")");
    if (const toml::node* address = t.get("address")) {
        if (!address->is_array()) r.expected(*address, path + ".address", "a list of address lines");
        c.address.clear();
        for (const auto& line : *address->as_array()) {
            if (!line.is_string()) r.expected(line, path + ".address", "address lines in quotes");
            c.address.emplace_back(line.as_string()->get());
        }
    }
    return c;
}

bool validBrandId(std::string_view id) {
    return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    });
}

}  // namespace

// The [[rule]] tables of a charter or scheme file, in file order. Rules
// read from a scheme keep that file's name (`ruleFile`) for messages.
static std::vector<CharterRule> parseRules(const TomlReader& r, const toml::node& rules, const std::string& ruleFile) {
    std::vector<CharterRule> out;
    if (!rules.is_array_of_tables()) r.expected(rules, "rule", "[[rule]] tables");
    int index = 0;
    for (const auto& entry : *rules.as_array()) {
        ++index;
        const auto& t = *entry.as_table();
        const std::string path = "rule[" + std::to_string(index) + "]";
        r.onlyKeys(t, path + ".", {"channels", "kinds", "acknowledge_within", "respond_within", "acknowledge_within_hours",
                                   "respond_within_hours", "acknowledge", "respond", "respond_from",
                                   "holding_reply_before", "holding_reply_extends", "max_extension", "clock_pauses_on_customer", "source"});
        CharterRule rule;
        rule.line = static_cast<int>(t.source().begin.line);
        if (const toml::node* ch = t.get("channels")) {
            if (ch->is_string() && ch->as_string()->get() == "any") {
                // any channel: leave empty
            } else if (ch->is_array()) {
                for (const auto& c : *ch->as_array()) {
                    if (!c.is_string() || !channelFromName(c.as_string()->get()))
                        r.expected(c, path + ".channels", "\"any\" or channels from " + acceptedChannels());
                    rule.channels.push_back(*channelFromName(c.as_string()->get()));
                }
                if (rule.channels.empty()) r.expected(*ch, path + ".channels", "at least one channel, or \"any\"");
            } else {
                r.expected(*ch, path + ".channels", "\"any\" or a list of channels from " + acceptedChannels());
            }
        }
        const toml::node* kinds = t.get("kinds");
        if (!kinds) r.fail(&t, path + ".kinds", "missing (expected a list of kinds from " + acceptedKinds() + ")");
        if (!kinds->is_array() || kinds->as_array()->empty())
            r.expected(*kinds, path + ".kinds", "a list of kinds from " + acceptedKinds());
        for (const auto& k : *kinds->as_array()) {
            if (!k.is_string() || !kindFromName(k.as_string()->get()))
                r.expected(k, path + ".kinds", "kinds from " + acceptedKinds());
            rule.kinds.push_back(*kindFromName(k.as_string()->get()));
        }
        rule.acknowledgeWithin = r.days(t, "acknowledge_within", path + ".acknowledge_within");
        rule.respondWithin = r.days(t, "respond_within", path + ".respond_within");
        // The same two clocks in hours, or "first thing next working day".
        auto hours = [&](const char* key) -> std::optional<int> {
            const toml::node* node = t.get(key);
            if (!node) return std::nullopt;
            if (!node->is_integer() || node->as_integer()->get() < 1 || node->as_integer()->get() > kMaxClockHours)
                r.expected(*node, path + "." + key, "a whole number of hours from 1 to " + std::to_string(kMaxClockHours));
            return static_cast<int>(node->as_integer()->get());
        };
        auto firstThing = [&](const char* key) {
            const toml::node* node = t.get(key);
            if (!node) return false;
            if (!node->is_string() || node->as_string()->get() != "first-thing")
                r.expected(*node, path + "." + key, "\"first-thing\" (first thing next working day)");
            return true;
        };
        rule.acknowledgeWithinHours = hours("acknowledge_within_hours");
        rule.respondWithinHours = hours("respond_within_hours");
        rule.acknowledgeFirstThing = firstThing("acknowledge");
        rule.respondFirstThing = firstThing("respond");
        // One clock, one promise: refuse a second one for the same clock,
        // naming both keys at the line of the second.
        for (const char* clock : {"acknowledge", "respond"}) {
            const std::string days = std::string(clock) + "_within";
            const std::string inHours = std::string(clock) + "_within_hours";
            const std::vector<std::string> keys{days, inHours, clock};
            std::vector<std::string> given;
            for (const auto& key : keys)
                if (t.get(key)) given.push_back(key);
            // In file order, so the message points at the second.
            std::stable_sort(given.begin(), given.end(), [&](const std::string& a, const std::string& b) {
                return t.get(a)->source().begin.line < t.get(b)->source().begin.line;
            });
            if (given.size() > 1)
                r.fail(t.get(given[1]), path + "." + given[1],
                       given[0] + " and " + given[1] + " both promise the " + clock + " clock (expected one of " + keys[0] +
                           ", " + keys[1] + " or " + keys[2] + ")");
        }
        rule.holdingReplyBefore = r.days(t, "holding_reply_before", path + ".holding_reply_before");
        rule.holdingReplyExtends = r.days(t, "holding_reply_extends", path + ".holding_reply_extends");
        rule.maxExtension = r.days(t, "max_extension", path + ".max_extension");
        if (const toml::node* from = t.get("respond_from")) {
            std::string value = from->is_string() ? std::string(from->as_string()->get()) : "";
            if (value == "receipt") rule.respondFrom = RespondFrom::Receipt;
            else if (value == "acknowledgement") rule.respondFrom = RespondFrom::Acknowledgement;
            else r.expected(*from, path + ".respond_from", "\"receipt\" or \"acknowledgement\"");
        }
        if (const toml::node* pauses = t.get("clock_pauses_on_customer")) {
            if (!pauses->is_boolean()) r.expected(*pauses, path + ".clock_pauses_on_customer", "true or false");
            rule.clockPausesOnCustomer = pauses->as_boolean()->get();
        }
        rule.source = r.string(t, "source", path + ".source", false);
        if (!rule.promisesAcknowledgement() && !rule.promisesResponse())
            r.fail(&t, path, "expected acknowledge_within or respond_within (or their _hours forms, or acknowledge or respond = \"first-thing\"): a rule must promise something");
        if (rule.holdingReplyBefore && (rule.respondWithinHours || rule.respondFirstThing))
            r.fail(t.get("holding_reply_before"), path + ".holding_reply_before",
                   "a holding reply goes working days before a response due in working days; this rule's response is due " +
                       std::string(rule.respondFirstThing ? "first thing next working day" : "within hours") +
                       " (use respond_within, or leave holding_reply_before out)");
        if (rule.holdingReplyBefore && !rule.respondWithin)
            r.fail(t.get("holding_reply_before"), path + ".holding_reply_before",
                   "a holding reply needs respond_within to count back from");
        if (rule.holdingReplyExtends && !rule.holdingReplyBefore)
            r.fail(t.get("holding_reply_extends"), path + ".holding_reply_extends",
                   "a new date for holding replies needs holding_reply_before");
        if (rule.respondFrom == RespondFrom::Acknowledgement && !rule.promisesAcknowledgement())
            r.fail(t.get("respond_from"), path + ".respond_from",
                   "counting from the acknowledgement needs acknowledge_within");
        rule.file = ruleFile;
        out.push_back(std::move(rule));
    }
    return out;
}

ComplaintScheme parseScheme(const std::string& text, const std::string& file, std::vector<CharterRule>& rules) {
    TomlReader r(file);
    auto root = parseToml(text, file);
    r.onlyKeys(root, "", {"id", "title", "nation", "ombudsman", "rule"});
    ComplaintScheme scheme;
    scheme.id = r.string(root, "id", "id", true);
    scheme.title = r.string(root, "title", "title", true);
    scheme.nation = r.string(root, "nation", "nation", true);
    scheme.file = file;
    const toml::node* o = root.get("ombudsman");
    if (!o) r.fail(&root, "ombudsman", "missing (expected an [ombudsman] table with name, phone, website and address)");
    if (!o->is_table()) r.expected(*o, "ombudsman", "an [ombudsman] table");
    const auto& t = *o->as_table();
    r.onlyKeys(t, "ombudsman.", {"name", "phone", "website", "address"});
    // Every one is printed on letters: none may be left out or empty.
    auto required = [&](const char* key) {
        std::string value = r.string(t, key, std::string("ombudsman.") + key, true);
        if (value.empty()) r.fail(t.get(key), std::string("ombudsman.") + key, "expected a value, found \"\"");
        return value;
    };
    scheme.ombudsman.name = required("name");
    scheme.ombudsman.phone = required("phone");
    scheme.ombudsman.website = required("website");
    const toml::node* address = t.get("address");
    if (!address) r.fail(&t, "ombudsman.address", "missing (expected a list of address lines, postcode last)");
    if (!address->is_array() || address->as_array()->empty())
        r.expected(*address, "ombudsman.address", "a list of address lines, postcode last");
    for (const auto& line : *address->as_array()) {
        if (!line.is_string() || line.as_string()->get().empty())
            r.expected(line, "ombudsman.address", "address lines in quotes");
        scheme.ombudsman.address.emplace_back(line.as_string()->get());
    }
    if (const toml::node* list = root.get("rule")) rules = parseRules(r, *list, file);
    for (const auto& rule : rules)
        for (Kind k : rule.kinds)
            if (k != Kind::ComplaintStage1 && k != Kind::ComplaintStage2)
                throw InputError(file + ":" + std::to_string(rule.line) + ": rule.kinds: a scheme's rules are for complaint kinds only, found " +
                                 std::string(kindName(k)));
    return scheme;
}

Charter parseCharter(const std::string& text, const std::string& file, const fs::path& calendarsDir) {
    return parseCharter(text, file, calendarsDir, calendarsDir.parent_path() / "schemes");
}

Charter parseCharter(const std::string& text, const std::string& file, const fs::path& calendarsDir,
                     const fs::path& schemesDir) {
    TomlReader r(file);
    auto root = parseToml(text, file);
    r.onlyKeys(root, "", {"name", "organisation", "brand", "reference_prefix", "calendar", "complaints", "rule",
                          "retention"});

    Charter charter{.name = r.string(root, "name", "name", true),
                    .organisation = {},
                    .contact = {},
                    .brands = {},
                    .referencePrefix = r.string(root, "reference_prefix", "reference_prefix", true),
                    .file = file,
                    .calendar = WorkingDayCalendar::standard(Region::EnglandAndWales),
                    .rules = {},
                    .scheme = {},
                    .homes = {}};
    {
        const auto& prefix = charter.referencePrefix;
        bool ok = prefix.size() >= 2 && prefix.size() <= 5 &&
                  std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!ok) r.expected(*root.get("reference_prefix"), "reference_prefix", "2 to 5 capital letters such as \"PHG\"");
    }

    // [organisation]
    const toml::node* org = root.get("organisation");
    if (!org) r.fail(&root, "organisation", "missing (expected an [organisation] table with at least name)");
    if (!org->is_table()) r.expected(*org, "organisation", "an [organisation] table");
    charter.contact = organisationContact(r, *org->as_table(), "organisation", {});
    charter.organisation = charter.contact.name;

    // [brand.ID]: the group's subsidiaries, each with its own letterhead.
    if (const toml::node* brands = root.get("brand")) {
        if (!brands->is_table()) r.expected(*brands, "brand", "[brand.ID] tables, one per brand");
        for (const auto& [id, node] : *brands->as_table()) {
            const std::string path = "brand." + std::string(id.str());
            if (!node.is_table()) r.expected(node, path, "a [" + path + "] table with at least name");
            if (!validBrandId(id.str()))
                r.fail(&node, path, "a brand id is lower-case letters, digits and hyphens, such as \"key\"");
            if (id.str() == charter.name)
                r.fail(&node, path, "\"" + charter.name + "\" is the charter's own name, which stands for [organisation]");
            charter.brands.emplace(std::string(id.str()), organisationContact(r, *node.as_table(), path, charter.contact));
        }
    }

    // [retention]: kind = whole years after the case closes.
    if (const toml::node* retention = root.get("retention")) {
        if (!retention->is_table()) r.expected(*retention, "retention", "a [retention] table of kind = years");
        for (const auto& [key, node] : *retention->as_table()) {
            const std::string path = "retention." + std::string(key.str());
            auto kind = kindFromName(key.str());
            if (!kind) r.fail(&node, path, "unknown kind (accepted: " + acceptedKinds() + ")");
            if (!node.is_integer() || node.as_integer()->get() < 1 ||
                node.as_integer()->get() > RetentionSchedule::kMaxYears)
                r.expected(node, path, "a whole number of years from 1 to " + std::to_string(RetentionSchedule::kMaxYears));
            charter.retention.years[*kind] = static_cast<int>(node.as_integer()->get());
        }
    }

    // [calendar]
    const toml::node* cal = root.get("calendar");
    if (!cal) r.fail(&root, "calendar", "missing (expected a [calendar] table with region and hours)");
    if (!cal->is_table()) r.expected(*cal, "calendar", "a [calendar] table");
    {
        const auto& t = *cal->as_table();
        r.onlyKeys(t, "calendar.", {"region", "timezone", "hours", "closure", "first_thing_minutes"});
        if (const toml::node* first = t.get("first_thing_minutes")) {
            if (!first->is_integer() || first->as_integer()->get() < 0 || first->as_integer()->get() > 240)
                r.expected(*first, "calendar.first_thing_minutes", "a whole number of minutes after opening from 0 to 240");
            charter.firstThingMinutes = static_cast<int>(first->as_integer()->get());
        }
        const toml::node* regionNode = t.get("region");
        if (!regionNode) r.fail(&t, "calendar.region", "missing (expected england-and-wales, scotland or northern-ireland)");
        if (!regionNode->is_string() || !std::set<std::string>{"england-and-wales", "scotland", "northern-ireland"}.count(
                                             std::string(regionNode->as_string()->get())))
            r.expected(*regionNode, "calendar.region", "one of england-and-wales, scotland, northern-ireland");
        const Region region = parseRegion(regionNode->as_string()->get());
        const std::string zone = r.string(t, "timezone", "calendar.timezone", false);
        if (!zone.empty() && zone != "Europe/London")
            r.expected(*t.get("timezone"), "calendar.timezone", "\"Europe/London\" (the only zone charters use)");

        std::array<std::optional<OfficeHours>, 7> hours;
        const toml::node* hoursNode = t.get("hours");
        if (!hoursNode) r.fail(&t, "calendar.hours", "missing (expected a [calendar.hours] table, e.g. monday = \"09:00-17:00\")");
        if (!hoursNode->is_table()) r.expected(*hoursNode, "calendar.hours", "a [calendar.hours] table");
        const auto& ht = *hoursNode->as_table();
        r.onlyKeys(ht, "calendar.hours.", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
        for (std::size_t i = 0; i < 7; ++i) {
            const toml::node* h = ht.get(kWeekdayKeys[i]);
            if (!h) continue;
            const std::string path = std::string("calendar.hours.") + kWeekdayKeys[i];
            const std::string expectedText = "opening and closing times as \"09:00-17:00\"";
            if (!h->is_string()) r.expected(*h, path, expectedText);
            std::string value(h->as_string()->get());
            if (value == "closed") continue;
            if (value.size() != 11 || value[5] != '-') r.expected(*h, path, expectedText);
            OfficeHours oh;
            try {
                oh = {parseClockTime(value.substr(0, 5)), parseClockTime(value.substr(6, 5))};
            } catch (const InputError&) {
                r.expected(*h, path, expectedText);
            }
            if (oh.closes <= oh.opens) r.expected(*h, path, "a closing time after the opening time");
            hours[i] = oh;
        }
        if (std::none_of(hours.begin(), hours.end(), [](const auto& h) { return h.has_value(); }))
            r.fail(hoursNode, "calendar.hours", "expected at least one day with office hours");

        std::vector<Closure> closures;
        if (const toml::node* cl = t.get("closure")) {
            if (!cl->is_array_of_tables()) r.expected(*cl, "calendar.closure", "[[calendar.closure]] tables");
            int index = 0;
            for (const auto& entry : *cl->as_array()) {
                ++index;
                const auto& ct = *entry.as_table();
                const std::string path = "calendar.closure[" + std::to_string(index) + "]";
                r.onlyKeys(ct, path + ".", {"from", "to", "reason"});
                const toml::node* from = ct.get("from");
                if (!from) r.fail(&ct, path + ".from", "missing (expected the first closed date)");
                Closure c{r.date(*from, path + ".from"), {}, r.string(ct, "reason", path + ".reason", false)};
                const toml::node* to = ct.get("to");
                c.to = to ? r.date(*to, path + ".to") : c.from;
                if (c.to < c.from) r.fail(to, path + ".to", "expected a date on or after from");
                closures.push_back(std::move(c));
            }
        }
        charter.calendar = WorkingDayCalendar(loadBankHolidays(region, calendarsDir), hours, std::move(closures));
    }

    // [[rule]]
    const toml::node* rules = root.get("rule");
    if (!rules) r.fail(&root, "rule", "missing (expected at least one [[rule]] table)");
    charter.rules = parseRules(r, *rules, "");

    // [complaints]: the scheme of the landlord's nation (the Housing
    // Ombudsman's Code when none is named), whose complaint rules follow the
    // charter's own so that a charter's rule for a kind wins.
    std::string schemeId = "housing-ombudsman";
    std::string stage2Role = "manager";
    if (const toml::node* complaints = root.get("complaints")) {
        if (!complaints->is_table()) r.expected(*complaints, "complaints", "a [complaints] table");
        const auto& t = *complaints->as_table();
        r.onlyKeys(t, "complaints.", {"scheme", "stage2_role", "homes"});
        if (const toml::node* homes = t.get("homes")) {
            if (!homes->is_integer() || homes->as_integer()->get() < 1 || homes->as_integer()->get() > 10000000)
                r.expected(*homes, "complaints.homes", "the number of homes managed, a whole number from 1 to 10000000");
            charter.homes = static_cast<int>(homes->as_integer()->get());
        }
        if (const toml::node* role = t.get("stage2_role")) {
            const std::string value = role->is_string() ? std::string(role->as_string()->get()) : "";
            if (value != "manager" && value != "officer" && value != "administrator")
                r.expected(*role, "complaints.stage2_role", "one of manager, officer, administrator");
            stage2Role = value;
        }
        if (const toml::node* scheme = t.get("scheme")) {
            const std::string value = scheme->is_string() ? std::string(scheme->as_string()->get()) : "";
            if (!std::set<std::string>{"housing-ombudsman", "spso", "psow", "nipso"}.count(value))
                r.expected(*scheme, "complaints.scheme", "one of housing-ombudsman, spso, psow, nipso");
            schemeId = value;
        }
    }
    const fs::path schemeFile = schemesDir / (schemeId + ".toml");
    if (!fs::exists(schemeFile))
        throw InputError(file + ": complaints.scheme: " + schemeFile.string() + " does not exist (the scheme \"" +
                         schemeId + "\" is shipped in config/schemes)");
    std::vector<CharterRule> schemeRules;
    // Named as a shipped charter is ("config/schemes/spso.toml") when it is
    // the home's own.
    const bool homeSchemes = schemesDir.filename() == "schemes" && schemesDir.parent_path().filename() == "config";
    const std::string schemeShown = homeSchemes ? "config/schemes/" + schemeId + ".toml" : schemeFile.string();
    charter.scheme = parseScheme(readTextFile(schemeFile), schemeShown, schemeRules);
    if (charter.scheme.id != schemeId)
        throw InputError(schemeShown + ": id: expected \"" + schemeId + "\", found \"" + charter.scheme.id + "\"");
    for (auto& rule : schemeRules) charter.rules.push_back(std::move(rule));
    charter.scheme.stage2Role = stage2Role;
    return charter;
}

std::vector<std::string> shippedCharters(const fs::path& home) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(home / "config" / "charters", ec))
        if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

Charter loadCharter(const std::string& nameOrPath, const fs::path& home) {
    const fs::path calendars = home / "config" / "calendars";
    const bool looksLikePath = nameOrPath.find('/') != std::string::npos ||
                               (nameOrPath.size() > 5 && nameOrPath.ends_with(".toml"));
    fs::path file = looksLikePath ? fs::path(nameOrPath) : home / "config" / "charters" / (nameOrPath + ".toml");
    if (!fs::exists(file)) {
        if (looksLikePath) throw InputError("charter file " + nameOrPath + " does not exist");
        std::string names;
        for (const auto& n : shippedCharters(home)) names += (names.empty() ? "" : ", ") + n;
        throw InputError("unknown charter \"" + nameOrPath + "\" (accepted: " + names +
                         ", or a path to a charter file)");
    }
    std::string shown = looksLikePath ? nameOrPath : "config/charters/" + nameOrPath + ".toml";
    return parseCharter(readTextFile(file), shown, calendars);
}

}  // namespace duly::engine
