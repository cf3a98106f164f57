#!/usr/bin/env bash
# Letters by post, end to end, read back with pdftotext and pdfimages:
# - brands: a group with subsidiaries keeps one letterhead per brand; the
#   customer's brand (customers.csv) heads their letters, else the brand of
#   the mailbox their case came to, else the group's own; each brand's name
#   and address are on the page and its logo is drawn; an unknown brand in
#   a mailbox or on a customer is refused naming the file and line, or the
#   customer;
# - the signature block names the officer and position with their direct
#   telephone and email, and draws their signature image;
# - a reply by post from the dashboard carries the officer's own words to
#   the print run, which prints them in the reply letter.
# Usage: cli_letters_test.sh DULY SOURCE_HOME
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }

# Two brands of the Progress group, and their logos and Samir Ali's
# signature as small PNGs.
cat >> "$home/config/charters/progress.toml" <<'TOML'

[brand.key]
name = "Key Unlimited"
address = ["Key House", "5 Bridge Street", "Chorley", "PR7 1AB"]
phone = "01772 450700"
website = "www.key.example.org"

[brand.reside]
name = "Reside Housing Association"
address = ["Reside Court", "9 Fox Lane", "Preston", "PR1 2XY"]
TOML
mkdir -p "$home/config/letterheads" "$home/config/signatures"
/usr/bin/python3 - "$home/config" <<'PY'
import struct, sys, zlib
def png(path, w, h, rgb):
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
png(sys.argv[1] + "/letterheads/key.png", 40, 20, (0, 90, 160))
png(sys.argv[1] + "/letterheads/progress.png", 30, 20, (120, 0, 90))
png(sys.argv[1] + "/signatures/sali.png", 60, 20, (20, 20, 80))
PY
cat >> "$home/config/letters.toml" <<'TOML'

[letterhead.key]
logo = "config/letterheads/key.png"

[letterhead.progress]
logo = "config/letterheads/progress.png"

[signatures]
sali = "config/signatures/sali.png"
TOML
# The dashboard (for the reply) on a free port, with plain-http cookies;
# a second mailbox whose letters carry the Reside letterhead.
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >> "$home/config/duly.toml" <<TOML
secure_cookies = false

# Only what the test sends: the dashboard runs on the real clock.
[scheduler]
acknowledgements = false
holding_replies = false
extension_notices = false
warnings = false
escalations = false
digests = false

[[mailbox]]
name = "reside"
url = "maildir:var/mail/reside"
channel = "email"
charter = "progress"
brand = "reside"
assign = "officer:sali"
TOML

du import officers "$home/config/sample/officers.csv" >/dev/null
cat > "$work/customers.csv" <<'CSV'
reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel,brand
C30001,Mrs Ann Key,Dear Mrs Key,ann@example.org,,1 Park Road,,,Chorley,PR7 3AA,en-GB,,post,key
C30002,Mr Bob Reside,Dear Mr Reside,bob@example.org,,2 Park Road,,,Preston,PR1 3BB,en-GB,,post,
C30003,Ms Cat Group,Dear Ms Group,,,3 Park Road,,,Leyland,PR25 3CC,en-GB,,post,
C30004,Mr Dan Nobrand,Dear Mr Nobrand,,,4 Park Road,,,Leyland,PR25 3DD,en-GB,,post,nosuch
CSV
expect_out "customers with brands" "imported 4 customers from $work/customers.csv" -- du import customers "$work/customers.csv"
expect_fail "a brand id is checked on import" 2 "$work/bad.csv:2: column brand: expected a brand id of lower-case letters, digits and hyphens, such as key, or nothing, found \"Key Unlimited\"" -- \
  sh -c "printf 'reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel,brand\nC1,A,,,,1 Road,,,Leyland,PR1 1AA,en-GB,,post,Key Unlimited\n' > '$work/bad.csv'; '$duly' --home '$home' import customers '$work/bad.csv'"

# Ann (brand key) writes to the group's inbox, Bob (no brand) to Reside's:
# both read letters, so both acknowledgements go to the print run.
for box in inbox reside; do mkdir -p "$home/var/mail/$box/new" "$home/var/mail/$box/cur" "$home/var/mail/$box/tmp"; done
printf 'From: ann@example.org\r\nSubject: Gutter\r\nMessage-ID: <ann1@example.org>\r\n\r\nThe gutter leaks.\r\n' > "$home/var/mail/inbox/new/1"
printf 'From: bob@example.org\r\nSubject: Fence\r\nMessage-ID: <bob1@example.org>\r\n\r\nThe fence fell.\r\n' > "$home/var/mail/reside/new/1"
expect_out "two letters queued" "took in 2 messages; delivered 0" -- du watch --once --now 2026-11-23T10:05:00Z
expect_contains "the mailbox's brand is kept on the case" "  brand             reside" -- du case show PHG-2026-00002
expect_contains "the group inbox gives none" '"charter":"progress","brand":""' -- du case show PHG-2026-00001 --json
out="$work/print"
expect_contains "print run" "print run 20261123-160000: 2 letters" -- du print-run --output "$out" --now 2026-11-23T16:00:00Z
manifest="$out/print-run-20261123-160000-manifest.csv"
std="$out/print-run-20261123-160000-standard.pdf"
page_of() { awk -F, -v c="$1" '$4 == c { print $7 }' "$manifest"; }
ann=$(pdftotext -layout -f "$(page_of C30001)" -l "$(page_of C30001)" "$std" -)
bob=$(pdftotext -layout -f "$(page_of C30002)" -l "$(page_of C30002)" "$std" -)
has() { case "$2" in *"$3"*) pass ;; *) fail "$1: lacks '$3'"; printf '%s\n' "$2" | head -20 ;; esac; }
lacks() { case "$2" in *"$3"*) fail "$1: has '$3'" ;; *) pass ;; esac; }
# The customer's brand wins over the group inbox's.
has "customer's brand: name" "$ann" "Key Unlimited"
has "customer's brand: address" "$ann" "5 Bridge Street"
has "customer's brand: its own phone" "$ann" "01772 450700"
has "customer's brand: its own website" "$ann" "www.key.example.org"
lacks "customer's brand: not the group" "$ann" "Progress Housing Group"
# The mailbox's brand, with the group's phone where the brand has none.
has "mailbox's brand: name" "$bob" "Reside Housing Association"
has "mailbox's brand: address" "$bob" "9 Fox Lane"
has "mailbox's brand: the group's phone" "$bob" "01772 450600"
lacks "mailbox's brand: not the other brand" "$bob" "Key Unlimited"
lacks "mailbox's brand: not the group's address" "$bob" "Sumner House"
# Key's logo (40×20) on Ann's page (her case went round the team, to an
# officer with no signature image); Reside has no logo configured, so Bob's
# page has only Samir Ali's signature (60×20: the mailbox assigns to him).
expect_out "Key's logo on Ann's page" "1 40 20" -- sh -c "pdfimages -list -f $(page_of C30001) -l $(page_of C30001) '$std' | tail -n +3 | awk '{ n++; w = \$4; h = \$5 } END { print n, w, h }'"
expect_out "the signature alone on Bob's page" "1 60 20" -- sh -c "pdfimages -list -f $(page_of C30002) -l $(page_of C30002) '$std' | tail -n +3 | awk '{ n++; w = \$4; h = \$5 } END { print n, w, h }'"
# The signature block: name, position, organisation, direct line, email.
has "signature: closing, name, position, brand" "$bob" "Yours sincerely"
expect_out "signature block lines" "Samir Ali
Customer Services Officer
Reside Housing Association
Direct line: 01772 450611
Email: samir.ali@progress.example.org" -- sh -c "pdftotext -f $(page_of C30002) -l $(page_of C30002) '$std' - | grep -A12 '^Yours sincerely' | grep -v '^\$' | sed -n 2,6p"

# Without a brand anywhere: the group's letterhead and logo.
ref3=$(du case open --charter progress --channel letter --kind enquiry --customer C30003 --officer sali --subject Boiler \
         --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z --json | sed -n 's/.*"reference":"\([^"]*\)".*/\1/p')
du render --case "$ref3" --template acknowledgement --to pdf --output "$work/group.pdf" --now 2026-11-23T10:00:00Z >/dev/null
group=$(pdftotext -layout "$work/group.pdf" -)
has "no brand: the group's name" "$group" "Progress Housing Group"
has "no brand: the group's address" "$group" "Sumner House"
expect_out "no brand: the group's logo and the signature" "2" -- sh -c "pdfimages -list '$work/group.pdf' | tail -n +3 | grep -c image"

# Unknown brands are named with where they come from.
ref4=$(du case open --charter progress --channel letter --kind enquiry --customer C30004 --officer sali --subject Roof \
         --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z --json | sed -n 's/.*"reference":"\([^"]*\)".*/\1/p')
expect_fail "customer's unknown brand" 2 "duly: customer C30004: brand \"nosuch\": charter progress (config/charters/progress.toml) has no [brand.nosuch] table (its brands: key, reside)" -- \
  du render --case "$ref4" --template acknowledgement --to pdf --output "$work/x.pdf"
cp "$home/config/duly.toml" "$work/bad-brand.toml"
sed -i 's/^brand = "reside"$/brand = "resid"/' "$work/bad-brand.toml"
line=$(grep -n '^name = "reside"$' "$work/bad-brand.toml" | cut -d: -f1); line=$((line - 1))
expect_fail "mailbox's unknown brand" 2 "duly: $work/bad-brand.toml:$line: mailbox reside: brand \"resid\": charter progress (config/charters/progress.toml) has no [brand.resid] table (its brands: key, reside)" -- \
  du watch --once --config "$work/bad-brand.toml"

# A reply by post from the dashboard: the officer's own words reach the print run.
printf '%s\n' "signature-test-password" | du user passwd sali --stdin >/dev/null
# duly itself in the background (not the du function, whose $! is a subshell), so that kill stops it.
"$duly" --home "$home" serve --no-sample --port "$port" --poll 1 >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/sign-in" && break; sleep 0.2; done
jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login_token=$token" --data-urlencode "user=sali" \
  --data-urlencode "password=signature-test-password" --data-urlencode "next=/my-work" "http://127.0.0.1:$port/sign-in"
csrf=$(curl -s -b "$jar" "http://127.0.0.1:$port/cases/$ref3" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
words="Our surveyor Mr Patel will replace the boiler on Tuesday 1 December between 9am and 1pm.

Please keep the cupboard under the stairs clear so that he can reach the pipes."
curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "text=$words" "http://127.0.0.1:$port/cases/$ref3/reply"
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null; serve_pid=""
expect_contains "reply queued for the post" "queued for the post to Ms Cat Group (printed by the next print run)" -- du case show "$ref3"
expect_out "queued with the officer's words" "post reply queued" -- \
  sqlite3 -separator ' ' "$home/var/duly.db" "SELECT route, document_key, state FROM outbound WHERE case_reference = '$ref3' AND CAST(bytes AS TEXT) LIKE 'duly-letter 1' || char(10) || 'template: reply' || char(10) || '%' || char(10) || 'reply: Our surveyor Mr Patel%\\n\\nPlease keep the cupboard%'"
expect_contains "reply printed" ": 1 letter" -- du print-run --output "$work/print2"
reply=$(pdftotext "$work"/print2/print-run-*-standard.pdf - | tr -s ' \n' '  ')
has "the officer's first paragraph" "$reply" "Our surveyor Mr Patel will replace the boiler on Tuesday 1 December between 9am and 1pm."
has "the officer's second paragraph" "$reply" "Please keep the cupboard under the stairs clear so that he can reach the pipes."
has "the reply's reference" "$reply" "$ref3"
# A follow-up is answered as the charter answers the case (the dashboard
# runs on the real clock, so only the shape of the date is known).
expect_out "the follow-up date" "1" -- sh -c "printf '%s' '$reply' | grep -cE 'We will reply by [0-9]{1,2} [A-Z][a-z]+ 20[0-9]{2}\\.'"
has "signed by the officer" "$reply" "Samir Ali Customer Services Officer Progress Housing Group Direct line: 01772 450611"
expect_out "the reply is marked printed" "delivered" -- sqlite3 "$home/var/duly.db" "SELECT state FROM outbound WHERE case_reference = '$ref3' AND document_key = 'reply'"

# The scheduler's holding reply to the customer with an unknown brand is
# refused and says why on the case, once (it used to fail on every tick).
sed '/^holding_replies = false$/d' "$home/config/duly.toml" > "$work/tick.toml"
expect_contains "holding replies: one refused" "queued 2, 1 could not be sent" -- du tick --config "$work/tick.toml" --now 2026-11-27T16:50:00Z
expect_contains "the refusal is on the case" "holding reply not sent: the template could not be rendered: customer C30004: brand \"nosuch\"" -- du case show "$ref4"
expect_out "refused once, kept as failed" "failed" -- sqlite3 "$home/var/duly.db" "SELECT state FROM outbound WHERE case_reference = '$ref4'"
finish
