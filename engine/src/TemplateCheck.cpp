// TemplateCheck: compares every locale and template with en-GB. See
// TemplateCheck.h.
#include "duly/engine/TemplateCheck.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"
#include "duly/engine/SampleData.h"
#include "duly/engine/MessageCatalog.h"
#include "duly/engine/Template.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace duly::engine {
namespace {

std::string braces(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "{" : ", {") + n + "}";
    return s.empty() ? "none" : s;
}

std::string rel(const std::filesystem::path& home, const std::filesystem::path& p) {
    auto r = p.lexically_relative(home);
    return r.empty() || r.string().starts_with("..") ? p.string() : r.string();
}

std::vector<std::string> sortedIds(const LocaleCatalog& c) {
    std::vector<std::string> ids;
    for (const auto& [id, _] : c.messages) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

std::vector<CheckFinding> checkTemplates(const std::filesystem::path& home) {
    std::vector<CheckFinding> out;
    MessageCatalog catalog;
    try {
        catalog = MessageCatalog::load(home / "locales");
    } catch (const InputError& e) {
        out.push_back({"locales", e.what(), true});
        return out;
    }
    const LocaleCatalog& en = *catalog.locale(MessageCatalog::kReference);
    auto where = [&](const LocaleCatalog& c, int line) { return rel(home, c.file) + ":" + std::to_string(line); };
    for (const auto& tag : catalog.tags()) {
        const LocaleCatalog& loc = *catalog.locale(tag);
        for (const auto& id : sortedIds(loc)) {
            const Message& m = loc.messages.at(id);
            if (!m.error.empty()) {
                out.push_back({where(loc, m.line), "message " + id + ": " + m.error, true});
                continue;
            }
            if (&loc == &en) continue;
            const Message* ref = en.find(id);
            if (!ref) {
                out.push_back({where(loc, m.line), "message " + id + " is not in en-GB.toml (unused?)", false});
                continue;
            }
            if (ref->error.empty() && ref->arguments != m.arguments)
                out.push_back({where(loc, m.line), "message " + id + ": placeholders " + braces(m.arguments) +
                                                       " do not match the English " + braces(ref->arguments) + " (" +
                                                       where(en, ref->line) + ")",
                               true});
        }
        if (&loc == &en) continue;
        for (const auto& id : sortedIds(en)) {
            bool englishOnly = std::any_of(en.englishOnly.begin(), en.englishOnly.end(),
                                           [&](const std::string& p) { return id.starts_with(p); });
            if (!englishOnly && !loc.find(id))
                out.push_back({rel(home, loc.file), "message " + id + " is missing (English at " +
                                                        where(en, en.messages.at(id).line) + ")",
                               true});
        }
    }
    TemplateLibrary lib;
    try {
        lib = TemplateLibrary::load(home / "templates");
    } catch (const InputError& e) {
        out.push_back({"templates", e.what(), true});
        return out;
    }
    for (const auto& [name, error] : lib.errors()) {
        std::string file = "templates/" + name + ".tmpl";
        if (!error.empty()) {
            out.push_back({file, error, true});
            continue;
        }
        const Template& tpl = lib.get(name);
        for (const auto& [id, given] : tpl.messages) {
            const Message* ref = en.find(id);
            if (!ref) {
                out.push_back({file, "uses message " + id + ", which en-GB.toml does not have", true});
                continue;
            }
            for (const auto& a : ref->arguments)
                if (std::find(given.begin(), given.end(), a) == given.end())
                    out.push_back({file, "message " + id + " needs {" + a + "} but the template passes no " + a + "=",
                                   true});
        }
        for (const auto& t : tpl.locales)
            if (!catalog.locale(t)) out.push_back({file, "@locales names " + t + ", which has no locale file", true});
    }
    return out;
}

namespace {

// The charter key an empty field of a letter comes from, in the table
// `table` ("organisation" or "brand.ID"); empty when it is not the charter's.
std::string charterKeyFor(const std::string& field, const std::string& table, bool assigned) {
    static const std::map<std::string, std::string> keys = {
        {"organisation.name", "name"},       {"organisation.address", "address"},
        {"organisation.phone", "phone"},     {"organisation.email", "email"},
        {"organisation.website", "website"}, {"organisation.opening_hours", "opening_hours"}};
    if (auto k = keys.find(field); k != keys.end()) return "[" + table + "] " + k->second;
    if (!assigned && field == "officer.phone") return "[" + table + "] team_phone (or phone)";
    if (!assigned && field == "officer.email") return "[" + table + "] team_email (or email)";
    return {};
}

// Which (channel, kind) pairs get which template: the acknowledgement of
// the kind, a reply, a holding reply where the rule gives one, and a
// complaint stage's own letters. Templates this does not know (added by a
// landlord) are rendered for every pair.
bool templateFits(const std::string& name, Kind kind, const CharterRule& rule) {
    const bool stage1 = kind == Kind::ComplaintStage1, stage2 = kind == Kind::ComplaintStage2;
    if (name == "acknowledgement") return !stage1 && !stage2;
    if (name.starts_with("complaint-stage-1")) return stage1;
    if (name.starts_with("complaint-stage-2")) return stage2;
    if (name == "holding-reply") return rule.holdingReplyBefore.has_value();
    if (name == "pause-notice" || name == "resume-notice") return rule.clockPausesOnCustomer;
    if (name == "missed-calls")
        return kind == Kind::CallBack || rule.channels.empty() ||
               std::find(rule.channels.begin(), rule.channels.end(), Channel::PhoneMessage) != rule.channels.end();
    return true;
}

}  // namespace

std::vector<CheckFinding> checkCharterLetters(const Renderer& renderer, const Charter& charter, bool quick,
                                              std::size_t* rendered) {
    std::vector<CheckFinding> out;
    std::vector<std::string> locales = quick ? std::vector<std::string>{MessageCatalog::kReference}
                                             : renderer.catalog().tags();
    std::vector<std::string> formats = quick ? std::vector<std::string>{"standard"}
                                             : std::vector<std::string>{"standard", "large-print"};
    std::vector<std::pair<std::string, Organisation>> heads = {{"organisation", organisationOf(charter, charter.name, charter.contact)}};
    for (const auto& [id, contact] : charter.brands) heads.emplace_back("brand." + id, organisationOf(charter, id, contact));
    const DeadlineCalculator calc(charter);
    // One finding per problem, with the first letter that shows it: a
    // missing phone number shows in every letter.
    std::set<std::string> reported;
    auto report = [&](const std::string& templateName, const std::string& what, const InputError& e,
                      const std::string& table, bool assigned) {
        if (const auto* empty = dynamic_cast<const EmptyFieldError*>(&e)) {
            const std::string key = charterKeyFor(empty->field(), table, assigned);
            if (!key.empty()) {
                if (reported.insert(key).second)
                    out.push_back({charter.file, key + " is empty or missing; letters need it, e.g. " + what + " (" +
                                                     e.what() + ")",
                                   true});
                return;
            }
        }
        if (reported.insert(templateName + "\n" + e.what()).second)
            out.push_back({charter.file, what + ": " + e.what(), true});
    };

    for (const auto& [name, error] : renderer.templates().errors()) {
        if (!error.empty()) continue;  // checkTemplates reports it
        const bool forOfficers = name.starts_with("officer-");
        for (const auto& [table, org] : heads) {
            if (forOfficers) {
                const Sample s = sampleFor(name);
                Case kase = s.kase;
                kase.charter = charter.name;
                Value ctx = name == "officer-digest" ? buildDigestContext(s.officer, org, s.details.date, s.digest)
                                                     : buildCaseContext(kase, s.customer, s.officer, org, s.details);
                if (name != "officer-digest") addSampleAlert(ctx);
                try {
                    if (rendered) ++*rendered;
                    renderer.render(name, MessageCatalog::kReference, "standard", ctx);
                } catch (const InputError& e) {
                    report(name, name + " (" + table + ")", e, table, true);
                }
                continue;
            }
            // One render per rule, channel and template: the kinds a rule
            // covers share its promises and, apart from complaints, its letters.
            std::set<std::tuple<const CharterRule*, Channel, std::string, bool>> done;
            for (Channel channel : kAllChannels)
                for (const Kind kind : kAllKinds) {
                    const CharterRule* rule = charter.ruleFor(channel, kind);
                    if (!rule || !templateFits(name, kind, *rule)) continue;
                    const bool complaint = kind == Kind::ComplaintStage1 || kind == Kind::ComplaintStage2;
                    if (!done.insert({rule, channel, name, complaint && kind == Kind::ComplaintStage2}).second) continue;
                    Sample s = sampleFor(name);
                    s.kase.charter = charter.name;
                    s.kase.channel = channel;
                    s.kase.kind = kind;
                    const Deadlines d = calc.compute({channel, kind, s.kase.received, std::nullopt});
                    s.kase.acknowledgeBy = d.acknowledgeBy;
                    s.kase.respondBy = d.respondBy;
                    if (d.respondBy) {
                        const Date from = calc.dayZero(*d.respondBy);
                        if (s.details.holding) {
                            s.details.holding->previousDate = d.respondBy;
                            s.details.holding->newDate =
                                calc.dueAfter(from, rule->holdingReplyExtends.value_or(rule->respondWithin.value_or(5)));
                        }
                        if (s.details.extension) {
                            const int days = rule->maxExtension.value_or(10);
                            s.details.extension->previousDate = d.respondBy;
                            s.details.extension->newDate = calc.dueAfter(from, days);
                            s.details.extension->workingDays = days;
                        }
                        if (s.details.pause) s.details.pause->oldDate = *d.respondBy;
                        if (s.details.resumedReplyBy)
                            s.details.resumedReplyBy = calc.dueAfter(from, rule->respondWithin.value_or(5));
                        if (s.details.followUpBy && rule->respondWithin)
                            s.details.followUpBy = calc.dueAfter(calc.dayZero(s.details.date), *rule->respondWithin);
                    }
                    if (!rule->respondWithin) s.details.followUpBy.reset();
                    // The third pass is the copy for a customer's
                    // representative (addressed to them, saying whom they
                    // act for): once per letter, under the charter's own head.
                    for (int pass = 0; pass < 3; ++pass) {
                        const bool assigned = pass != 1;
                        const bool copy = pass == 2;
                        if (copy && (quick || table != "organisation")) continue;
                        const Officer officer = signatory(assigned ? s.officer : Officer{}, org);
                        LetterDetails details = s.details;
                        Customer to = s.customer;
                        if (copy) {
                            details.onBehalfOf = s.customer.name;
                            to.name = "Ms Priya Patel MP";
                            to.salutation = "Dear Ms Patel";
                        }
                        const Value ctx = buildCaseContext(s.kase, to, officer, org, details);
                        for (const auto& locale : locales)
                            for (const auto& format : formats) {
                                try {
                                    if (rendered) ++*rendered;
                                    renderer.render(name, locale, format, ctx);
                                } catch (const InputError& e) {
                                    report(name, name + ", " + std::string(kindName(kind)) + " by " +
                                               std::string(channelName(channel)) + ", " +
                                               (assigned ? "assigned" : "unassigned") + (copy ? ", representative's copy" : "") +
                                               ", " + locale + ", " + format + " (" + table + ")",
                                           e, table, assigned);
                                }
                            }
                    }
                }
        }
    }
    return out;
}

}  // namespace duly::engine
