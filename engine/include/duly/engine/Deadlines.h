// Deadlines: the exact reading of "within N working days" (issue 2, section
// 4). All times are Europe/London local (the charter calendar's zone):
//  - an item received on a working day before that day's closing time is
//    counted from that day (day 0); anything else from the next working day;
//  - "within N working days" is due at the closing time of the N-th working
//    day after day 0;
//  - complaint responses count from the acknowledgement: from day 0 when it
//    went at receipt, otherwise from the day 0 of the time it was sent;
//  - an agreed extension moves the response date by its working days, never
//    beyond the rule's maximum;
//  - where the rule lets the clock pause while the case waits on the
//    customer, each working day after the day it paused, up to and including
//    the day it resumed, is not counted: the response date moves on by them.
//
// Clocks in hours (issue 13), on the office clock (local time, so a change
// to or from summer time does not move the due time):
//  - "within N hours" starts at receipt when the office is open then,
//    otherwise at the next opening time. The N hours run on working days
//    only: whole non-working days (weekends, bank holidays, closures) are
//    skipped, so Friday 15:00 + 24 h is Monday 15:00. When the end falls
//    after that day's closing time, or before its opening time, it is due
//    at the closing time of the last working day at or before it: never
//    later than the office can act, never earlier than the start.
//  - "first thing next working day" is due `first_thing_minutes` (60 by
//    default) after the first opening time after receipt: received Monday
//    18:00 or Tuesday 08:00, due Tuesday 10:00; Saturday, due Monday 10:00;
//    Tuesday 09:30 (the office open), due Wednesday 10:00. Never after that
//    day's closing time.
//  - Both count from the acknowledgement where the rule says
//    respond_from = "acknowledgement" and one was sent.
//  - An extension or paused days move an hour-clock date on by that many
//    working days, at the same time of day (kept within that day's office
//    hours, which may be shorter).
#pragma once

#include "duly/engine/Charter.h"
#include "duly/engine/Time.h"
#include "duly/engine/ZoneRules.h"

#include <optional>

namespace duly::engine {

struct DeadlineRequest {
    Channel channel;
    Kind kind;
    Instant received;
    std::optional<Instant> acknowledged;  // empty: taken to have gone at receipt
    int extensionDays = 0;
    int pausedDays = 0;  // working days the response clock stood still
};

struct Deadlines {
    const CharterRule* rule = nullptr;  // nullptr: the charter makes no promise
    Date countedFrom;                   // day 0
    std::optional<Instant> acknowledgeBy;
    std::optional<Date> responseCountedFrom;  // day 0 of the response clock
    std::optional<Instant> respondBy;         // including any extension
    std::optional<Instant> holdingReplyBy;    // when a holding reply must go
};

class DeadlineCalculator {
public:
    explicit DeadlineCalculator(const Charter& charter, const ZoneRules& zone = ZoneRules::london());

    // Throws InputError when the extension is negative or beyond the rule's
    // maximum, or the acknowledgement is earlier than receipt.
    Deadlines compute(const DeadlineRequest& request) const;

    // The latest response date the rule allows a complaint: the response
    // date with the rule's whole max_extension (the scheme's cap), whatever
    // `request.extensionDays` says. Empty for a kind that is not a complaint
    // or a rule with no response promise. No letter on a complaint may
    // promise a date after it.
    std::optional<Instant> responseCap(DeadlineRequest request) const;

    // Day 0 for an item received at `at`.
    Date dayZero(Instant at) const;

    // Closing time of the `n`-th working day after `day0`.
    Instant dueAfter(Date day0, int n) const;

    // When a clock in hours starts for an item received at `at`: `at` when
    // the office is open then, else the next opening time.
    Instant hoursClockStart(Instant at) const;

    // The due time of "within `hours` hours" for an item received at `at`.
    Instant dueWithinHours(Instant at, int hours) const;

    // The due time of "first thing next working day" for an item received at
    // `at`.
    Instant dueFirstThing(Instant at) const;

    // `due` (a time in office hours) moved on by `days` working days, at the
    // same time of day kept within that day's office hours.
    Instant laterByWorkingDays(Instant due, int days) const;

    // Working days a clock paused at `since` and resumed at `until` stood
    // still: the working days after since's local date up to and including
    // until's (0 when both fall on the same day).
    int pausedWorkingDays(Instant since, Instant until) const;

    const Charter& charter() const { return _charter; }
    const ZoneRules& zone() const { return _zone; }

private:
    const Charter& _charter;
    const ZoneRules& _zone;
};

}  // namespace duly::engine
