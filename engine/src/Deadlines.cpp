// Deadlines: working-day arithmetic on a charter's calendar (see Deadlines.h
// for the exact semantics, and tests/engine/DeadlinesTest.cpp for the worked
// examples).
#include "duly/engine/Deadlines.h"

#include "duly/engine/InputError.h"

#include <algorithm>

namespace duly::engine {

bool CharterRule::matches(Channel channel, Kind kind) const {
    const bool channelOk = channels.empty() || std::find(channels.begin(), channels.end(), channel) != channels.end();
    return channelOk && std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

const CharterRule* Charter::ruleFor(Channel channel, Kind kind) const {
    for (const auto& rule : rules)
        if (rule.matches(channel, kind)) return &rule;
    return nullptr;
}

DeadlineCalculator::DeadlineCalculator(const Charter& charter, const ZoneRules& zone)
    : _charter(charter), _zone(zone) {}

Date DeadlineCalculator::dayZero(Instant at) const {
    const auto local = _zone.toLocal(at);
    const auto& calendar = _charter.calendar;
    if (calendar.isWorkingDay(local.date)) {
        const auto hours = calendar.hoursOn(local.date);
        if (hours && local.timeOfDay < hours->closes) return local.date;
    }
    return calendar.nextWorkingDay(local.date);
}

Instant DeadlineCalculator::dueAfter(Date day0, int n) const {
    const Date day = _charter.calendar.addWorkingDays(day0, n);
    const auto hours = _charter.calendar.hoursOn(day);
    // A working day always has hours; keep a sane fallback for the type.
    return _zone.toInstant(day, hours ? hours->closes : Minutes{17 * 60});
}

int DeadlineCalculator::pausedWorkingDays(Instant since, Instant until) const {
    if (until <= since) return 0;
    return _charter.calendar.workingDaysBetween(_zone.toLocal(since).date, _zone.toLocal(until).date);
}

std::optional<Instant> DeadlineCalculator::responseCap(DeadlineRequest request) const {
    if (!isComplaint(request.kind)) return std::nullopt;
    const CharterRule* rule = _charter.ruleFor(request.channel, request.kind);
    if (!rule || !rule->respondWithin) return std::nullopt;
    request.extensionDays = rule->maxExtension.value_or(0);
    return compute(request).respondBy;
}

Deadlines DeadlineCalculator::compute(const DeadlineRequest& request) const {
    Deadlines out;
    out.countedFrom = dayZero(request.received);
    out.rule = _charter.ruleFor(request.channel, request.kind);
    if (request.acknowledged && *request.acknowledged < request.received)
        throw InputError("the acknowledgement time " + _zone.formatRfc3339(*request.acknowledged) +
                         " is before the item was received (" + _zone.formatRfc3339(request.received) + ")");
    if (request.extensionDays < 0) throw InputError("an extension cannot be negative");
    if (request.pausedDays < 0) throw InputError("paused days cannot be negative");
    if (!out.rule) {
        if (request.extensionDays > 0)
            throw InputError("charter " + _charter.name + " makes no promise for " +
                             std::string(channelName(request.channel)) + " " + std::string(kindName(request.kind)) +
                             ", so there is nothing to extend");
        return out;
    }
    const CharterRule& rule = *out.rule;
    if (rule.acknowledgeWithin) out.acknowledgeBy = dueAfter(out.countedFrom, *rule.acknowledgeWithin);

    if (request.extensionDays > 0) {
        const int max = rule.maxExtension.value_or(0);
        if (!rule.respondWithin || request.extensionDays > max)
            throw InputError("an extension of " + std::to_string(request.extensionDays) +
                             " working days is more than charter " + _charter.name + " allows for " +
                             std::string(kindName(request.kind)) + " (at most " + std::to_string(max) + ")");
    }
    if (rule.respondWithin) {
        Date from = out.countedFrom;
        if (rule.respondFrom == RespondFrom::Acknowledgement && request.acknowledged)
            from = dayZero(*request.acknowledged);
        out.responseCountedFrom = from;
        // Paused days only exist where the rule allows a pause (CaseService
        // refuses one elsewhere); they count like extra days on the clock.
        const int total = *rule.respondWithin + request.extensionDays + request.pausedDays;
        out.respondBy = dueAfter(from, total);
        if (rule.holdingReplyBefore) {
            const int before = std::min(*rule.holdingReplyBefore, total);
            out.holdingReplyBy = dueAfter(from, total - before);
        }
    }
    return out;
}

}  // namespace duly::engine
