#!/usr/bin/env bash
# The embedded default's whole mail flow: a message put in the Maildir inbox
# opens a case and its acknowledgement appears in the outbox folder; a reply
# joins its case with no second acknowledgement; a machine gets no answer;
# running again takes nothing twice.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
du() { "$duly" --home "$home" "$@"; }
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
put() { printf '%b' "$2" > "$inbox/new/$1"; }

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null

put 1.eml 'From: Tom Fairclough <tom.fairclough@example.org>\r\nSubject: Back door still broken\r\nMessage-ID: <t1@example.org>\r\n\r\nThe back door still sticks.\r\n'
put 2.eml 'From: MAILER-DAEMON@example.org\r\nSubject: Undelivered Mail\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <t2@example.org>\r\n\r\nbounce\r\n'
put 3.eml 'From: Nasreen Akhtar <nasreen.akhtar@example.org>\r\nSubject: Repair\r\nMessage-ID: <t3@example.org>\r\n\r\nPlease call me.\r\n'
expect_out "first run" "took in 3 messages; delivered 2" -- du watch --once --now 2026-11-23T10:05:00Z
expect_out "outbox" "PHG-2026-00001.acknowledgement@duly.progress.example.org.eml
PHG-2026-00003.acknowledgement@duly.progress.example.org.eml" -- ls "$home/var/outbox" -I tmp
ack="$home/var/outbox/PHG-2026-00001.acknowledgement@duly.progress.example.org.eml"
expect_contains "threaded" "In-Reply-To: <t1@example.org>" -- cat "$ack"
expect_contains "auto-submitted" "Auto-Submitted: auto-replied" -- cat "$ack"
expect_contains "suppress" "X-Auto-Response-Suppress: All" -- cat "$ack"
expect_contains "reference in subject" "[PHG-2026-00001]" -- cat "$ack"
expect_contains "case acknowledged" '"acknowledged_at":"2026-11-23T10:05:00+00:00"' -- du case show PHG-2026-00001 --json
expect_contains "machine not answered" "no automatic acknowledgement: Auto-Submitted: auto-replied" -- du case show PHG-2026-00002
# The Urdu reader gets Urdu.
expect_contains "urdu acknowledgement" '<html lang=3D"ur" dir=3D"rtl">' -- cat "$home/var/outbox/PHG-2026-00003.acknowledgement@duly.progress.example.org.eml"
expect_out "processed, never deleted" "3" -- sh -c "ls '$inbox/cur' | wc -l"

# A reply joins its case and gets no second acknowledgement; the same message again is taken once.
put 4.eml 'From: tom.fairclough@example.org\r\nSubject: Re: Thank you [PHG-2026-00001]\r\nIn-Reply-To: <PHG-2026-00001.acknowledgement@duly.progress.example.org>\r\nMessage-ID: <t4@example.org>\r\n\r\nThanks.\r\n'
put 5.eml 'From: Tom Fairclough <tom.fairclough@example.org>\r\nSubject: Back door still broken\r\nMessage-ID: <t1@example.org>\r\n\r\nThe back door still sticks.\r\n'
expect_out "second run" "took in 1 message, 1 already taken in; delivered 0" -- du watch --once --now 2026-11-23T11:00:00Z
expect_contains "joined" '"subject":"Re: Thank you [PHG-2026-00001]"' -- du case show PHG-2026-00001 --json
expect_out "still three cases" "3" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
expect_out "outbox unchanged" "2" -- sh -c "ls '$home/var/outbox' -I tmp | wc -l"

# A customer whose language Duly has no locale for: English, and the fallback is written on the case.
printf 'reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel\nC30001,Ms Ola Nowak,,ola@example.org,,,,,,,pl,,email\n' > "$work/pl.csv"
du import customers "$work/pl.csv" >/dev/null
put 6.eml 'From: ola@example.org\r\nSubject: Okno\r\nMessage-ID: <pl1@example.org>\r\n\r\nDzien dobry\r\n'
expect_out "polish reader" "took in 1 message; delivered 1" -- du watch --once --now 2026-11-23T12:00:00Z
expect_contains "fallback recorded" "acknowledgement: locale was not available in pl; en-GB was used (no locale file for pl)" -- du case show PHG-2026-00004

finish
