#!/usr/bin/env bash
# duly import, case and due against a real SQLite store in a temporary
# folder, with the clock fixed by --now.
set -u
duly="$1"; home="$2"
. "$(dirname "$0")/testlib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
db="$work/duly.db"
du() { "$duly" --home "$home" --db "$db" "$@"; }

# Officers and customers from the sample files.
expect_out "import officers" "imported 6 officers from $home/config/sample/officers.csv" -- du import officers "$home/config/sample/officers.csv"
expect_out "import customers" "imported 6 customers from $home/config/sample/customers.csv" -- du import customers "$home/config/sample/customers.csv"
expect_out "re-import updates" "imported 6 customers from $home/config/sample/customers.csv" -- du import customers "$home/config/sample/customers.csv"

# Bad rows: each named by line and column; the good rows still import.
cat > "$work/officers.csv" <<'CSV'
id,name,position,email,phone,team,manager_id,role
kgreen,Kim Green,Customer Services Officer,k.green@example.org,,customer-services,rhughes,officer
bad one,Bad Row,Officer,not-an-email,,customer-services,,chief
lwhite,Lee White,Customer Services Officer,l.white@example.org,,customer-services,nobody,officer
CSV
expect_fail "bad officer rows" 2 "$work/officers.csv:3: column id: expected an officer id (letters, digits, . _ -), found \"bad one\"
$work/officers.csv:3: column email: expected an email address such as j.smith@example.org, found \"not-an-email\"
$work/officers.csv:3: column role: expected officer, manager or administrator, found \"chief\"
$work/officers.csv: officer lwhite: column manager_id: expected the id of an officer in this file or already imported, found \"nobody\"" \
  -- du import officers "$work/officers.csv"
expect_contains "good row imported" "kgreen" -- sh -c "'$duly' --home '$home' --db '$db' due --officer kgreen --json >/dev/null && echo kgreen"

cat > "$work/customers.csv" <<'CSV'
reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel
C20001,Ms Rose Kay,,rose@example.org,,,,,,,en-GB,,email
C20002,Mr Ben Ode,,,,1 High St,,,Leyland,PR25 9ZZZ,en-GB,,post
CSV
expect_fail "bad customer rows" 2 "$work/customers.csv:3: column postcode: expected a UK postcode such as PR25 2LW, found \"PR25 9ZZZ\"" \
  -- du import customers "$work/customers.csv"
# Saved from Excel as "CSV (Comma delimited)": Windows-1252 with CRLF. The
# names arrive with their accents, with a note naming the file; a file with
# a byte that is neither UTF-8 nor Windows-1252 is refused with its line.
# (A store of its own, so the case references below stay as they are.)
dx() { "$duly" --home "$home" --db "$work/excel.db" "$@"; }
dx import officers "$home/config/sample/officers.csv" >/dev/null
printf 'reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel\r\nC20011,Ms Zo\353 Br\373l\351,Dear Ms Br\373l\351,,,3 \313lan Court,,,Leyland,PR25 3AB,en-GB,standard,post\r\n' > "$work/excel.csv"
expect_out "windows-1252 imported with a note" "$work/excel.csv: not UTF-8, so read as Windows-1252 (the first such character is on line 2); if a name looks wrong, save the file as \"CSV UTF-8\" and import it again
imported 1 customers from $work/excel.csv" -- dx import customers "$work/excel.csv"
zoe=$(dx case open --now 2026-11-23T09:00:00Z --charter progress --channel letter --kind enquiry --customer C20011 --officer jwong --subject "Fence")
expect_contains "the accented name reaches the letter" "Dear Ms Brûlé" -- dx render --template acknowledgement --case "$zoe" --now 2026-11-23T12:00:00Z
expect_contains "and the address" "3 Ëlan Court" -- dx render --template acknowledgement --case "$zoe" --now 2026-11-23T12:00:00Z
printf 'reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel\r\nC20012,Ms Zo\353 Kay,,z@example.org,,,,,,,en-GB,,email\r\nC20013,Mr Al\201 Bee,,a@example.org,,,,,,,en-GB,,email\r\n' > "$work/broken.csv"
expect_fail "neither utf-8 nor windows-1252" 2 "$work/broken.csv:3: byte 0x81 is neither UTF-8 nor Windows-1252" \
  -- dx import customers "$work/broken.csv"
expect_fail "missing file" 2 "duly: $work/none.csv: cannot be read" -- du import officers "$work/none.csv"
expect_fail "import what" 2 'duly: cannot import "tenants" (accepted: officers, customers)' -- du import tenants "$work/customers.csv"

# Cases: open with a fixed clock and check deadlines and the history.
now=2026-11-23T10:00:00Z
ref=$(du case open --now $now --charter progress --channel letter --kind enquiry --customer C10003 --officer jwong --subject "Large-print rent statement")
expect_out "first reference" "PHG-2026-00001" -- echo "$ref"
expect_contains "show deadlines" "respond by        2026-11-30T17:00:00+00:00" -- du case show "$ref"
ref2=$(du case open --now 2026-11-23T11:00:00Z --charter progress --channel email --kind complaint-stage-1 --customer C10001 --officer dparker --subject "Damp")
expect_out "second reference" "PHG-2026-00002" -- echo "$ref2"
expect_contains "complaint ack by" '"acknowledge_by":"2026-11-30T17:00:00+00:00"' -- du case show "$ref2" --json
expect_out "ack recorded" "PHG-2026-00002: ack recorded; respond by Mon 14 Dec 17:00" -- du case ack "$ref2" --at 2026-11-30T09:00:00Z --as dparker
expect_out "extend recorded" "PHG-2026-00002: extend recorded; respond by Mon 21 Dec 17:00" -- du case extend "$ref2" --days 5 --reason "Waiting for the surveyor" --as dparker
expect_fail "extension past the maximum" 2 "duly: an extension of 15 working days is more than charter progress allows for complaint-stage-1 (at most 10)" \
  -- du case extend "$ref2" --days 10 --reason "More time"
expect_fail "stage 2 same officer" 2 "duly: stage 2 must be handled by someone other than the stage 1 officer (dparker)" \
  -- du case escalate "$ref2" --officer dparker
expect_contains "history" "extended  dparker  5 working days: Waiting for the surveyor" -- du case show "$ref2"
expect_out "escalate to stage 2" "PHG-2026-00002: escalate recorded; respond by Thu 14 Jan 17:00" -- du case escalate "$ref2" --officer mbrown --at 2026-12-14T10:00:00Z --as mbrown
expect_contains "stage 2 kind and officer" '"kind":"complaint-stage-2","state":"open","customer":"C10001","officer":"mbrown"' -- du case show "$ref2" --json
expect_fail "escalate stage 2 again" 2 "duly: case $ref2 is a complaint-stage-2; only a stage 1 complaint can be escalated to stage 2" -- du case escalate "$ref2" --officer sali

# A stored case renders in its customer's language: C10001 reads Urdu.
expect_contains "render --case in Urdu" "ہمارا حوالہ: ⁨PHG-2026-00002⁩" -- du render --template complaint-stage-1-acknowledgement --case "$ref2" --now 2026-11-23T12:00:00Z
expect_contains "render --case in English when asked" "Our reference: PHG-2026-00002" -- du render --template complaint-stage-1-acknowledgement --case "$ref2" --locale en-GB --now 2026-11-23T12:00:00Z

# The due list, most urgent first, grouped by officer.
expect_out "due for jwong" "Jenny Wong (jwong, Customer Services Officer)
  due later             Fri 27 Nov 16:45  holding-reply PHG-2026-00001  letter enquiry  — Large-print rent statement
  due later             Mon 30 Nov 17:00  respond       PHG-2026-00001  letter enquiry  — Large-print rent statement" \
  -- du due --officer jwong --now 2026-11-24T09:00:00Z
expect_out "overdue for jwong" "Jenny Wong (jwong, Customer Services Officer)
  OVERDUE               Fri 27 Nov 16:45  holding-reply PHG-2026-00001  letter enquiry  — Large-print rent statement
  OVERDUE               Mon 30 Nov 17:00  respond       PHG-2026-00001  letter enquiry  — Large-print rent statement" \
  -- du due --officer jwong --overdue --now 2026-12-01T09:00:00Z
expect_out "reply clears it" "PHG-2026-00001: reply recorded; respond by Mon 30 Nov 17:00" -- du case reply "$ref" --at 2026-11-27T10:00:00Z
expect_out "nothing due" "nothing is due" -- du due --officer jwong --now 2026-12-01T09:00:00Z

# Waiting on the customer: the clock pauses (email enquiries of progress
# allow it), nothing is due, and resuming moves the date on by the working
# days it stood still (25 Nov to 2 Dec: 6).
ref3=$(du case open --now 2026-11-23T10:00:00Z --charter progress --channel email --kind enquiry --customer C10004 --officer sali --subject "Boiler")
expect_out "third reference" "PHG-2026-00003" -- echo "$ref3"
expect_out "wait recorded" "$ref3: wait recorded; respond by Mon 30 Nov 17:00" -- du case wait "$ref3" --for "A photo of the boiler" --at 2026-11-24T11:00:00Z --as sali
expect_contains "waiting since" "waiting since     2026-11-24T11:00:00+00:00 (clock paused)" -- du case show "$ref3"
expect_out "nothing due while waiting" "nothing is due" -- du due --officer sali --now 2026-12-01T09:00:00Z
expect_fail "wait twice" 2 "duly: case $ref3 has been waiting on the customer since 2026-11-24" -- du case wait "$ref3" --for "again"
expect_out "resume recorded" "$ref3: resume recorded; respond by Tue 8 Dec 17:00" -- du case resume "$ref3" --at 2026-12-02T10:00:00Z --as sali
expect_contains "paused days" '"paused_since":null,"paused_days":6' -- du case show "$ref3" --json
expect_contains "resumed in history" "resumed  sali  clock paused for 6 working days; answer now due 2026-12-08" -- du case show "$ref3"
expect_fail "complaints do not pause" 2 "duly: the Progress Housing Group charter does not let the clock pause for complaint-stage-2 by email; ask for more time or send a holding reply instead" -- du case wait "$ref2" --for "a photo" --now 2026-12-15T10:00:00Z
expect_fail "unknown officer" 2 "duly: no officer with id \"nobody\" (officers: admin, dparker, jwong, kgreen, mbrown, rhughes, sali)" -- du due --officer nobody
expect_fail "unknown case" 2 'duly: no case with reference "PHG-2026-09999"' -- du case show PHG-2026-09999
expect_fail "closed case" 2 "duly: case $ref is closed" -- sh -c "'$duly' --home '$home' --db '$db' case close $ref >/dev/null && '$duly' --home '$home' --db '$db' case ack $ref"

# Urgency: a case marked urgent comes first in its officer's due list,
# whatever its date; the mark is in the history and can come off.
u1=$(du case open --now 2026-11-23T09:00:00Z --charter progress --channel email --kind enquiry --customer C10004 --officer mbrown --subject "Fence panel")
u2=$(du case open --now 2026-11-25T09:00:00Z --charter progress --channel email --kind enquiry --customer C10004 --officer mbrown --subject "No heating")
first_due() { du due --officer mbrown | sed -n 2p; }
case "$(first_due)" in *"$u1"*) pass ;; *) fail "before: $(first_due)" ;; esac
expect_out "mark urgent" "$u2: urgent recorded; respond by Wed 2 Dec 17:00" -- sh -c "'$duly' --home '$home' --db '$db' case urgent $u2 --reason 'elderly tenant, no heating' --now 2026-11-25T09:30:00Z | head -1"
case "$(first_due)" in *"URGENT, "*"$u2"*) pass ;; *) fail "urgent not first: $(first_due)" ;; esac
expect_contains "urgent in history" "marked urgent: elderly tenant, no heating" -- du case show "$u2"
expect_contains "urgent in json" '"urgent":true' -- du case show "$u2" --json
expect_fail "already urgent" 2 "duly: case $u2 is already marked urgent" -- du case urgent "$u2"
du case urgent "$u2" --off --now 2026-11-25T10:00:00Z >/dev/null
case "$(first_due)" in *"$u1"*) pass ;; *) fail "after --off: $(first_due)" ;; esac

# Dashboard accounts and [web] trusted_proxies.
printf '[web]\npasswords_file = "%s"\ntrusted_proxies = ["127.0.0.1", "::1"]\n' "$work/passwords" > "$work/web.toml"
printf '[web]\npasswords_file = "%s"\ntrusted_proxies = ["127.0.0.1", "proxy.local"]\n' "$work/passwords" > "$work/bad-web.toml"
expect_fail "a trusted proxy that is not an address" 2 "duly: $work/bad-web.toml:3: web.trusted_proxies: expected the IP address of a reverse proxy, such as \"127.0.0.1\", found \"proxy.local\"" -- du user list --config "$work/bad-web.toml"
expect_out "set a password" "password set for sali (any dashboard sessions of theirs have ended)" -- sh -c "printf 'a long enough password\n' | '$duly' --home '$home' --db '$db' user passwd sali --stdin --config '$work/web.toml'"
expect_out "remove it" "password removed for sali; their dashboard sessions have ended" -- du user remove sali --config "$work/web.toml"
expect_fail "remove it again" 2 'duly: "sali" has no password to remove' -- du user remove sali --config "$work/web.toml"

finish
