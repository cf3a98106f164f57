// Wiring: shared plumbing of the commands.
#include "Wiring.h"

#include "duly/engine/Correspondence.h"
#include "duly/engine/InputError.h"
#include "duly/engine/TemplateCheck.h"
#include "duly/engine/WorkingDayCalendar.h"
#include "duly/store/SqliteCaseStore.h"

#include <chrono>
#include <map>
#include <ostream>
#include <cstdlib>

using namespace duly::engine;

namespace duly::app {

void requireCompleteCharters(CharterBook& charters, const Renderer& renderer) {
    std::string problems;
    int count = 0;
    for (const auto& name : charters.shipped())
        for (const auto& f : checkCharterLetters(renderer, charters.get(name), true)) {
            problems += "\n  " + f.where + ": " + f.message;
            ++count;
        }
    if (count)
        throw InputError("not starting: " + std::to_string(count) + " charter problem" + (count == 1 ? "" : "s") +
                         " would put letters out with empty fields (duly templates check lists every one):" + problems);
}

std::unique_ptr<CaseStore> openStore(const Context& ctx) {
    return std::make_unique<store::SqliteCaseStore>(ctx.db);
}

Instant now(Args& args) {
    if (auto t = args.option("now")) return parseRfc3339(*t, "--now");
    if (const char* env = std::getenv("DULY_NOW"); env && *env) return parseRfc3339(env, "DULY_NOW");
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string actor(Args& args) {
    if (auto a = args.option("as")) return *a;
    if (const char* env = std::getenv("DULY_ACTOR"); env && *env) return env;
    return "cli";
}

Instant atOption(Args& args, Instant fallback) {
    if (auto t = args.option("at")) return parseRfc3339(*t, "--at");
    return fallback;
}

std::string shortWhen(Instant t) {
    static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto local = ZoneRules::london().toLocal(t);
    auto ymd = civil(local.date);
    return std::string(days[isoWeekday(local.date) - 1]) + " " + std::to_string(static_cast<unsigned>(ymd.day())) +
           " " + months[static_cast<unsigned>(ymd.month()) - 1] + " " + formatClockTime(local.timeOfDay);
}

std::string urgency(Instant due, Instant nowAt) {
    const auto& zone = ZoneRules::london();
    if (due < nowAt) return "OVERDUE";
    auto dueDay = zone.toLocal(due).date;
    auto today = zone.toLocal(nowAt).date;
    if (dueDay == today) return "due today";
    // Labels only: the England and Wales calendar decides "next working day".
    static const WorkingDayCalendar calendar = WorkingDayCalendar::standard(Region::EnglandAndWales);
    if (dueDay == calendar.nextWorkingDay(today)) return "due next working day";
    return "due later";
}

int wholeNumber(const std::string& text, const std::string& option) {
    int value = 0;
    bool ok = !text.empty() && text.size() <= 9;
    for (char c : text) {
        if (c < '0' || c > '9') ok = false;
        else value = value * 10 + (c - '0');
    }
    if (!ok) throw InputError(option + ": expected a whole number, found \"" + text + "\"");
    return value;
}

void printDueList(std::ostream& out, const CaseStore& store, const std::vector<DueAction>& actions, Instant nowAt,
                  bool overdue) {
    // Grouped by officer, each group as given: cases marked urgent first
    // (urgentFirst), then most urgent first (the store's order).
    std::map<std::string, std::vector<const DueAction*>> byOfficer;
    std::vector<std::string> order;
    for (const auto& d : actions) {
        if (!byOfficer.count(d.officerId)) order.push_back(d.officerId);
        byOfficer[d.officerId].push_back(&d);
    }
    if (actions.empty()) out << (overdue ? "nothing is overdue\n" : "nothing is due\n");
    for (const auto& id : order) {
        std::string heading = id.empty() ? "Unassigned" : id;
        if (!id.empty())
            if (auto o = store.officer(id)) heading = o->name + " (" + o->id + ", " + o->position + ")";
        out << heading << "\n";
        for (const auto* d : byOfficer[id]) {
            std::string status = (d->urgent ? "URGENT, " : "") + urgency(d->dueAt, nowAt);
            out << "  " << status << std::string(status.size() < 22 ? 22 - status.size() : 1, ' ')
                    << shortWhen(d->dueAt) << "  " << dueWhatName(d->what)
                    << std::string(dueWhatName(d->what).size() < 14 ? 14 - dueWhatName(d->what).size() : 1, ' ')
                    << d->caseReference << "  " << channelName(d->channel) << " " << kindName(d->kind)
                    << (d->subject.empty() ? "" : "  — " + d->subject);
            if (const std::string call = callTaskWords(*d, store); !call.empty()) out << "  (" << call << ")";
            out << "\n";
        }
    }
}

}  // namespace duly::app
