// duly due: what each officer must do and by when, most urgent first.
#include "Command.h"
#include "Json.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly due [--officer ID] [--overdue] [--limit N] [--json] [--now TIME]

Lists what must be done (acknowledge, holding reply, respond) on open cases and by when,
most urgent first, grouped by officer. Cases without an officer are listed as unassigned.

  --officer ID   only this officer's list
  --overdue      only what is already late
  --limit N      at most N actions
  --json         one JSON array of {case, officer, action, due, status, ...}
  --now TIME     the current time (default: $DULY_NOW or the clock), RFC 3339
)";

int runDue(duly::app::Context& ctx) {
    auto& a = ctx.args;
    auto officer = a.option("officer");
    const bool overdue = a.flag("overdue");
    const bool json = a.flag("json");
    std::size_t limit = 0;
    if (auto l = a.option("limit")) limit = static_cast<std::size_t>(duly::app::wholeNumber(*l, "--limit"));
    const Instant nowAt = duly::app::now(a);
    a.finish();

    auto store = duly::app::openStore(ctx);
    if (officer && !store->officer(*officer)) {
        std::string ids;
        for (const auto& o : store->officers()) ids += (ids.empty() ? "" : ", ") + o.id;
        throw InputError("no officer with id \"" + *officer + "\"" + (ids.empty() ? "" : " (officers: " + ids + ")"));
    }
    // Every urgent case first, however many others fall due before it.
    auto actions = overdue ? store->dueActions(officer, nowAt, limit) : duly::engine::dueQueue(*store, officer, limit);
    if (overdue) duly::engine::urgentFirst(actions);

    if (json) {
        std::string out = "[";
        for (const auto& d : actions) {
            duly::app::JsonObject o;
            o.add("case", duly::app::jsonString(d.caseReference))
                .add("officer", d.officerId.empty() ? "null" : duly::app::jsonString(d.officerId))
                .add("customer", d.customerRef.empty() ? "null" : duly::app::jsonString(d.customerRef))
                .add("urgent", d.urgent ? "true" : "false")
                .add("action", duly::app::jsonString(dueWhatName(d.what)))
                .add("due", duly::app::jsonString(ZoneRules::london().formatRfc3339(d.dueAt)))
                .add("status", duly::app::jsonString(duly::app::urgency(d.dueAt, nowAt)))
                .add("channel", duly::app::jsonString(channelName(d.channel)))
                .add("kind", duly::app::jsonString(kindName(d.kind)))
                .add("subject", duly::app::jsonString(d.subject));
            out += (out.size() > 1 ? "," : "") + o.str();
        }
        ctx.out << out << "]\n";
        return 0;
    }

    duly::app::printDueList(ctx.out, *store, actions, nowAt, overdue);
    return 0;
}

duly::app::CommandRegistration reg{"due", "list what each officer must do and by when", kUsage, runDue};

}  // namespace
