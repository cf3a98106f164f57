#!/usr/bin/env bash
# The pipeline's one door (flow::Dispatch), seen from outside:
# - an acknowledgement queued at intake (duly watch) and one queued by the
#   scheduler (duly tick) for the same case carry the same headers: the same
#   threading on the customer's message and the same Auto-Submitted;
# - two print runs started at once print each queued letter exactly once.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
cat >> "$home/config/duly.toml" <<'TOML'

[[mailbox]]
name = "complaints"
url = "maildir:var/mail/complaints"
channel = "email"
kind = "complaint-stage-1"
charter = "progress"
assign = "officer:dparker"
TOML
du() { "$duly" --home "$home" "$@"; }
# Complaints: the charter promises an acknowledgement, which tick sends when none went.
inbox="$home/var/mail/complaints"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
outbox="$home/var/outbox"
db="$home/var/duly.db"
du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null
# The header block of a message without its Date (the only field that may differ).
headers() { python3 -c '
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for k, v in m.items():
    if k.lower() != "date": print(k + ": " + " ".join(str(v).split()))' "$1"; }

printf 'From: Tom Fairclough <tom.fairclough@example.org>\r\nSubject: Back door\r\nMessage-ID: <door-1@example.org>\r\nReferences: <earlier@example.org>\r\nIn-Reply-To: <earlier@example.org>\r\n\r\nThe back door still sticks.\r\n' > "$inbox/new/1.eml"
expect_out "taken in" "took in 1 message; delivered 1" -- du watch --once --now 2026-11-23T10:05:00Z
ack="$outbox/PHG-2026-00001.acknowledgement@duly.progress.example.org.eml"
expect_contains "a stage 1 complaint" "complaint-stage-1" -- du case show PHG-2026-00001
headers "$ack" > "$work/at-intake"
expect_contains "intake: threaded on the customer's message" "In-Reply-To: <door-1@example.org>" -- cat "$work/at-intake"
expect_contains "intake: an automatic reply" "Auto-Submitted: auto-replied" -- cat "$work/at-intake"
# As if the acknowledgement had never been queued (an older Duly, a lost
# row): the scheduler queues it, through the same door.
mv "$ack" "$work/intake.eml"
sqlite3 "$db" "DELETE FROM outbound WHERE document_key = 'acknowledgement'; UPDATE cases SET acknowledged_at = NULL"
expect_out "tick queues the acknowledgement" "queued 1; delivered 1" -- du tick --now 2026-11-23T10:06:00Z
headers "$ack" > "$work/at-tick"
expect_out "the same headers from intake and from tick" "$(cat "$work/at-intake")" -- cat "$work/at-tick"

# An extension notice quotes the date the customer was given, then the new
# one (it used to quote the new date as the old one).
text_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(" ".join(next(p for p in m.walk() if p.get_content_type()=="text/plain").get_payload(decode=True).decode().split()))' "$1"; }
expect_contains "acknowledged with a date" "We will send you a full reply by 7 December 2026." -- text_of "$ack"
du case extend PHG-2026-00001 --days 5 --reason "we are waiting for a surveyor's report" --now 2026-11-24T09:00:00Z >/dev/null
expect_out "tick queues the notice" "queued 1; delivered 1" -- du tick --now 2026-11-24T09:01:00Z
notice="$outbox/PHG-2026-00001.extension-1@duly.progress.example.org.eml"
given=$(sqlite3 "$db" "SELECT date FROM dates_given WHERE document_key = 'acknowledgement'")
expect_out "the acknowledgement's date is kept" "7 December 2026" -- env TZ=Europe/London date -d "@$given" "+%-d %B %Y"
old_date=$(TZ=Europe/London date -d "@$given" '+%-d %B %Y')
new_date=$(TZ=Europe/London date -d "@$(sqlite3 "$db" "SELECT respond_by FROM cases WHERE reference = 'PHG-2026-00001'")" '+%-d %B %Y')
[ "$old_date" != "$new_date" ] && pass || fail "the extension did not move the date ($old_date)"
expect_contains "notice: the date the customer had" "We said we would reply to your complaint by $old_date." -- text_of "$notice"
expect_contains "notice: the new date" "We will now reply by $new_date. This is 5 more working days." -- text_of "$notice"
expect_out "the notice's date is kept" "$(sqlite3 "$db" "SELECT respond_by FROM cases WHERE reference = 'PHG-2026-00001'")" -- \
  sqlite3 "$db" "SELECT date FROM dates_given WHERE document_key = 'extension-1'"

# Thirty letters for the post (customers who read letters), then two print
# runs at the same moment into two folders: each letter is in exactly one.
for i in $(seq 30); do
  du case open --charter progress --channel letter --kind complaint-stage-1 --customer C10003 --officer sali --subject "Letter $i" \
    --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z >/dev/null
done
expect_out "thirty letters queued" "queued 30; delivered 0" -- du tick --now 2026-11-23T10:10:00Z
du print-run --output "$work/run-a" --now 2026-11-23T11:00:00Z > "$work/a.out" 2>&1 &
a=$!
du print-run --output "$work/run-b" --now 2026-11-23T11:00:00Z > "$work/b.out" 2>&1 &
b=$!
wait "$a"; ra=$?; wait "$b"; rb=$?
[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] && pass || fail "print runs: exit $ra and $rb: $(cat "$work/a.out" "$work/b.out")"
cases_in() { [ -d "$1" ] && tail -q -n +2 "$1"/*-manifest.csv 2>/dev/null | cut -d, -f3 | sort; }
{ cases_in "$work/run-a"; cases_in "$work/run-b"; } > "$work/printed"
expect_out "every letter printed" "30" -- sh -c "sort -u '$work/printed' | wc -l"
expect_out "no letter printed twice" "" -- sh -c "sort '$work/printed' | uniq -d"
expect_out "nothing left to print" "print run: no letters waiting" -- du print-run --output "$work/run-c" --now 2026-11-23T11:05:00Z

finish
