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

Instant DeadlineCalculator::hoursClockStart(Instant at) const {
    const auto local = _zone.toLocal(at);
    const auto& calendar = _charter.calendar;
    if (calendar.isWorkingDay(local.date)) {
        const auto hours = calendar.hoursOn(local.date);
        if (hours && local.timeOfDay < hours->opens) return _zone.toInstant(local.date, hours->opens);
        if (hours && local.timeOfDay < hours->closes) return at;
    }
    const Date next = calendar.nextWorkingDay(local.date);
    const auto hours = calendar.hoursOn(next);
    return _zone.toInstant(next, hours ? hours->opens : Minutes{9 * 60});
}

Instant DeadlineCalculator::dueWithinHours(Instant at, int hours) const {
    const auto& calendar = _charter.calendar;
    const Instant start = hoursClockStart(at);
    const auto local = _zone.toLocal(start);
    // Run the hours on the office clock, a whole day at a time, stepping
    // over the days the office does not work.
    Date day = local.date;
    Minutes end = local.timeOfDay + Minutes{hours * 60};
    constexpr Minutes kDay{24 * 60};
    while (end >= kDay) {
        end -= kDay;
        day = calendar.nextWorkingDay(day);
    }
    const auto office = calendar.hoursOn(day);
    if (office && end >= office->opens && end <= office->closes) return _zone.toInstant(day, end);
    // Outside that day's office hours: the closing time of the last working
    // day at or before the end.
    if (!office || end < office->opens) day = calendar.previousWorkingDay(day);
    const auto last = calendar.hoursOn(day);
    return std::max(start, _zone.toInstant(day, last ? last->closes : Minutes{17 * 60}));
}

Instant DeadlineCalculator::dueFirstThing(Instant at) const {
    const auto& calendar = _charter.calendar;
    const auto local = _zone.toLocal(at);
    Date day = local.date;
    auto hours = calendar.hoursOn(day);
    // Before opening on a working day: the messages are taken that morning.
    if (!calendar.isWorkingDay(day) || !hours || local.timeOfDay >= hours->opens) {
        day = calendar.nextWorkingDay(day);
        hours = calendar.hoursOn(day);
    }
    const OfficeHours office = hours.value_or(OfficeHours{});
    return _zone.toInstant(day, std::min(office.opens + Minutes{_charter.firstThingMinutes}, office.closes));
}

Instant DeadlineCalculator::laterByWorkingDays(Instant due, int days) const {
    if (days == 0) return due;
    const auto local = _zone.toLocal(due);
    const Date day = _charter.calendar.addWorkingDays(local.date, days);
    const OfficeHours office = _charter.calendar.hoursOn(day).value_or(OfficeHours{});
    return _zone.toInstant(day, std::clamp(local.timeOfDay, office.opens, office.closes));
}

int DeadlineCalculator::pausedWorkingDays(Instant since, Instant until) const {
    if (until <= since) return 0;
    return _charter.calendar.workingDaysBetween(_zone.toLocal(since).date, _zone.toLocal(until).date);
}

std::optional<Instant> DeadlineCalculator::responseCap(DeadlineRequest request) const {
    if (!isComplaint(request.kind)) return std::nullopt;
    const CharterRule* rule = _charter.ruleFor(request.channel, request.kind);
    if (!rule || !rule->promisesResponse()) return std::nullopt;
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
    else if (rule.acknowledgeWithinHours) out.acknowledgeBy = dueWithinHours(request.received, *rule.acknowledgeWithinHours);
    else if (rule.acknowledgeFirstThing) out.acknowledgeBy = dueFirstThing(request.received);

    if (request.extensionDays > 0) {
        const int max = rule.maxExtension.value_or(0);
        if (!rule.promisesResponse() || request.extensionDays > max)
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
    } else if (rule.respondWithinHours || rule.respondFirstThing) {
        // CharterFile refuses a holding reply on these clocks: there is no
        // working day before an hour-clock date to send one on.
        Instant from = request.received;
        if (rule.respondFrom == RespondFrom::Acknowledgement && request.acknowledged) from = *request.acknowledged;
        out.responseCountedFrom = dayZero(from);
        const Instant due = rule.respondWithinHours ? dueWithinHours(from, *rule.respondWithinHours) : dueFirstThing(from);
        out.respondBy = laterByWorkingDays(due, request.extensionDays + request.pausedDays);
    }
    return out;
}

}  // namespace duly::engine
