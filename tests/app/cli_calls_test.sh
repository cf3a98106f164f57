#!/usr/bin/env bash
# The call log, with `duly tick --now` at each step (Paragon: letters and
# emails acknowledged the same or next working day and answered within 5;
# phone messages answered within one working day):
# - a phone message taken by an officer goes on their queue as a call-back
#   with its clock; three calls not answered and the customer is written to;
#   the answered call closes the case;
# - a customer who prefers the phone is phoned to acknowledge, and gets a
#   letter by post only when no call reaches them by the day it is due.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
du() { "$duly" --home "$home" "$@"; }
outbox="$home/var/outbox"
text_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(next(p for p in m.walk() if p.get_content_type()=="text/plain").get_payload(decode=True).decode())' "$1" | tr '\n' ' '; }

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null
cat > "$work/customers.csv" <<'CSV'
reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel
C20001,Mrs Dora Pike,Dear Mrs Pike,dora.pike@example.org,07700 900201,3 Quay Street,,,Exampleton,ZZ1 3CC,en-GB,,phone
CSV
du import customers "$work/customers.csv" >/dev/null

# Refusals name what is wrong.
expect_fail "a phone message needs a number" 2 "duly: a phone message needs a number to call back: give one, or a customer with a phone number" \
  -- du case open --charter paragon --channel phone-message --kind enquiry --customer C10004 --now 2026-11-23T08:15:00Z
expect_fail "a number has digits" 2 'duly: the number to call back, "ring me", has no digits' \
  -- du case open --charter paragon --channel phone-message --kind enquiry --phone "ring me" --now 2026-11-23T08:15:00Z

# Monday 23 November 08:15: an answerphone message from Tom Fairclough (no
# phone of his own on file), urgent, logged by Jenny Wong.
ref=$(du case open --charter paragon --channel phone-message --kind enquiry --customer C10004 --officer jwong \
        --phone "07700 900999" --subject "Boiler pressure low" --urgent --now 2026-11-23T08:15:00Z)
expect_out "reference" "PHA-2026-00001" -- echo "$ref"
expect_contains "on her queue as a call-back" "respond       $ref  phone-message enquiry  — Boiler pressure low  (call back 07700 900999)" \
  -- du due --officer jwong --now 2026-11-23T09:00:00Z
expect_contains "urgent, due the next working day" "URGENT, due next working day Tue 24 Nov 17:00" -- du due --officer jwong --now 2026-11-23T09:00:00Z
expect_fail "a bad outcome is named" 2 'duly: --outcome: expected answered, no-answer or left-message, found "engaged"' \
  -- du case call "$ref" --outcome engaged --now 2026-11-23T09:30:00Z
du case call "$ref" --outcome no-answer --as jwong --now 2026-11-23T09:30:00Z >/dev/null
du case call "$ref" --outcome left-message --note "asked him to ring back" --as jwong --now 2026-11-23T12:30:00Z >/dev/null
# What a tick would send to the customer (officers' warnings and digests aside).
to_customer() { du tick --dry-run --now "$1" | grep -E "acknowledgement|missed-calls|holding-reply" || echo "nothing to the customer"; }
expect_out "nothing is written after two calls" "nothing to the customer" -- to_customer 2026-11-23T12:35:00Z
du case call "$ref" --outcome no-answer --as jwong --now 2026-11-23T15:30:00Z >/dev/null
du tick --now 2026-11-23T15:35:00Z >/dev/null
missed="$outbox/$ref.missed-calls@duly.progress.example.org.eml"
[ -f "$missed" ] && pass || fail "no missed-calls email in $outbox: $(ls "$outbox")"
expect_contains "the letter names the number and the calls" "We phoned you back on 07700 900999 about the message you left us. We tried 3 times, the last on 23 November 2026, and could not reach you." \
  -- text_of "$missed"
expect_contains "and how to reach us" "Please phone us when it suits you" -- text_of "$missed"
expect_contains "the history says so" "missed-calls letter queued by email to tom.fairclough@example.org after 3 calls not answered" -- du case show "$ref"
digest="$outbox/digest.jwong.2026-11-23@duly.progress.example.org.eml"
expect_contains "the morning digest says whom to call" "$ref: URGENT: Boiler pressure low (Mr Tom Fairclough). Call back 07700 900999 by 24 November 2026." -- text_of "$digest"
expect_out "the letter goes once" "nothing to the customer" -- to_customer 2026-11-23T16:00:00Z
# Tuesday 10:00 he rings and is caught: the call answers and closes the case.
expect_out "the answered call closes the case" "$ref: call recorded" \
  -- du case call "$ref" --outcome answered --note "pressure reset over the phone" --as jwong --now 2026-11-24T10:00:00Z
expect_contains "closed" "state             closed" -- du case show "$ref"
expect_contains "answered by phone in time" "replied           2026-11-24T10:00:00+00:00" -- du case show "$ref"
expect_contains "the calls are listed" "call 4            2026-11-24T10:00:00+00:00  07700 900999  answered  jwong  pressure reset over the phone" -- du case show "$ref"
expect_contains "calls in JSON" '"outcome":"left-message","purpose":"respond","note":"asked him to ring back"' -- du case show "$ref" --json
expect_fail "no call on a closed case" 2 "duly: case $ref is closed" \
  -- du case call "$ref" --outcome answered --now 2026-11-24T11:00:00Z

# Monday 23 November 10:00: Mrs Pike, who prefers the phone, emails. Due
# back the same or next working day: Tuesday 24 November 17:00.
ref2=$(du case open --charter paragon --channel email --kind enquiry --customer C20001 --officer jwong \
         --subject "Fence panel down" --now 2026-11-23T10:00:00Z)
expect_contains "a call task, not an email" "acknowledge   $ref2  email enquiry  — Fence panel down  (phone 07700 900201 to acknowledge)" \
  -- du due --officer jwong --now 2026-11-23T10:05:00Z
expect_out "no acknowledgement written on Monday" "nothing to the customer" -- to_customer 2026-11-23T16:00:00Z
du case call "$ref2" --outcome no-answer --as jwong --now 2026-11-23T16:10:00Z >/dev/null
# Tuesday 09:00, the day it is due, no call has reached her: a letter by post.
du tick --now 2026-11-24T09:00:00Z >/dev/null
expect_contains "the written fallback goes by post" "acknowledgement queued by post to Mrs Dora Pike" -- du case show "$ref2"
grep -l "^To: .*dora.pike@example.org" "$outbox"/*.eml >/dev/null 2>&1 && fail "an email went to a customer who prefers the phone: $(grep -l "dora.pike@example.org" "$outbox"/*.eml)" || pass

# A third customer case: answered on the first call, the reply date is
# given on the phone and kept, and no letter follows.
ref3=$(du case open --charter paragon --channel email --kind enquiry --customer C20001 --officer jwong \
         --subject "Gutter leaking" --now 2026-11-23T10:30:00Z)
expect_out "answered: acknowledged, the reply date to give" "$ref3: call recorded; respond by Mon 30 Nov 17:00" \
  -- du case call "$ref3" --outcome answered --as jwong --now 2026-11-23T11:00:00Z
expect_contains "the date given is kept" "reply date given: 2026-11-30" -- du case show "$ref3"
expect_out "no letter follows" "nothing to the customer" -- to_customer 2026-11-24T09:00:00Z

# South Western: "called back ... within 24 hours" (working days only).
# A call-back request on Friday 4 December 15:00 is due Monday 7 December
# 15:00, and is on the queue as a call to make.
ref4=$(du case open --charter south-western --channel phone-message --kind call-back --customer C10001 --officer jwong \
         --subject "Wants to discuss the rent statement" --now 2026-12-04T15:00:00Z)
expect_contains "a call-back in hours" "Mon 7 Dec 15:00  respond       $ref4  phone-message call-back  — Wants to discuss the rent statement  (call back 07700 900101)" \
  -- du due --officer jwong --now 2026-12-04T15:05:00Z
expect_fail "a call-back request needs a number" 2 "duly: a call-back request needs a number to call back: give one, or a customer with a phone number" \
  -- du case open --charter south-western --channel email --kind call-back --customer C10004 --now 2026-12-04T15:00:00Z
expect_out "answered in time" "$ref4: call recorded" \
  -- du case call "$ref4" --outcome answered --as jwong --now 2026-12-07T11:00:00Z
finish
