// The dashboard's status page (/status, managers and administrators): the
// instances of `duly serve` that share the store (engine::InstanceStore,
// found on the store when it keeps them), each with its machine, process,
// start and last heartbeat, and the work it holds — which mailboxes it
// reads, whether it runs the scheduler's tick. An instance is alive when
// seen within kAliveFor (each writes a heartbeat every poll, at least once
// a minute, unless a long pass over a backlog holds it); the others are
// listed apart as gone quiet, with when they were last seen. A store that
// keeps no instances shows a sentence saying so, never an error.
#include "duly/web/Dashboard.h"

#include "DashboardWords.h"

#include "duly/engine/InstanceStore.h"
#include "duly/web/Html.h"

using namespace duly::engine;

namespace duly::web {
namespace {

constexpr std::chrono::seconds kAliveFor{120};

// "the scheduler's tick", "mailbox customer-services": what a lock name means.
std::string holdsWords(const std::vector<std::string>& holds) {
    if (holds.empty()) return "nothing (standing by)";
    std::string out;
    for (const auto& h : holds) {
        if (!out.empty()) out += ", ";
        if (h == "tick") out += "the scheduler's tick and retention";
        else if (h.rfind("mailbox:", 0) == 0) out += "mailbox " + h.substr(8);
        else out += h;
    }
    return out;
}

std::string table(const std::vector<InstanceRecord>& rows) {
    std::string body = "<table><thead><tr><th scope=\"col\">Instance</th><th scope=\"col\">Machine</th>"
                       "<th scope=\"col\">Process</th><th scope=\"col\">Started</th><th scope=\"col\">Last seen</th>"
                       "<th scope=\"col\">Holds</th></tr></thead><tbody>\n";
    for (const auto& r : rows)
        body += "<tr><td>" + escape(r.name) + "</td><td>" + escape(r.host) + "</td><td>" + std::to_string(r.pid) +
                "</td><td>" + escape(shortWhen(r.started)) + "</td><td>" + escape(shortWhen(r.lastSeen)) +
                "</td><td>" + escape(holdsWords(r.holds)) + "</td></tr>\n";
    return body + "</tbody></table>\n";
}

}  // namespace

Response Dashboard::status(Request&, Viewer& viewer) {
    if (!viewer.isManager()) return forbidden(viewer, "The status page is for managers and administrators.");
    const Instant now = _clock();
    _audit.write(now, viewer.officer.id, "viewed status", "/status");
    std::string body = "<h1>Status</h1>\n<p class=\"lead\">The copies of Duly running against this store. Each "
                       "mailbox is read, and the scheduler run, by one of them at a time; if it stops, another "
                       "takes its work over within a few seconds.</p>\n";
    const auto* instances = dynamic_cast<const InstanceStore*>(&_store);
    if (!instances) {
        body += "<p class=\"empty\">This store does not record the running copies of Duly.</p>\n";
    } else {
        std::vector<InstanceRecord> alive, quiet;
        for (auto& r : instances->instances()) (now - r.lastSeen <= kAliveFor ? alive : quiet).push_back(std::move(r));
        body += "<h2>Running</h2>\n";
        body += alive.empty() ? "<p class=\"empty\">No copy of Duly has been seen in the last two minutes: "
                                "nothing is reading the mailboxes.</p>\n"
                              : table(alive);
        if (!quiet.empty()) {
            body += "<h2>Gone quiet</h2>\n<p>Not seen for more than two minutes: stopped, or cut off from the "
                    "database. What they held has been free for others to take since they stopped.</p>\n" +
                    table(quiet);
        }
    }
    Response r;
    r.body = layout(&viewer, "Status", "/status", body);
    return r;
}

}  // namespace duly::web
