// duly deadline: works out when an item must be acknowledged and answered
// under a charter. The JSON form is the contract for scripts (README).
#include "Command.h"
#include "Json.h"

#include "duly/engine/CharterFile.h"
#include "duly/engine/Deadlines.h"
#include "duly/engine/InputError.h"

#include <ostream>

using namespace duly::engine;

namespace {

const char* kUsage = R"(Usage: duly deadline --charter NAME|FILE --channel CHANNEL --kind KIND --received TIME
                     [--acknowledged TIME] [--extension DAYS] [--json]

Works out, under a charter, by when an item must be acknowledged and answered.

  --charter       a shipped charter (progress, paragon, south-western, example-scotland, example-wales) or a path to a charter file
  --channel       letter, email, web, phone-message, text
  --kind          enquiry, complaint-stage-1, complaint-stage-2, info-request, visit-request,
                  appointment-request, comment, compliment, call-back
  --received      when the item arrived, RFC 3339 (2026-12-24T16:50:00Z)
  --acknowledged  when the acknowledgement was sent; without it, it is taken to have gone at receipt
  --extension     working days of an agreed extension (complaints; at most the charter's maximum)
  --json          print one JSON object: charter, channel, kind, received, counted_from,
                  acknowledge_by, respond_by, holding_reply_by (Europe/London times with offset, or null)

Exit status: 0 success, 2 bad input (the message names the bad value and the accepted ones).
)";

std::string longDate(Date d) {
    static const char* days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
    auto ymd = civil(d);
    return std::string(days[isoWeekday(d) - 1]) + " " + std::to_string(static_cast<unsigned>(ymd.day())) + " " +
           months[static_cast<unsigned>(ymd.month()) - 1] + " " + std::to_string(static_cast<int>(ymd.year()));
}

int runDeadline(duly::app::Context& ctx) {
    auto& a = ctx.args;
    const Charter charter = loadCharter(a.required("charter"), ctx.home);
    const Channel channel = parseChannel(a.required("channel"));
    const Kind kind = parseKind(a.required("kind"));
    const Instant received = parseRfc3339(a.required("received"), "--received");
    std::optional<Instant> acknowledged;
    if (auto t = a.option("acknowledged")) acknowledged = parseRfc3339(*t, "--acknowledged");
    int extension = 0;
    if (auto e = a.option("extension")) {
        try {
            std::size_t used = 0;
            extension = std::stoi(*e, &used);
            if (used != e->size()) throw std::invalid_argument(*e);
        } catch (const std::exception&) {
            throw InputError("--extension: expected a whole number of working days, found \"" + *e + "\"");
        }
    }
    const bool json = a.flag("json");
    a.finish();

    DeadlineCalculator calc(charter);
    const Deadlines d = calc.compute({channel, kind, received, acknowledged, extension});
    const auto& zone = calc.zone();
    auto time = [&](const std::optional<Instant>& t) -> std::optional<std::string> {
        if (!t) return std::nullopt;
        return zone.formatRfc3339(*t);
    };

    if (json) {
        duly::app::JsonObject o;
        o.add("charter", duly::app::jsonString(charter.name))
            .add("channel", duly::app::jsonString(channelName(channel)))
            .add("kind", duly::app::jsonString(kindName(kind)))
            .add("received", duly::app::jsonString(zone.formatRfc3339(received)))
            .add("acknowledged", duly::app::jsonOptional(time(acknowledged)))
            .add("counted_from", duly::app::jsonString(formatDate(d.countedFrom)))
            .add("acknowledge_by", duly::app::jsonOptional(time(d.acknowledgeBy)))
            .add("response_counted_from",
                 duly::app::jsonOptional(d.responseCountedFrom ? std::optional(formatDate(*d.responseCountedFrom)) : std::nullopt))
            .add("respond_by", duly::app::jsonOptional(time(d.respondBy)))
            .add("holding_reply_by", duly::app::jsonOptional(time(d.holdingReplyBy)))
            .add("extension_days", std::to_string(extension))
            .add("rule", d.rule ? duly::app::jsonString((d.rule->file.empty() ? charter.file : d.rule->file) + ":" + std::to_string(d.rule->line)) : "null")
            .add("source", d.rule ? duly::app::jsonString(d.rule->source) : "null");
        ctx.out << o.str() << "\n";
        return 0;
    }

    auto line = [&](const std::string& label, const std::string& value) {
        ctx.out << label << std::string(label.size() < 18 ? 18 - label.size() : 1, ' ') << value << "\n";
    };
    auto when = [&](const std::optional<Instant>& t) {
        if (!t) return std::string("no promise in this charter");
        auto local = zone.toLocal(*t);
        return longDate(local.date) + " at " + formatClockTime(local.timeOfDay) + "  (" + zone.formatRfc3339(*t) + ")";
    };
    line("charter", charter.name + " — " + charter.organisation);
    line("item", std::string(channelName(channel)) + ", " + std::string(kindName(kind)));
    line("received", when(received));
    std::string why;
    const auto local = zone.toLocal(received);
    if (d.countedFrom == local.date) why = "received on a working day before closing time";
    else if (auto closed = charter.calendar.whyClosed(local.date)) why = "received on a closed day (" + *closed + ")";
    else why = "received after closing time";
    line("counted from", longDate(d.countedFrom) + "  (" + why + ")");
    if (!d.rule) {
        line("promise", "none: " + charter.name + " makes no promise for this channel and kind");
        return 0;
    }
    line("rule", (d.rule->file.empty() ? charter.file : d.rule->file) + ":" + std::to_string(d.rule->line) + (d.rule->source.empty() ? "" : " — " + d.rule->source));
    line("acknowledge by", when(d.acknowledgeBy));
    line("respond by", when(d.respondBy));
    if (d.holdingReplyBy) line("holding reply by", when(d.holdingReplyBy));
    return 0;
}

duly::app::CommandRegistration reg{"deadline", "work out when an item must be acknowledged and answered", kUsage,
                                   runDeadline};

}  // namespace
