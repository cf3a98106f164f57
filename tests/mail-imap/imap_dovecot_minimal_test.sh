#!/usr/bin/env bash
# A server that offers neither MOVE nor IDLE (Dovecot with its capability
# list cut down): processed = "move:Processed" copies the message and marks
# the original \Deleted without expunging it, and duly serve falls back to
# polling every poll_seconds. A message over 64 MiB is quarantined from
# its first 1 MiB. Then a connection dropped in the middle of a
# FETCH (cut_proxy.py): nothing half-read is taken in, the run says so, and
# the next run takes every message once. Exits 77 (skipped) without Dovecot.
set -u
duly="$1"; src="$2"
if ! command -v dovecot >/dev/null || ! command -v doveadm >/dev/null || ! command -v openssl >/dev/null; then
  echo "SKIP: dovecot, doveadm or openssl is not installed (scripts/setup installs dovecot-imapd)"; exit 77
fi
here="$(cd "$(dirname "$0")" && pwd)"
. "$src/tests/app/testlib.sh"
. "$here/dovecot.sh"
work=$(mktemp -d); trap 'kill ${serve:-} ${proxy:-} 2>/dev/null; dovecot_stop; rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }

DOVECOT_EXTRA='protocol imap {
  imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE UIDPLUS
}'
dovecot_start "$work/dovecot" || { echo "FAIL: dovecot did not start"; exit 1; }
dovecot_user dana 'danapw'
# Every user before the first login: Dovecot may not notice a passwd-file
# changed within the second it last read it.
dovecot_user erin 'erinpw'
printf 'danapw\n' > "$work/dana-password"
cat > "$work/duly.toml" <<TOML
[mail]
domain = "duly.progress.example.org"
from_address = "customer.services@progress.example.org"
[outbox]
folder = "var/outbox"
[[mailbox]]
name = "dana"
url = "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
username = "dana"
password_file = "$work/dana-password"
ca_file = "$DOVECOT_CERT"
processed = "move:Processed"
poll_seconds = 5
charter = "progress"
TOML
n=0
deliver() {  # FROM SUBJECT MESSAGE-ID [USER]
  n=$((n + 1))
  local f="$DOVECOT_DIR/mail/${4:-dana}/new/$(date +%s).M$n.duly-test"
  printf 'From: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\n\r\nPlease help.\r\n' "$1" "$2" "$3" > "$f"
  chown "$DOVECOT_OWNER" "$f"
}

deliver 'Ann Other <ann.other@example.org>' 'Fence' 'd1@example.org'
expect_out "taken without MOVE" "took in 1 message; delivered 1" -- du watch --once --config "$work/duly.toml" --now 2026-11-23T10:05:00Z
expect_out "copied to Processed" "1" -- sh -c "find '$DOVECOT_DIR/mail/dana/.Processed' -type f -path '*/cur/*' -o -type f -path '*/new/*' | grep -c ."
expect_out "original kept, marked deleted" "1 1" -- sh -c "echo \$(find '$DOVECOT_DIR/mail/dana/cur' '$DOVECOT_DIR/mail/dana/new' -type f | wc -l) \$(find '$DOVECOT_DIR/mail/dana/cur' -type f -name '*:2,*T*' | wc -l)"
expect_out "not taken again" "took in 0 messages; delivered 0" -- du watch --once --config "$work/duly.toml" --now 2026-11-23T10:06:00Z

# A message over 64 MiB: its first 1 MiB is quarantined with a case for
# triage, and it is processed like any other (it must not block the mailbox).
python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"From: Big Sender <big@example.org>\r\nSubject: Scans\r\nMessage-ID: <big-1@example.org>\r\n\r\n")
    line = b"x" * 998 + b"\r\n"
    for _ in range(70 * 1024):
        f.write(line)
' "$DOVECOT_DIR/mail/dana/new/big.duly-test"
chown "$DOVECOT_OWNER" "$DOVECOT_DIR/mail/dana/new/big.duly-test"
expect_contains "too large taken" "took in 1 message, 1 quarantined" -- du watch --once --config "$work/duly.toml" --now 2026-11-23T10:07:00Z
expect_contains "too large quarantined" "the message is 71680087 bytes, over the limit of 67108864; the first 1048576 bytes are kept" -- du quarantine list
expect_out "too large moved" "2" -- sh -c "find '$DOVECOT_DIR/mail/dana/.Processed' -type f -path '*/cur/*' -o -type f -path '*/new/*' | grep -c ."

# No IDLE: serve polls every poll_seconds although its loop would wait an hour.
"$duly" --home "$home" serve --config "$work/duly.toml" --poll 3600 --no-sample --no-web > "$work/serve.out" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q "duly is running" "$work/serve.out" && break; sleep 0.1; done
sleep 2
deliver 'Drew Lane <drew.lane@example.org>' 'Drain' 'd2@example.org'
got=0
for _ in $(seq 150); do
  grep -lq "In-Reply-To: <d2@example.org>" "$home"/var/outbox/*.eml 2>/dev/null && { got=1; break; }
  sleep 0.1
done
kill -TERM "$serve"; wait "$serve"; serve=
[ "$got" = 1 ] && pass || { fail "serve without IDLE: no acknowledgement within 15 s"; cat "$work/serve.out"; }

# The connection drops in the middle of the FETCH answer.
printf 'erinpw\n' > "$work/erin-password"
"$here/cut_proxy.py" "$IMAP_PORT" 300 > "$work/proxy.port" &
proxy=$!
for _ in $(seq 50); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
cat > "$work/erin.toml" <<TOML
[mail]
domain = "duly.progress.example.org"
from_address = "customer.services@progress.example.org"
[outbox]
folder = "var/outbox"
[[mailbox]]
name = "erin"
url = "imap://127.0.0.1:$(cat "$work/proxy.port")/INBOX"
plain = true
username = "erin"
password_file = "$work/erin-password"
charter = "progress"
TOML
for i in 1 2 3; do deliver "Sender $i <sender$i@example.org>" "Question $i" "e$i@example.org" erin; done
cases_before=$(du case list --state all | wc -l)
out=$(du watch --once --config "$work/erin.toml" --now 2026-11-23T11:00:00Z 2>"$work/err"); rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "took in 0 messages, 1 left for the next run; delivered 0" ] && pass || fail "dropped fetch: exit $rc: $out"
grep -q "duly: mailbox erin: IMAP 127.0.0.1: UID FETCH: the server closed the connection" "$work/err" && pass || fail "dropped fetch message: $(cat "$work/err")"
expect_out "no case from half a message" "$cases_before" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
expect_out "taken after the drop" "took in 3 messages; delivered 3" -- du watch --once --config "$work/erin.toml" --now 2026-11-23T11:05:00Z
expect_out "each once" "took in 0 messages; delivered 0" -- du watch --once --config "$work/erin.toml" --now 2026-11-23T11:10:00Z

finish
