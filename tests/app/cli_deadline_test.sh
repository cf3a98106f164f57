#!/usr/bin/env bash
# duly deadline: the JSON contract of the README, the worked examples, and
# the one-line messages for bad values.
set -u
duly="$1"; home="$2"
. "$(dirname "$0")/testlib.sh"
d() { "$duly" --home "$home" deadline "$@"; }

expect_out "worked example 1 (json)" \
'{"charter":"progress","channel":"letter","kind":"enquiry","received":"2026-12-24T16:50:00+00:00","acknowledged":null,"counted_from":"2026-12-24","acknowledge_by":null,"response_counted_from":"2026-12-24","respond_by":"2027-01-05T17:00:00+00:00","holding_reply_by":"2027-01-04T17:00:00+00:00","extension_days":0,"rule":"config/charters/progress.toml:32","source":"Contact Charter, promise 4: reply to letters within 5 working days and give a time scale if we are going to take longer"}' \
  -- d --charter progress --channel letter --kind enquiry --received 2026-12-24T16:50:00Z --json

respond_by() { d "$@" --json | sed -n 's/.*"respond_by":\("[^"]*"\|null\).*/\1/p'; }
ack_by() { d "$@" --json | sed -n 's/.*"acknowledge_by":\("[^"]*"\|null\).*/\1/p'; }
expect_out "worked example 1 at closing" '"2027-01-06T17:00:00+00:00"' -- respond_by --charter progress --channel letter --kind enquiry --received 2026-12-24T17:00:00Z
expect_out "worked example 2" '"2026-10-30T16:45:00+00:00"' -- respond_by --charter progress --channel letter --kind enquiry --received 2026-10-23T15:44:00Z
expect_out "worked example 2 after close" '"2026-11-02T17:00:00+00:00"' -- respond_by --charter progress --channel letter --kind enquiry --received 2026-10-23T15:50:00Z
expect_out "worked example 3" '"2026-03-31T17:00:00+01:00"' -- ack_by --charter paragon --channel email --kind enquiry --received 2026-03-27T17:00:00Z
expect_out "worked example 4" '"2022-09-21T17:00:00+01:00"' -- respond_by --charter progress --channel phone-message --kind enquiry --received 2022-09-16T12:00:00Z
expect_out "acknowledged later" '"2026-11-19T17:00:00+00:00"' -- respond_by --charter progress --channel email --kind complaint-stage-1 --received 2026-11-02T10:00:00Z --acknowledged 2026-11-04T18:00:00Z
expect_out "charter by path" '"2027-01-05T17:00:00+00:00"' -- respond_by --charter "$home/config/charters/progress.toml" --channel letter --kind enquiry --received 2026-12-24T16:50:00Z
expect_out "no promise is null" 'null' -- respond_by --charter paragon --channel web --kind comment --received 2026-11-02T10:00:00Z

# Scotland (issue 14): St Andrew's Day, Monday 30 November 2026, is skipped,
# so the 5 working days from Friday 27 November end on Monday 7 December.
expect_out "scotland stage 1 (json)" \
'{"charter":"example-scotland","channel":"email","kind":"complaint-stage-1","received":"2026-11-27T10:00:00+00:00","acknowledged":null,"counted_from":"2026-11-27","acknowledge_by":null,"response_counted_from":"2026-11-27","respond_by":"2026-12-07T17:00:00+00:00","holding_reply_by":"2026-12-04T17:00:00+00:00","extension_days":0,"rule":"config/schemes/spso.toml:16","source":"SPSO model CHP, Part 3, stage 1 frontline response: within 5 working days; an extension to no more than 10 working days in total"}' \
  -- d --charter example-scotland --kind complaint-stage-1 --channel email --received 2026-11-27T10:00:00Z --json
# Stage 2 in Scotland: acknowledged by the third working day (Friday 27,
# Tuesday 1, Wednesday 2 December).
expect_out "scotland stage 2 acknowledged by day 3" '"2026-12-02T17:00:00+00:00"' -- ack_by --charter example-scotland --channel letter --kind complaint-stage-2 --received 2026-11-26T10:00:00Z
# Wales: the PSOW's stage 1 is 10 working days, England and Wales calendar
# (30 November a working day): Monday 30 November to Friday 11 December.
expect_out "wales stage 1" '"2026-12-11T16:30:00+00:00"' -- respond_by --charter example-wales --channel email --kind complaint-stage-1 --received 2026-11-27T10:00:00Z
# Clocks in hours (issue 13). South Western 4.1: a call-back "within 24
# hours"; received Friday 4 December 2026 at 15:00, the weekend is skipped:
# Monday 7 December at 15:00. No acknowledgement, no holding reply.
expect_out "call-back within 24 hours (json)" \
'{"charter":"south-western","channel":"phone-message","kind":"call-back","received":"2026-12-04T15:00:00+00:00","acknowledged":null,"counted_from":"2026-12-04","acknowledge_by":null,"response_counted_from":"2026-12-04","respond_by":"2026-12-07T15:00:00+00:00","holding_reply_by":null,"extension_days":0,"rule":"config/charters/south-western.toml:56","source":"Customer Care Policy 4.1: the customer called back when the information required has been found (within 24 hours); without a telephone, contacted in writing within five working days"}' \
  -- d --charter south-western --kind call-back --channel phone-message --received 2026-12-04T15:00:00Z --json
expect_contains "call-back text says the hour" "respond by        Monday 7 December 2026 at 15:00  (2026-12-07T15:00:00+00:00)" \
  -- d --charter south-western --kind call-back --channel phone-message --received 2026-12-04T15:00:00Z
# Christmas Eve 15:00: 25 December, the weekend and 28 December (the
# substitute Boxing Day) are skipped.
expect_out "call-back over Christmas" '"2026-12-29T15:00:00+00:00"' -- respond_by --charter south-western --channel email --kind call-back --received 2026-12-24T15:00:00Z
# After closing on Monday: from Tuesday 09:00, due Wednesday 09:00.
expect_out "call-back after closing" '"2026-12-02T09:00:00+00:00"' -- respond_by --charter south-western --channel phone-message --kind call-back --received 2026-11-30T18:00:00Z
# Paragon: "Return Telephone Call — same or next working day".
expect_out "paragon call-back" '"2026-12-07T17:00:00+00:00"' -- respond_by --charter paragon --channel phone-message --kind call-back --received 2026-12-04T15:00:00Z
expect_out "progress makes no call-back promise" 'null' -- respond_by --charter progress --channel phone-message --kind call-back --received 2026-12-04T15:00:00Z
# South Western 4.2: answerphone messages taken first thing in the morning:
# opening (09:00) + 60 minutes on the next working day; before opening on a
# working day, that morning.
expect_out "answerphone Monday evening" '"2026-12-01T10:00:00+00:00"' -- ack_by --charter south-western --channel phone-message --kind enquiry --received 2026-11-30T18:00:00Z
expect_out "answerphone Saturday" '"2026-12-07T10:00:00+00:00"' -- ack_by --charter south-western --channel phone-message --kind enquiry --received 2026-12-05T11:00:00Z
expect_out "answerphone before opening" '"2026-12-01T10:00:00+00:00"' -- ack_by --charter south-western --channel phone-message --kind enquiry --received 2026-12-01T08:00:00Z
expect_out "answerphone responded within one working day" '"2026-12-02T17:00:00+00:00"' -- respond_by --charter south-western --channel phone-message --kind enquiry --received 2026-11-30T18:00:00Z
tmp=$(mktemp -d)
cat >"$tmp/both.toml" <<'TOML'
name = "both"
reference_prefix = "BTH"
[organisation]
name = "Both Homes"
[calendar]
region = "england-and-wales"
[calendar.hours]
monday = "09:00-17:00"
[[rule]]
kinds = ["call-back"]
respond_within = 1
respond_within_hours = 24
TOML
expect_fail "two promises for one clock" 2 "duly: $tmp/both.toml:12: rule[1].respond_within_hours: respond_within and respond_within_hours both promise the respond clock (expected one of respond_within, respond_within_hours or respond)" \
  -- d --charter "$tmp/both.toml" --channel phone-message --kind call-back --received 2026-12-04T15:00:00Z
rm -rf "$tmp"
expect_fail "unknown charter" 2 'duly: unknown charter "prog" (accepted: example-scotland, example-wales, paragon, progress, south-western, or a path to a charter file)' \
  -- d --charter prog --channel letter --kind enquiry --received 2026-12-24T16:50:00Z
expect_fail "unknown channel" 2 'duly: unknown channel "fax" (accepted: letter, email, web, phone-message, text)' \
  -- d --charter progress --channel fax --kind enquiry --received 2026-12-24T16:50:00Z
expect_fail "unknown kind" 2 'duly: unknown kind "question" (accepted: enquiry, complaint-stage-1, complaint-stage-2, info-request, visit-request, appointment-request, comment, compliment, call-back)' \
  -- d --charter progress --channel letter --kind question --received 2026-12-24T16:50:00Z
expect_fail "malformed time" 2 'duly: --received: expected an RFC 3339 time such as 2026-12-24T16:50:00Z or 2026-12-24T16:50:00+00:00, found "24/12/2026 16:50"' \
  -- d --charter progress --channel letter --kind enquiry --received "24/12/2026 16:50"
expect_fail "missing option" 2 'duly: duly deadline needs --kind (see duly deadline --help)' \
  -- d --charter progress --channel letter --received 2026-12-24T16:50:00Z
expect_fail "unknown option" 2 'duly: duly deadline: unknown option --recieved (accepted: --acknowledged, --channel, --charter, --extension, --json, --kind, --received)' \
  -- d --charter progress --channel letter --kind enquiry --received 2026-12-24T16:50:00Z --recieved x
expect_fail "extension too long" 2 'duly: an extension of 11 working days is more than charter progress allows for complaint-stage-1 (at most 10)' \
  -- d --charter progress --channel email --kind complaint-stage-1 --received 2026-11-02T10:00:00Z --extension 11
expect_fail "missing charter file" 2 'duly: charter file ./nowhere.toml does not exist' \
  -- d --charter ./nowhere.toml --channel letter --kind enquiry --received 2026-12-24T16:50:00Z
out=$("$duly" deadlines 2>&1); rc=$?
case "$rc:$out" in "2:duly: unknown command 'deadlines' (commands: "*", deadline, due, "*) pass ;; *) fail "unknown command: $rc $out" ;; esac
expect_contains "help" "Usage: duly deadline" -- d --help

finish
