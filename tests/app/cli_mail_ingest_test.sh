#!/usr/bin/env bash
# Ingest through the MIME parser, end to end on the embedded default: the
# corpus of real-world-shaped messages (tests/mail-mime/data) put in the
# Maildir inbox opens cases with decoded subjects and text, answers people
# and not machines, keeps attachments, and quarantines the unreadable one
# with a case that still counts; a scanned-post mailbox turns a scan into a
# letter case received when the mailroom logged it, found by the customer's
# reference or left for triage.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
cat >> "$home/config/duly.toml" <<'TOML'

[[mailbox]]
name = "scanned-post"
url = "maildir:var/mail/scans"
channel = "letter"
charter = "progress"
assign = "officer:jwong"
TOML
du() { "$duly" --home "$home" "$@"; }
inbox="$home/var/mail/inbox"; scans="$home/var/mail/scans"
mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp" "$scans/new" "$scans/cur" "$scans/tmp"
data="$src/tests/mail-mime/data"

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null

# Names sort in the order the cases are numbered.
i=0
for m in outlook gmail big5 gb18030 urdu out-of-office dsn-bounce mailing-list broken apple-mail; do
  i=$((i + 1)); cp "$data/$m.eml" "$inbox/new/$(printf '%02d' $i)-$m"
done
expect_out "corpus run" "took in 10 messages, 1 quarantined; delivered 6" -- du watch --once --now 2026-11-30T10:00:00Z

expect_contains "outlook subject decoded" '"subject":"Damp in the bedroom – tenancy C10002"' -- du case show PHG-2026-00001 --json
expect_contains "outlook attachment kept, logo left in the raw message" "item 1  Photos of the bedroom – November.pdf  application/pdf  45 bytes" -- du attachments PHG-2026-00001
expect_out "one attachment" "1" -- sh -c "'$duly' --home '$home' attachments PHG-2026-00001 | wc -l"
expect_contains "gmail RFC 2231 name" "“boiler display” – error F28.jpg" -- du attachments PHG-2026-00002
expect_contains "big5 subject" '"subject":"維修申請"' -- du case show PHG-2026-00003 --json
expect_contains "big5 writer is a Cantonese contact" "language yue-Hant guessed from the message" -- du case show PHG-2026-00003
expect_contains "gb18030 subject joined across words" '"subject":"关于租金的问题"' -- du case show PHG-2026-00004 --json
expect_contains "urdu customer by address" '"customer":"C10001"' -- du case show PHG-2026-00005 --json
expect_contains "urdu acknowledged in Urdu" 'lang=3D"ur"' -- cat "$home/var/outbox/PHG-2026-00005.acknowledgement@duly.progress.example.org.eml"
expect_contains "out of office not answered" "no automatic acknowledgement: Auto-Submitted: auto-replied" -- du case show PHG-2026-00006
expect_contains "bounce not answered" "no automatic acknowledgement: Auto-Submitted: auto-replied" -- du case show PHG-2026-00007
expect_contains "list not answered" "no automatic acknowledgement: Precedence: list" -- du case show PHG-2026-00008
expect_contains "broken: case opened for triage" "the message could not be read and is in quarantine (duly quarantine list): line 4: a NUL byte in the header" -- du case show PHG-2026-00009
expect_contains "broken: still counts" '"received":"2026-11-30T10:00:00+00:00","counted_from":"2026-11-30"' -- du case show PHG-2026-00009 --json
expect_contains "broken: deadline running" '"respond_by":"2026-12-07T17:00:00+00:00"' -- du case show PHG-2026-00009 --json
expect_contains "quarantine list" "<broken-1@example.org>  case PHG-2026-00009
    line 4: a NUL byte in the header" -- du quarantine list
expect_contains "quarantine keeps the bytes" "binary where a header should be" -- sh -c "'$duly' --home '$home' quarantine show 1 | tr -d '\\000'"
expect_fail "quarantine show unknown" 2 "duly: no quarantined message with id 9 (duly quarantine list shows them)" -- du quarantine show 9
expect_contains "apple mail" "item 1  Statement Oct.pdf  application/pdf  45 bytes" -- du attachments PHG-2026-00010
expect_out "answered people only" "PHG-2026-00001.acknowledgement@duly.progress.example.org.eml
PHG-2026-00002.acknowledgement@duly.progress.example.org.eml
PHG-2026-00003.acknowledgement@duly.progress.example.org.eml
PHG-2026-00004.acknowledgement@duly.progress.example.org.eml
PHG-2026-00005.acknowledgement@duly.progress.example.org.eml
PHG-2026-00010.acknowledgement@duly.progress.example.org.eml" -- ls "$home/var/outbox" -I tmp
# An unknown sender whose subject names a customer (C10002, who prefers post) is not taken to be
# that customer: anyone can type a reference. The sender is a new contact, answered at their own
# address, and the case says "possibly C10002" for an officer to confirm; nothing goes to C10002.
expect_contains "outlook sender is a new contact" '"customer":"NEW-2026-00001"' -- du case show PHG-2026-00001 --json
expect_contains "outlook possibly C10002" "possibly C10002 (Mr Wing Kei Lee), named in the message" -- du case show PHG-2026-00001
expect_contains "outlook answered at the sender's address" "To: =?UTF-8?B?U2nDom4gT+KAmUJyaWVu?= <sian.obrien@example.org>" -- cat "$home/var/outbox/PHG-2026-00001.acknowledgement@duly.progress.example.org.eml"
expect_contains "big5 acknowledged in Traditional Chinese" 'lang=3D"yue-Hant"' -- cat "$home/var/outbox/PHG-2026-00003.acknowledgement@duly.progress.example.org.eml"

# The same messages again are all recognised; the broken one by its Message-ID.
for f in "$inbox"/cur/*; do cp "$f" "$inbox/new/again-$(basename "${f%%:*}")"; done
expect_out "nothing twice" "took in 0 messages, 10 already taken in; delivered 0" -- du watch --once --now 2026-11-30T11:00:00Z

# A bounce of the acknowledgement Duly sent to PHG-2026-00002 joins that case, flagged,
# unanswered (the bounce names a Message-ID Duly really sent).
sed -e 's/PHG-2026-00021/PHG-2026-00002/g' -e 's/Message-Id: <20261126100000/Message-Id: <bounce-2/' \
    -e 's/duly\.progressgroup\.org\.uk/duly.progress.example.org/g' \
    "$data/dsn-bounce.eml" > "$inbox/new/bounce-2"
expect_out "bounce run" "took in 1 message; delivered 0" -- du watch --once --now 2026-11-30T11:30:00Z
expect_contains "bounce flagged on its case" "a delivery-status report about <PHG-2026-00002.acknowledgement@duly.progress.example.org>: a message may not have been delivered" -- du case show PHG-2026-00002
expect_out "no new case for the bounce" "10" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"

# A message over the size limit (64 MiB) is neither lost nor left to be read again for ever:
# its first 1 MiB is quarantined with a case for triage. (A sparse file: nothing is written.)
printf 'From: big@example.org\r\nSubject: Huge scan\r\nMessage-ID: <huge-1@example.org>\r\n\r\n' > "$inbox/new/huge"
truncate -s 65M "$inbox/new/huge"
expect_out "too large run" "took in 1 message, 1 quarantined; delivered 0" -- du watch --once --now 2026-11-30T12:00:00Z
expect_contains "too large quarantined" "is larger than the limit of 67108864 bytes; the first 1048576 bytes are kept" -- du quarantine list
expect_contains "too large case" '"subject":"Huge scan"' -- du case show PHG-2026-00011 --json
expect_out "too large processed" "0" -- sh -c "ls '$inbox/new' | wc -l"
expect_out "too large not again" "took in 0 messages; delivered 0" -- du watch --once --now 2026-11-30T12:05:00Z

# An empty attachment (an empty IMG_0001.jpg, and base64 that decodes to nothing) between two
# good messages: all three open cases, the empty files kept as 0 bytes, nothing left behind.
good() { printf 'From: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\n\r\nThe gate is broken.\r\n' "$1" "$2" "$3"; }
good aimee.butler@example.org "Gate one" gate-1 > "$inbox/new/e1-good"
printf 'From: imran.hussain@example.org\r\nSubject: Photo\r\nMessage-ID: <empty-att@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPhoto attached.\r\n--b\r\nContent-Type: image/jpeg; name=IMG_0001.jpg\r\nContent-Disposition: attachment; filename=IMG_0001.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n\r\n--b\r\nContent-Type: application/pdf; name=nothing.pdf\r\nContent-Disposition: attachment; filename=nothing.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n====\r\n--b--\r\n' > "$inbox/new/e2-empty"
good aimee.butler@example.org "Gate two" gate-2 > "$inbox/new/e3-good"
expect_out "empty attachment run" "took in 3 messages; delivered 3" -- du watch --once --now 2026-11-30T12:10:00Z
expect_out "empty attachment case" "item 1  IMG_0001.jpg  image/jpeg  0 bytes
item 1  nothing.pdf  application/pdf  0 bytes" -- du attachments PHG-2026-00013
expect_contains "message after it" '"subject":"Gate two"' -- du case show PHG-2026-00014 --json
expect_out "inbox emptied" "0" -- sh -c "ls '$inbox/new' | wc -l"

# A 0-byte message is kept: a case for triage and its (empty) raw copy in quarantine.
: > "$inbox/new/e4-zero"
expect_out "zero-byte run" "took in 1 message, 1 quarantined; delivered 0" -- du watch --once --now 2026-11-30T12:20:00Z
expect_contains "zero-byte quarantined with its case" "case PHG-2026-00015" -- du quarantine list

# Any failure while taking a message in, not only a parse error, ends with the message in
# quarantine and a case for triage, and the messages behind it still come in. The store is
# made to refuse one attachment's name, as a failing disk or a bug would.
sqlite3 "$home/var/duly.db" "CREATE TRIGGER refuse_poison BEFORE INSERT ON attachments WHEN NEW.name = 'poison.txt' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
printf 'From: imran.hussain@example.org\r\nSubject: Poison\r\nMessage-ID: <poison@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--b\r\nContent-Type: text/plain; name=poison.txt\r\nContent-Disposition: attachment; filename=poison.txt\r\n\r\nx\r\n--b--\r\n' > "$inbox/new/e5-poison"
good aimee.butler@example.org "Gate three" gate-3 > "$inbox/new/e6-good"
expect_out "failing message run" "took in 2 messages, 1 quarantined; delivered 1" -- du watch --once --now 2026-11-30T12:30:00Z
expect_contains "failing message case for triage" "the message could not be taken in: " -- du case show PHG-2026-00016
expect_contains "failing message quarantined" "<poison@example.org>  case PHG-2026-00016" -- du quarantine list
expect_contains "message behind it" '"subject":"Gate three"' -- du case show PHG-2026-00017 --json
expect_out "not taken again" "took in 0 messages; delivered 0" -- du watch --once --now 2026-11-30T12:35:00Z
# The failed attempt's reference was given back: the sequence has no gap.
expect_out "references gapless" "17" -- sqlite3 "$home/var/duly.db" "SELECT last FROM reference_sequences WHERE prefix = 'PHG'"
sqlite3 "$home/var/duly.db" "DROP TRIGGER refuse_poison"

# Scanned post: logged by the mailroom on Monday 08:47 (the Date), arriving at 10:00.
cp "$data/scanned-letter.eml" "$scans/new/scan-1"
expect_out "letter run" "took in 1 message; delivered 0" -- du watch --once --now 2026-11-23T10:00:00Z
expect_contains "letter case" '"channel":"letter"' -- du case show PHG-2026-00018 --json
expect_contains "received when logged" '"received":"2026-11-23T08:47:10+00:00"' -- du case show PHG-2026-00018 --json
expect_contains "customer from the reference" '"customer":"C10001"' -- du case show PHG-2026-00018 --json
expect_contains "officer from the mailbox" '"officer":"jwong"' -- du case show PHG-2026-00018 --json
expect_contains "logged note" "logged by the mailroom at 2026-11-23T08:47:10+00:00 (the scan's Date)" -- du case show PHG-2026-00018
expect_out "scan kept, path stripped" "item 1  SCAN0042.PDF  application/pdf  45 bytes
item 1  passwd  image/tiff  8 bytes" -- du attachments PHG-2026-00018
expect_contains "save scans" "saved as $work/scans/SCAN0042.PDF" -- du attachments PHG-2026-00018 --save "$work/scans"
expect_out "saved bytes" "%PDF-1.4" -- head -c 8 "$work/scans/SCAN0042.PDF"
expect_contains "no overwrite" "(not saved: $work/scans/SCAN0042.PDF exists)" -- du attachments PHG-2026-00018 --save "$work/scans"

# A scan with no customer reference and a Date from the future waits for triage, received on arrival.
sed -e 's/Subject: Scan: letter from customer C10001/Subject: Scan 0043/' \
    -e 's/Message-ID: <scan-20261123-084710-0042@/Message-ID: <scan-43@/' \
    -e 's/Date: Mon, 23 Nov 2026 08:47:10 +0000/Date: Mon, 23 Nov 2026 12:00:00 +0000/' \
    "$data/scanned-letter.eml" > "$scans/new/scan-2"
expect_out "second letter" "took in 1 message; delivered 0" -- du watch --once --now 2026-11-23T10:30:00Z
expect_contains "awaiting triage" "no automatic acknowledgement: the writer is not yet known (awaiting triage)" -- du case show PHG-2026-00019
expect_contains "future date not used" "is after it arrived; counted as received when it arrived, 2026-11-23T10:30:00+00:00" -- du case show PHG-2026-00019
expect_contains "no customer" '"customer":null' -- du case show PHG-2026-00019 --json

finish
