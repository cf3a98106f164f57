#!/usr/bin/env bash
# The paused-clock story, with `duly tick --now` at each step: an email of
# Monday 23 November is acknowledged with "a full reply by 30 November";
# the officer pauses the clock on 24 November waiting on the customer and
# starts it again on 2 December. The customer is told at each step, and
# every date a message quotes as "we said" is one an earlier message gave.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
du() { "$duly" --home "$home" "$@"; }
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
outbox="$home/var/outbox"
text_of() { python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(next(p for p in m.walk() if p.get_content_type()=="text/plain").get_payload(decode=True).decode())' "$1" | tr '\n' ' '; }
# The customer's mail, oldest first: each file sent to Tom Fairclough.
customer_mail() {
  for f in $(ls -tr "$outbox"/*.eml); do
    if python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); sys.exit(0 if "tom.fairclough@example.org" in (m["To"] or "") else 1)' "$f"; then
      basename "$f"
    fi
  done
  return 0
}
ref=PHG-2026-00001
mail_of() { printf '%s\n' "$outbox/$ref.$1@duly.progress.example.org.eml"; }

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null
printf 'From: Tom Fairclough <tom.fairclough@example.org>\r\nSubject: Damp in the bathroom\r\nMessage-ID: <d1@example.org>\r\n\r\nThere is damp in the bathroom.\r\n' > "$inbox/new/1.eml"

# Monday 23 November 10:05: acknowledged, "a full reply by 30 November".
expect_out "mail taken in" "took in 1 message; delivered 1" -- du watch --once --now 2026-11-23T10:05:00Z
du case assign $ref --officer sali --now 2026-11-23T10:10:00Z >/dev/null
expect_contains "acknowledgement gives 30 November" "We will send you a full reply by 30 November 2026." -- text_of "$(mail_of acknowledgement)"

# Tuesday 24 November 11:00: the officer asks for a photo and pauses the clock.
du case wait $ref --for "a photo of the damp patch" --now 2026-11-24T11:00:00Z >/dev/null
du tick --now 2026-11-24T11:05:00Z >/dev/null
pause=$(mail_of pause-notice-20261124T110000Z)
expect_contains "pause notice says what we need" "To answer you, we need a photo of the damp patch." -- text_of "$pause"
expect_contains "pause notice quotes the date sent" "We said we would reply by 30 November 2026. We cannot do that until we have this, so that date will move." -- text_of "$pause"
expect_contains "pause notice on the case" "pause notice by email to tom.fairclough@example.org" -- du case show $ref
expect_out "pause notice goes once" "0 to send" -- du tick --dry-run --now 2026-11-24T15:00:00Z

# Monday 30 November, the old date: nothing more to the customer (they were told it moves).
du tick --now 2026-11-30T09:00:00Z >/dev/null
du tick --now 2026-11-30T17:30:00Z >/dev/null
expect_out "customer mail by 30 November" "$ref.acknowledgement@duly.progress.example.org.eml
$ref.pause-notice-20261124T110000Z@duly.progress.example.org.eml" -- customer_mail

# Tuesday 1 December: five working days without an answer; the officer is reminded.
du tick --now 2026-12-01T09:00:00Z >/dev/null
reminder=$(mail_of pause-reminder-20261124T110000Z)
expect_contains "reminder to the officer" "The customer has not answered in 5 working days." -- text_of "$reminder"
expect_contains "reminder says what we wait for" "to wait for a photo of the damp patch" -- text_of "$reminder"

# Wednesday 2 December: the photo came; the clock runs again. 25, 26, 27,
# 30 November, 1 and 2 December stood still: the reply is due 8 December.
du case resume $ref --now 2026-12-02T10:00:00Z >/dev/null
du tick --now 2026-12-02T10:05:00Z >/dev/null
resume=$(mail_of resume-notice-20261202T100000Z)
expect_contains "resume notice gives the new date" "We will now send you a full reply by 8 December 2026." -- text_of "$resume"

# A preview of the holding reply before it is due states what it would say
# now: the last date sent, never "by ,".
expect_contains "render --case previews the last date sent" "We said we would reply by 8 December 2026, but we need more time." -- du render --case $ref --template holding-reply --to text --now 2026-12-03T10:00:00Z

# Monday 7 December: the holding reply quotes 8 December, the date the
# resume notice gave, and gives a new one.
du tick --now 2026-12-07T09:00:00Z >/dev/null
holding=$(mail_of holding-reply)
expect_contains "holding reply quotes the last date sent" "We said we would reply by 8 December 2026" -- text_of "$holding"
expect_out "every message the customer received" "$ref.acknowledgement@duly.progress.example.org.eml
$ref.pause-notice-20261124T110000Z@duly.progress.example.org.eml
$ref.resume-notice-20261202T100000Z@duly.progress.example.org.eml
$ref.holding-reply@duly.progress.example.org.eml" -- customer_mail

# Every "we said we would reply by D" quotes a D an earlier message gave.
said=""
for f in $(customer_mail); do
  text=$(text_of "$outbox/$f")
  quoted=$(printf '%s' "$text" | grep -o 'We said we would reply by [0-9]* [A-Z][a-z]* 2026' | sed 's/We said we would reply by //')
  if [ -n "$quoted" ]; then
    case "$said" in *"|$quoted|"*) pass ;; *) fail "$f quotes $quoted, which no earlier message gave (given: $said)" ;; esac
  fi
  for d in $(printf '%s' "$text" | grep -oE '(reply by|reply to you by) [0-9]+ [A-Z][a-z]+ 2026' | sed -E 's/.* by //' | tr ' ' '_'); do
    said="$said|$(printf '%s' "$d" | tr '_' ' ')|"
  done
done
finish
