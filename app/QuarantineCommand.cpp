// duly quarantine: the messages Duly could not read, for officers to look
// at. Each still opened a case (awaiting triage, its deadlines running);
// the list says which, and why the message could not be read. `show` writes
// a message's bytes as received, to open in a mail program.
#include "Command.h"
#include "Json.h"
#include "Wiring.h"

#include "duly/engine/InputError.h"
#include "duly/store/SqliteCaseStore.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly quarantine list [--limit N] [--json]
       duly quarantine show ID

Messages that could not be read (a broken header, over a size limit). Each still opened a
case, which counts against the charter from when the message arrived; an officer reads the
message (show ID writes its bytes as received) and deals with the case.

  list         newest first: id, when it arrived, mailbox, Message-ID, case, and why
  show ID      the message's bytes, as received
  --limit N    at most N messages (default 50)
  --json       one JSON array of {id, mailbox, message_id, received, case, reason}
)";

int runQuarantine(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const std::string action = a.positional(0, "an action (list, show)");
    std::size_t limit = 50;
    if (auto l = a.option("limit")) limit = static_cast<std::size_t>(duly::app::wholeNumber(*l, "--limit"));
    const bool json = a.flag("json");
    if (action == "show") {
        const std::string id = a.positional(1, "the id of a quarantined message (duly quarantine list)");
        a.finish();
        const auto wanted = duly::app::wholeNumber(id, "ID");
        duly::store::SqliteCaseStore store(ctx.db);
        for (const auto& q : store.quarantined(0))
            if (q.id == wanted) {
                ctx.out << q.raw;
                return 0;
            }
        throw InputError("no quarantined message with id " + id + " (duly quarantine list shows them)");
    }
    if (action != "list") throw InputError("duly quarantine: expected list or show, found \"" + action + "\"");
    a.finish();
    duly::store::SqliteCaseStore store(ctx.db);
    const auto all = store.quarantined(limit);
    const auto& london = ZoneRules::london();
    if (json) {
        std::string out = "[";
        for (const auto& q : all) {
            duly::app::JsonObject o;
            o.add("id", std::to_string(q.id))
                .add("mailbox", duly::app::jsonString(q.mailbox))
                .add("message_id", duly::app::jsonString(q.messageKey))
                .add("received", duly::app::jsonString(london.formatRfc3339(q.received)))
                .add("case", q.caseReference.empty() ? "null" : duly::app::jsonString(q.caseReference))
                .add("reason", duly::app::jsonString(q.reason));
            out += (out.size() > 1 ? "," : "") + o.str();
        }
        ctx.out << out << "]\n";
        return 0;
    }
    if (all.empty()) {
        ctx.out << "nothing in quarantine\n";
        return 0;
    }
    for (const auto& q : all) {
        ctx.out << q.id << "  " << london.formatRfc3339(q.received) << "  " << q.mailbox << "  " << q.messageKey
                << "  " << (q.caseReference.empty() ? "no case" : "case " + q.caseReference) << "\n"
                << "    " << q.reason << "\n";
    }
    return 0;
}

duly::app::CommandRegistration reg{"quarantine", "list the messages that could not be read", kUsage, runQuarantine};

}  // namespace
