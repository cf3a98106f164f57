#!/usr/bin/env bash
# duly tick with an injected clock: the holding reply goes out on its working
# day with the new date, once however often tick runs; the officer is warned
# the working day before the response is due and gets a morning digest; the
# manager hears only after the (new) date has passed; nothing on Christmas Day.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
du() { "$duly" --home "$home" "$@"; }
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
outbox="$home/var/outbox"
# The text part of an .eml, decoded (quoted-printable or base64).
text_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(next(p for p in m.walk() if p.get_content_type()=="text/plain").get_payload(decode=True).decode())' "$1"; }
header_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m[sys.argv[2]])' "$1" "$2"; }

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null
printf 'From: Tom Fairclough <tom.fairclough@example.org>\r\nSubject: Back door still broken\r\nMessage-ID: <t1@example.org>\r\n\r\nThe back door still sticks.\r\n' > "$inbox/new/1.eml"
# Monday 23 November 10:05: respond by Monday 30 November 17:00, holding reply Friday 27 November.
expect_out "mail taken in" "took in 1 message; delivered 1" -- du watch --once --now 2026-11-23T10:05:00Z
du case assign PHG-2026-00001 --officer sali --now 2026-11-23T10:10:00Z >/dev/null

# Thursday 26 November 09:00: only the officer's digest (the holding reply is due tomorrow).
expect_out "thursday" "queued 1; delivered 1" -- du tick --now 2026-11-26T09:00:00Z
expect_out "thursday dry run is empty" "0 to send" -- du tick --dry-run --now 2026-11-26T09:30:00Z
digest="$outbox/digest.sali.2026-11-26@duly.progress.example.org.eml"
expect_contains "digest subject" "Your cases for 26 November 2026" -- header_of "$digest" Subject
expect_contains "digest to the officer" "samir.ali@progress.example.org" -- header_of "$digest" To
expect_contains "digest lists the holding reply due soon" "PHG-2026-00001: Back door still broken (Mr Tom Fairclough). Send a holding reply by" -- text_of "$digest"

# The officer says why it is taking longer and gives a new date.
expect_fail "new date not after the promise" 2 "duly: the new date 2026-11-30T12:00:00+00:00 must be after the date already promised (2026-11-30T17:00:00+00:00) and after now" -- du case holding PHG-2026-00001 --reason "Waiting for the surveyor." --new-date 2026-11-30T12:00:00Z --now 2026-11-26T10:00:00Z
du case holding PHG-2026-00001 --reason "We are waiting for the surveyor's report." --new-date 2026-12-11T17:00:00Z --now 2026-11-26T10:00:00Z >/dev/null
expect_contains "reason set" "the holding reply will say: We are waiting for the surveyor's report.; new date 2026-12-11" -- du case show PHG-2026-00001

# Friday 27 November 09:00: holding reply to the customer, warning to the officer, digest.
expect_out "friday" "queued 3; delivered 3" -- du tick --now 2026-11-27T09:00:00Z
holding="$outbox/PHG-2026-00001.holding-reply@duly.progress.example.org.eml"
expect_contains "holding reply to the customer" "tom.fairclough@example.org" -- header_of "$holding" To
expect_contains "holding reply threads on the reference" "[PHG-2026-00001]" -- header_of "$holding" Subject
expect_contains "holding reply gives the new date" "11 December 2026" -- text_of "$holding"
expect_contains "holding reply gives the reason" "We are waiting for the surveyor's report." -- text_of "$holding"
expect_contains "holding reply names the officer" "Samir Ali" -- text_of "$holding"
expect_contains "holding reply on the case" "holding reply by email to tom.fairclough@example.org; new date 2026-12-11; reason: We are waiting for the surveyor's report." -- du case show PHG-2026-00001
warning="$outbox/PHG-2026-00001.warning-respond-2026-11-30@duly.progress.example.org.eml"
expect_contains "warning to the officer" "samir.ali@progress.example.org" -- header_of "$warning" To
expect_contains "warning says by when" "Please answer PHG-2026-00001 (Back door still broken) by 30 November 2026." -- text_of "$warning"
expect_out "friday again: nothing twice" "queued 0; delivered 0" -- du tick --now 2026-11-27T09:00:00Z
expect_out "friday afternoon: nothing twice" "queued 0; delivered 0" -- du tick --now 2026-11-27T15:00:00Z

# Tuesday 1 December: past the charter date, but the customer was given 11 December: no escalation yet.
expect_out "tuesday: digest only" "queued 1; delivered 1" -- du tick --now 2026-12-01T09:00:00Z
# Friday 11 December, the new date: the officer is warned again (from the day before) and has a digest.
expect_out "thursday 10th: warning for the new date and digest" "queued 2; delivered 2" -- du tick --now 2026-12-10T09:00:00Z
expect_contains "warning for the new date" "Please answer PHG-2026-00001 (Back door still broken) by 11 December 2026." -- text_of "$outbox/PHG-2026-00001.warning-respond-2026-12-11@duly.progress.example.org.eml"
expect_out "friday 11th: digest only" "queued 1; delivered 1" -- du tick --now 2026-12-11T09:00:00Z
expect_out "no escalation before the new date" "0" -- sh -c "ls '$outbox' | grep escalation | wc -l"

# Monday 14 December: the new date has passed: the manager is told, once.
expect_out "monday after" "queued 2; delivered 2" -- du tick --now 2026-12-14T09:00:00Z
expect_out "monday after again" "queued 0; delivered 0" -- du tick --now 2026-12-14T09:10:00Z
escalation="$outbox/PHG-2026-00001.escalation-respond-2026-12-11@duly.progress.example.org.eml"
expect_contains "escalation to the manager" "rachel.hughes@progress.example.org" -- header_of "$escalation" To
expect_contains "escalation says what and whose" "We did not answer PHG-2026-00001 (Back door still broken) by 11 December 2026. It is with Samir Ali." -- text_of "$escalation"
expect_contains "escalation on the case" "the response was due 2026-12-11 and is overdue; told Rachel Hughes" -- du case show PHG-2026-00001

# Christmas Day and the Boxing Day substitute: no digests.
expect_out "christmas day" "queued 0; delivered 0" -- du tick --now 2026-12-25T09:00:00Z
expect_out "boxing day substitute" "queued 0; delivered 0" -- du tick --now 2026-12-28T09:00:00Z
expect_out "back at work" "queued 1; delivered 1" -- du tick --now 2026-12-29T09:00:00Z

# The answer ends it all: no digest item, no more mail about the case.
du case reply PHG-2026-00001 --at 2026-12-29T10:00:00Z --now 2026-12-29T10:00:00Z >/dev/null
expect_out "answered: nothing more" "queued 0; delivered 0" -- du tick --now 2026-12-30T09:00:00Z

finish
