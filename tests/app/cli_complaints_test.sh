#!/usr/bin/env bash
# Complaints to the letter of the codes (issue 14), through duly case and
# duly tick with an injected clock:
#  - an enquiry reclassified as a stage 1 complaint three days after it
#    arrived gets a stage 1 acknowledgement and a reply date 10 working days
#    from that acknowledgement; reclassified before its acknowledgement went,
#    it gets the complaint's acknowledgement only;
#  - a holding date past the scheme's cap is refused (exit 2, naming the cap);
#  - a complaint's holding reply with no reason sends nothing to the customer
#    and warns the officer and their manager, once;
#  - with a reason it goes as an extension notice with the Ombudsman's
#    details and a date never past the cap.
# Dates are worked out by hand from the England and Wales calendar (no bank
# holiday between 2 November and 11 December 2026).
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
du() { "$duly" --home "$home" "$@"; }
outbox="$home/var/outbox"
text_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(next(p for p in m.walk() if p.get_content_type()=="text/plain").get_payload(decode=True).decode())' "$1"; }
header_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m[sys.argv[2]])' "$1" "$2"; }
json_field() { du case show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"; }
count() { ls "$outbox" 2>/dev/null | grep -c -- "$1" || true; }

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null

# --- Reclassify -----------------------------------------------------------
# Paragon: an email enquiry is acknowledged the same or next working day.
# Received Monday 23 November 2026 09:00; acknowledged by tick at 09:05.
ref=$(du case open --charter paragon --channel email --kind enquiry --customer C10004 --officer dparker \
        --subject "Gate still broken" --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z)
expect_out "opened" "PHA-2026-00001" -- echo "$ref"
du tick --now 2026-11-23T09:05:00Z >/dev/null
expect_out "enquiry acknowledged" "1" -- count "^PHA-2026-00001.acknowledgement@"
expect_contains "enquiry acknowledgement is not a complaint's" "Thank you" -- text_of "$outbox/PHA-2026-00001.acknowledgement@duly.progress.example.org.eml"

expect_fail "unknown kind refused" 2 'duly: --kind: unknown kind "complaint" (accepted: enquiry, complaint-stage-1, complaint-stage-2, info-request, visit-request, appointment-request, comment, compliment, call-back)' \
  -- du case reclassify PHA-2026-00001 --kind complaint --now 2026-11-26T10:00:00Z
expect_fail "stage 2 is by escalation" 2 'duly: a case goes to stage 2 by escalation (duly case escalate PHA-2026-00001 --officer ID), which chooses the stage 2 officer' \
  -- du case reclassify PHA-2026-00001 --kind complaint-stage-2 --now 2026-11-26T10:00:00Z
expect_fail "same kind refused" 2 'duly: case PHA-2026-00001 is already a enquiry' \
  -- du case reclassify PHA-2026-00001 --kind enquiry --now 2026-11-26T10:00:00Z

# Thursday 26 November 10:00, three days after it arrived: a complaint.
du case reclassify PHA-2026-00001 --kind complaint-stage-1 --reason "the customer says it is a complaint" \
   --as dparker --at 2026-11-26T10:00:00Z --now 2026-11-26T10:00:00Z >/dev/null
expect_contains "history says who changed what and why" "reclassified  dparker  enquiry → complaint-stage-1: the customer says it is a complaint" -- du case show PHA-2026-00001
du tick --now 2026-11-26T10:05:00Z >/dev/null
ack="$outbox/PHA-2026-00001.acknowledgement-complaint-stage-1@duly.progress.example.org.eml"
expect_contains "stage 1 acknowledgement follows" "We have received your complaint" -- text_of "$ack"
# 10 working days from Thursday 26 November: 27, 30 November, 1, 2, 3, 4,
# 7, 8, 9, 10 December.
expect_contains "it promises 10 working days from the acknowledgement" "We will send you a full reply by 10 December 2026" -- text_of "$ack"
expect_out "the case's reply date is that date" "2026-12-10T17:00:00+00:00" -- json_field PHA-2026-00001 respond_by
expect_out "kind is now complaint-stage-1" "complaint-stage-1" -- json_field PHA-2026-00001 kind
expect_out "acknowledged at the complaint's acknowledgement" "2026-11-26T10:05:00+00:00" -- json_field PHA-2026-00001 acknowledged_at

# Reclassified before its enquiry acknowledgement went: only the complaint's goes.
du case open --charter paragon --channel email --kind enquiry --customer C10004 --officer dparker \
   --subject "Noise" --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z >/dev/null
du case reclassify PHA-2026-00002 --kind complaint-stage-1 --at 2026-11-23T09:02:00Z --now 2026-11-23T09:02:00Z >/dev/null
du tick --now 2026-11-23T09:10:00Z >/dev/null
expect_out "no enquiry acknowledgement" "0" -- count "^PHA-2026-00002.acknowledgement@"
expect_out "the complaint's acknowledgement instead" "1" -- count "^PHA-2026-00002.acknowledgement-complaint-stage-1@"
# 10 working days from Monday 23 November: Monday 7 December.
expect_out "reply date from receipt-day acknowledgement" "2026-12-07T17:00:00+00:00" -- json_field PHA-2026-00002 respond_by

# --- Holding replies on a complaint are extensions within the cap --------
# Progress, stage 1 complaint received and acknowledged Monday 2 November
# 10:00: reply by Monday 16 November; the Code's cap of 10 more working
# days ends on Monday 30 November.
du case open --charter progress --channel email --kind complaint-stage-1 --customer C10004 --officer dparker \
   --subject "Damp" --received 2026-11-02T10:00:00Z --now 2026-11-02T10:00:00Z >/dev/null
du case ack PHG-2026-00001 --at 2026-11-02T10:00:00Z --now 2026-11-02T10:00:00Z >/dev/null
expect_out "reply due 16 November" "2026-11-16T17:00:00+00:00" -- json_field PHG-2026-00001 respond_by
expect_fail "holding date past the cap" 2 'duly: the new date 2027-06-30 is past the cap: charter progress (Housing Ombudsman Complaint Handling Code) allows a complaint-stage-1 at most 10 working days more than its response date, so the latest date is 2026-11-30' \
  -- du case holding PHG-2026-00001 --reason "we are waiting for a surveyor" --new-date 2027-06-30T16:00:00Z --now 2026-11-03T10:00:00Z
expect_fail "one day past the cap" 2 'duly: the new date 2026-12-01 is past the cap: charter progress (Housing Ombudsman Complaint Handling Code) allows a complaint-stage-1 at most 10 working days more than its response date, so the latest date is 2026-11-30' \
  -- du case holding PHG-2026-00001 --reason "we are waiting for a surveyor" --new-date 2026-12-01T17:00:00Z --now 2026-11-03T10:00:00Z

# An agreed extension of 5 working days: reply by Monday 23 November; its
# notice names the Ombudsman.
du case extend PHG-2026-00001 --days 5 --reason "we need to visit your home to look at the damp" --at 2026-11-03T10:00:00Z --now 2026-11-03T10:00:00Z >/dev/null
du tick --now 2026-11-03T10:05:00Z >/dev/null
ext="$outbox/PHG-2026-00001.extension-1@duly.progress.example.org.eml"
expect_contains "extension gives the new date" "We will now reply by 23 November 2026" -- text_of "$ext"
expect_contains "extension names the ombudsman" "you can contact the Housing Ombudsman. Phone 0300 111 3000 or visit www.housing-ombudsman.org.uk" -- text_of "$ext"

# Thursday 19 November, the holding reply's day (2 working days before 23
# November), and no reason given: nothing to the customer; the officer and
# their manager are told, once.
du tick --now 2026-11-19T09:30:00Z >/dev/null
expect_out "no holding reply without a reason" "0" -- count "^PHG-2026-00001.holding-reply@"
expect_out "officer and manager warned" "2" -- count "^PHG-2026-00001.holding-reply-withheld"
expect_contains "warning to the officer" "david.parker@progress.example.org" -- sh -c "for f in '$outbox'/PHG-2026-00001.holding-reply-withheld*; do python3 -c 'import email,sys; print(email.message_from_binary_file(open(sys.argv[1],\"rb\"))[\"To\"])' \"\$f\"; done"
expect_contains "warning to the manager" "margaret.brown@progress.example.org" -- sh -c "for f in '$outbox'/PHG-2026-00001.holding-reply-withheld*; do python3 -c 'import email,sys; print(email.message_from_binary_file(open(sys.argv[1],\"rb\"))[\"To\"])' \"\$f\"; done"
expect_contains "the case says so" "holding reply not sent: no reason given; told David Parker, Margaret Brown" -- du case show PHG-2026-00001
du tick --now 2026-11-19T10:00:00Z >/dev/null
expect_out "warned once" "2" -- count "^PHG-2026-00001.holding-reply-withheld"

# The officer gives a reason but no date: the charter's default (10 more
# working days, 7 December) is past the cap, so the holding reply gives
# Monday 30 November, 5 working days after 23 November, as an extension
# notice with the Ombudsman's details.
du case holding PHG-2026-00001 --reason "we are waiting for a surveyor's report" --now 2026-11-19T11:00:00Z >/dev/null
du tick --now 2026-11-19T11:05:00Z >/dev/null
holding="$outbox/PHG-2026-00001.holding-reply@duly.progress.example.org.eml"
expect_contains "holding reply at the cap" "We will now reply by 30 November 2026. This is 5 more working days." -- text_of "$holding"
expect_contains "holding reply gives the reason" "we are waiting for a surveyor's report" -- text_of "$holding"
expect_contains "holding reply names the ombudsman" "Phone 0300 111 3000 or visit www.housing-ombudsman.org.uk" -- text_of "$holding"
expect_out "the case's date is the cap" "2026-11-30T17:00:00+00:00" -- json_field PHG-2026-00001 respond_by
du tick --now 2026-11-19T11:10:00Z >/dev/null
expect_out "no second notice for the same extension" "0" -- count "^PHG-2026-00001.extension-2@"
expect_fail "no day left to extend" 2 'duly: an extension of 11 working days is more than charter progress allows for complaint-stage-1 (at most 10)' \
  -- du case extend PHG-2026-00001 --days 1 --reason "more" --now 2026-11-19T12:00:00Z
# No letter on the case promises a date past the cap.
expect_out "no letter past the cap" "" -- sh -c "for f in '$outbox'/PHG-2026-00001.*; do python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],\"rb\")); p=next((p for p in m.walk() if p.get_content_type()==\"text/plain\"),None); t=p.get_payload(decode=True).decode() if p else \"\"; print(sys.argv[1]) if \"December 2026\" in t and \"reply by\" in t else None' \"\$f\"; done"

# --- Stage 2 by a manager; stage 1's dates kept ---------------------------
expect_fail "stage 2 not by an officer" 2 "duly: stage 2 must be handled by a manager (charter progress, [complaints] stage2_role); sali's role is officer" \
  -- du case escalate PHG-2026-00001 --officer sali --at 2026-11-23T10:00:00Z --now 2026-11-23T10:00:00Z
expect_fail "stage 2 not by the stage 1 officer" 2 "duly: stage 2 must be handled by someone other than the stage 1 officer (dparker)" \
  -- du case escalate PHG-2026-00001 --officer dparker --at 2026-11-23T10:00:00Z --now 2026-11-23T10:00:00Z
du case escalate PHG-2026-00001 --officer mbrown --at 2026-11-23T10:00:00Z --now 2026-11-23T10:00:00Z >/dev/null
expect_out "now stage 2" "complaint-stage-2" -- json_field PHG-2026-00001 kind
# Stage 2 counts 20 working days from Monday 23 November: Monday 21 December.
expect_out "stage 2 reply date" "2026-12-21T17:00:00+00:00" -- json_field PHG-2026-00001 respond_by
expect_out "stage 1 received kept" "2026-11-02T10:00:00+00:00" -- json_field PHG-2026-00001 stage1_received
expect_out "stage 1 acknowledgement kept" "2026-11-02T10:00:00+00:00" -- json_field PHG-2026-00001 stage1_acknowledged_at
expect_out "stage 1 reply date kept" "2026-11-30T17:00:00+00:00" -- json_field PHG-2026-00001 stage1_respond_by
expect_out "stage 1 extension kept" "10" -- json_field PHG-2026-00001 stage1_extension_days
expect_fail "reassigning stage 2 to an officer" 2 "duly: stage 2 must be handled by a manager (charter progress, [complaints] stage2_role); jwong's role is officer" \
  -- du case assign PHG-2026-00001 --officer jwong --now 2026-11-23T11:00:00Z

# --- Refusal to escalate ---------------------------------------------------
du case open --charter progress --channel email --kind complaint-stage-1 --customer C10004 --officer dparker \
   --subject "Noise" --received 2026-11-02T10:00:00Z --now 2026-11-02T10:00:00Z >/dev/null
expect_fail "refusal needs reasons" 2 "duly: say why stage 2 is refused, in words the customer will understand" \
  -- du case refuse-escalation PHG-2026-00002 --reason " " --now 2026-11-20T10:00:00Z
expect_fail "only a stage 1 complaint" 2 "duly: case PHG-2026-00001 is a complaint-stage-2; only a stage 1 complaint's escalation can be refused" \
  -- du case refuse-escalation PHG-2026-00001 --reason "No." --now 2026-11-24T10:00:00Z
du case refuse-escalation PHG-2026-00002 --reason "You asked for stage 2 more than 12 months after our stage 1 reply." \
   --as mbrown --at 2026-11-20T10:00:00Z --now 2026-11-20T10:00:00Z >/dev/null
du tick --now 2026-11-20T10:01:00Z >/dev/null  # delivers the outbox
refusal="$outbox/PHG-2026-00002.refusal-to-escalate@duly.progress.example.org.eml"
expect_contains "refusal says so" "We will not take your complaint to stage 2" -- text_of "$refusal"
expect_contains "refusal gives the reasons" "more than 12 months after our stage 1 reply" -- text_of "$refusal"
expect_contains "refusal names the ombudsman" "You can ask the Housing Ombudsman to look at your complaint. Phone 0300 111 3000 or visit www.housing-ombudsman.org.uk" -- text_of "$refusal"
expect_out "case closed" "closed" -- json_field PHG-2026-00002 state
# In Scotland the letter names the SPSO.
du case open --charter example-scotland --channel email --kind complaint-stage-1 --customer C10004 --officer dparker \
   --subject "Repairs" --received 2026-11-02T10:00:00Z --now 2026-11-02T10:00:00Z >/dev/null
du case refuse-escalation EXS-2026-00001 --reason "The matter is before a court." --at 2026-11-20T10:00:00Z --now 2026-11-20T10:00:00Z >/dev/null
du tick --now 2026-11-20T10:02:00Z >/dev/null
expect_contains "scottish refusal names the SPSO" "You can ask the Scottish Public Services Ombudsman to look at your complaint. Phone 0800 377 7330 or visit www.spso.org.uk" \
  -- text_of "$outbox/EXS-2026-00001.refusal-to-escalate@duly.progress.example.org.eml"

# --- Representatives, remedies, referrals -----------------------------------
# A stage 1 complaint by email from C10004 (Mr Tom Fairclough); his MP acts
# for him with his signed consent, and gets a copy of every letter.
rep=$(du case open --charter progress --channel email --kind complaint-stage-1 --customer C10004 --officer dparker \
        --subject "Damp" --received 2026-12-01T09:00:00Z --now 2026-12-01T09:00:00Z)
expect_fail "no consent, no representative" 2 "duly: a representative needs the customer's consent: give --consent-at (when it was given) and --consent-how (a signed form, a phone call, an email)" \
  -- du case representative "$rep" --name "Ms Priya Patel MP" --kind mp --email priya.patel@parliament.example.org --now 2026-12-01T09:01:00Z
expect_fail "empty consent refused" 2 "duly: a representative needs the customer's consent: record when it was given and how (a signed form, a phone call, an email)" \
  -- du case representative "$rep" --name "Ms Priya Patel MP" --kind mp --email priya.patel@parliament.example.org \
     --consent-at 2026-11-30 --consent-how " " --now 2026-12-01T09:01:00Z
expect_fail "unknown kind refused" 2 'duly: --kind: unknown kind of representative "friend" (accepted: advocate, relative, mp, solicitor, other)' \
  -- du case representative "$rep" --name "Jo" --kind friend --email jo@example.org --consent-at 2026-11-30 --consent-how "phone call" --now 2026-12-01T09:01:00Z
expect_fail "no address refused" 2 "duly: the representative needs an email address or a postal address for their letters" \
  -- du case representative "$rep" --name "Jo" --kind relative --consent-at 2026-11-30 --consent-how "phone call" --now 2026-12-01T09:01:00Z
du case representative "$rep" --name "Ms Priya Patel MP" --kind mp --salutation "Dear Ms Patel" \
   --email priya.patel@parliament.example.org --consent-at 2026-11-30 --consent-how "signed form" \
   --as dparker --now 2026-12-01T09:02:00Z >/dev/null
expect_contains "history says who added them" "representative  dparker  representative added: Ms Priya Patel MP (mp); consent 2026-11-30 by signed form; letters to the customer with a copy to them" -- du case show "$rep"
du tick --now 2026-12-01T09:05:00Z >/dev/null
du tick --now 2026-12-01T09:06:00Z >/dev/null  # delivers the outbox
mine="$outbox/$rep.acknowledgement@duly.progress.example.org.eml"
copy="$outbox/$rep.acknowledgement-representative@duly.progress.example.org.eml"
expect_out "the customer's acknowledgement went to him" "Mr Tom Fairclough <tom.fairclough@example.org>" -- header_of "$mine" To
expect_out "a copy went to the MP" "Ms Priya Patel MP <priya.patel@parliament.example.org>" -- header_of "$copy" To
expect_contains "the copy greets the MP" "Dear Ms Patel," -- text_of "$copy"
expect_contains "the copy says whom she acts for" "We are sending you this because you act for Mr Tom Fairclough. It is about their case $rep." -- text_of "$copy"
expect_contains "the customer's own letter greets him" "Dear Mr Fairclough," -- text_of "$mine"

# Remedies and the referral, on the case and in its JSON.
expect_fail "an action needs its date" 2 "duly: an action needs the date it is promised by" \
  -- du case remedy "$rep" --kind action --detail "treat the damp" --now 2026-12-02T10:00:00Z
expect_fail "a bad amount is refused" 2 'duly: --amount: expected pounds and pence such as 50 or 125.50, found "12.345"' \
  -- du case remedy "$rep" --kind goodwill --detail "wasted journey" --amount 12.345 --now 2026-12-02T10:00:00Z
du case remedy "$rep" --kind apology --now 2026-12-02T10:00:00Z >/dev/null
du case remedy "$rep" --kind action --detail "treat the damp in the bedroom" --by 2026-12-18 --now 2026-12-02T10:00:00Z >/dev/null
du case remedy "$rep" --kind compensation --detail "three weeks of damp" --amount "£150" --as dparker --now 2026-12-02T10:00:00Z >/dev/null
expect_contains "the action is shown" "remedy            action by 2026-12-18: treat the damp in the bedroom" -- du case show "$rep"
expect_contains "the payment is shown" "remedy            compensation £150.00: three weeks of damp" -- du case show "$rep"
expect_fail "an outcome needs a referral" 2 "duly: case $rep has not been referred to the ombudsman: give the date it was referred first" \
  -- du case referral "$rep" --outcome maladministration --outcome-at 2026-12-03 --now 2026-12-04T10:00:00Z
du case referral "$rep" --referred-at 2026-12-03 --now 2026-12-04T10:00:00Z >/dev/null
du case referral "$rep" --outcome maladministration --outcome-at 2026-12-04 --now 2026-12-04T11:00:00Z >/dev/null
expect_contains "the referral is shown" "ombudsman         referred 2026-12-03; maladministration 2026-12-04" -- du case show "$rep"
expect_out "remedies in the JSON" "apology action compensation 15000" -- sh -c "\"$duly\" --home \"$home\" case show $rep --json | python3 -c 'import json,sys; c=json.load(sys.stdin); print(\" \".join(m[\"kind\"] for m in c[\"remedies\"]), sum(m[\"amount_pence\"] for m in c[\"remedies\"]))'"

# Letters to the representative only, where the consent says so.
du case representative "$rep" --name "Ms Priya Patel MP" --kind mp --salutation "Dear Ms Patel" \
   --email priya.patel@parliament.example.org --consent-at 2026-11-30 --consent-how "signed form, letters to her only" \
   --send-to representative-only --as dparker --now 2026-12-04T12:00:00Z >/dev/null
du case refuse-escalation "$rep" --reason "The matter is before a court." --at 2026-12-04T12:05:00Z --now 2026-12-04T12:05:00Z >/dev/null
du tick --now 2026-12-04T12:06:00Z >/dev/null
expect_out "the refusal went to the MP only" "Ms Priya Patel MP <priya.patel@parliament.example.org>" -- header_of "$outbox/$rep.refusal-to-escalate@duly.progress.example.org.eml" To
expect_out "no copy key when only she is written to" "0" -- count "^$rep.refusal-to-escalate-representative@"
expect_fail "removing twice is refused" 2 "duly: case $rep has no representative to remove" \
  -- sh -c "\"$duly\" --home \"$home\" case representative $rep --remove --now 2026-12-04T13:00:00Z >/dev/null && \"$duly\" --home \"$home\" case representative $rep --remove --now 2026-12-04T13:01:00Z"
expect_contains "history says who removed them" "representative removed: Ms Priya Patel MP (mp)" -- du case show "$rep"

# A relative with a postal address only: her copy is a letter, printed by
# the print run and addressed to her.
rel=$(du case open --charter progress --channel email --kind complaint-stage-1 --customer C10004 --officer dparker \
        --subject "Fence" --received 2026-12-07T09:00:00Z --now 2026-12-07T09:00:00Z)
expect_fail "a one-line address is refused" 2 "duly: the representative's address needs more than one line (with the postcode last)" \
  -- du case representative "$rel" --name "Mrs Ann Fairclough" --kind relative --address "PR25 1AA" \
     --consent-at 2026-12-07T08:00:00Z --consent-how "phone call" --now 2026-12-07T09:01:00Z
du case representative "$rel" --name "Mrs Ann Fairclough" --kind relative --address "3 Station Road, Leyland, PR25 1AA" \
   --consent-at 2026-12-07T08:00:00Z --consent-how "phone call" --now 2026-12-07T09:01:00Z >/dev/null
du tick --now 2026-12-07T09:05:00Z >/dev/null
expect_contains "her copy is printed" "1 letter" -- du print-run --output "$work/print-rel" --now 2026-12-07T16:00:00Z
expect_contains "the manifest names the copy" ",$rel,C10004,acknowledgement-representative," -- cat "$work"/print-rel/print-run-*-manifest.csv
expect_contains "sorted by her postcode" ",PR25 1AA,print-run-" -- cat "$work"/print-rel/print-run-*-manifest.csv
rel_text=$(pdftotext "$work"/print-rel/print-run-*-standard.pdf - | tr -s ' \n' '  ')
expect_contains "the letter is addressed to her" "Mrs Ann Fairclough 3 Station Road Leyland PR25 1AA" -- echo "$rel_text"
expect_contains "and says whom she acts for" "you act for Mr Tom Fairclough" -- echo "$rel_text"

finish
