#!/usr/bin/env bash
# duly watch --once against a real Dovecot started here (dovecot.sh): an
# imaps:// mailbox (certificate checked against the test CA, processed by
# flagging), an imap:// mailbox that must use STARTTLS (processed by moving
# to Processed) and a plain loopback one. Checks the cases opened, the
# acknowledgements in the outbox folder, the messages flagged or moved and
# never deleted, that a second run takes nothing twice, that a changed
# UIDVALIDITY is read again without new cases, and that a bad password or
# an untrusted certificate is reported without the password.
# Exits 77 (skipped) when Dovecot is not installed.
set -u
duly="$1"; src="$2"
if ! command -v dovecot >/dev/null || ! command -v doveadm >/dev/null || ! command -v openssl >/dev/null; then
  echo "SKIP: dovecot, doveadm or openssl is not installed (scripts/setup installs dovecot-imapd)"; exit 77
fi
here="$(cd "$(dirname "$0")" && pwd)"
. "$src/tests/app/testlib.sh"
. "$here/dovecot.sh"
work=$(mktemp -d); trap 'dovecot_stop; rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }
du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null

dovecot_start "$work/dovecot" || { echo "FAIL: dovecot did not start"; exit 1; }
# Passwords that need a quoted string with escapes, and a literal (8-bit).
alice_pw='pa ss"wo\rd'
bob_pw='pässwörd'
dovecot_user alice "$alice_pw"
dovecot_user bob "$bob_pw"
dovecot_user carol 'carolpw'
printf '%s\n' "$alice_pw" > "$work/alice-password"
printf '%s\n' 'carolpw' > "$work/carol-password"
export DULY_TEST_BOB="$bob_pw"

n=0
deliver() {  # USER FROM SUBJECT MESSAGE-ID
  n=$((n + 1))
  local f="$DOVECOT_DIR/mail/$1/new/$(date +%s).M$n.duly-test"
  printf 'From: %s\r\nTo: customer.services@progress.example.org\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease help with %s.\r\n' "$2" "$3" "$4" "$3" > "$f"
  chown "$DOVECOT_OWNER" "$f"
}

config() {  # FILE ALICE_CA
  cat > "$1" <<TOML
[mail]
domain = "duly.progress.example.org"
from_name = "Progress Housing Group"
from_address = "customer.services@progress.example.org"
[outbox]
folder = "var/outbox"
[letters]
folder = "var/print"
[[mailbox]]
name = "alice"
url = "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
username = "alice"
password_file = "$work/alice-password"
ca_file = "$2"
charter = "progress"
[[mailbox]]
name = "bob"
url = "imap://localhost:$IMAP_PORT/INBOX"
username = "bob"
password_env = "DULY_TEST_BOB"
ca_file = "$DOVECOT_CERT"
processed = "move:Processed"
charter = "progress"
[[mailbox]]
name = "carol"
url = "imap://127.0.0.1:$IMAP_PORT/INBOX"
plain = true
username = "carol"
password_file = "$work/carol-password"
charter = "progress"
TOML
}
config "$work/duly.toml" "$DOVECOT_CERT"
watch() { du watch --once --config "$work/duly.toml" --now "$1"; }
count() { find "$@" -type f | wc -l; }

deliver alice 'Tom Fairclough <tom.fairclough@example.org>' 'Back door' 'a1@example.org'
deliver alice 'Nasreen Akhtar <nasreen.akhtar@example.org>' 'Repair' 'a2@example.org'
deliver bob 'Ann Other <ann.other@example.org>' 'Fence' 'b1@example.org'
deliver carol 'Kit Lee <kit.lee@example.org>' 'Gutter' 'c1@example.org'

expect_out "first run" "took in 4 messages; delivered 4" -- watch 2026-11-23T10:05:00Z
expect_out "four cases" "4" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
expect_out "four acknowledgements" "4" -- sh -c "ls '$home/var/outbox' -I tmp | wc -l"
expect_contains "acknowledgement threaded" "In-Reply-To: <a1@example.org>" -- sh -c "cat '$home'/var/outbox/*.eml"
# alice: flagged \Seen (S in the Maildir name) and kept.
expect_out "alice kept and seen" "2 2" -- sh -c "echo \$(find '$DOVECOT_DIR/mail/alice/cur' -type f | wc -l) \$(find '$DOVECOT_DIR/mail/alice/cur' -type f -name '*:2,*S*' | wc -l)"
# bob: moved to Processed, none left in the inbox, none marked deleted.
expect_out "bob moved" "0 1" -- sh -c "echo \$(find '$DOVECOT_DIR/mail/bob/new' '$DOVECOT_DIR/mail/bob/cur' -type f | wc -l) \$(find '$DOVECOT_DIR/mail/bob/.Processed' -path '*/cur/*' -o -path '*/new/*' | grep -c .)"
expect_out "nothing deleted" "0" -- sh -c "find '$DOVECOT_DIR/mail' -type f -name '*:2,*T*' | wc -l"

# Nothing twice; a new message is taken alone.
expect_out "second run, nothing new" "took in 0 messages; delivered 0" -- watch 2026-11-23T10:10:00Z
deliver alice 'Tom Fairclough <tom.fairclough@example.org>' 'Window' 'a3@example.org'
expect_out "third run, one new" "took in 1 message; delivered 1" -- watch 2026-11-23T10:15:00Z
expect_out "five cases" "5" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"

# A new UIDVALIDITY: the folder is read again; what was taken is recognised.
dovecot_as doveadm -c "$DOVECOT_CONF" mailbox update -u carol --uid-validity 7777 INBOX
out=$(watch 2026-11-23T10:20:00Z 2>"$work/err"); rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "took in 0 messages, 1 already taken in; delivered 0" ] && pass || fail "uidvalidity changed: exit $rc: $out $(cat "$work/err")"
grep -q "duly: mailbox carol: UIDVALIDITY changed from [0-9]* to 7777; reading the folder again" "$work/err" && pass || fail "uidvalidity not logged: $(cat "$work/err")"
expect_out "after uidvalidity, nothing again" "took in 0 messages; delivered 0" -- watch 2026-11-23T10:21:00Z
expect_out "still five cases" "5" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
expect_out "still five acknowledgements" "5" -- sh -c "ls '$home/var/outbox' -I tmp | wc -l"

# A wrong password is reported, without the password; the run says one failed.
printf 'wrong"secret\n' > "$work/alice-password"
deliver alice 'Tom Fairclough <tom.fairclough@example.org>' 'Roof' 'a4@example.org'
out=$(watch 2026-11-23T10:25:00Z 2>&1); rc=$?
[ "$rc" -eq 1 ] && pass || fail "bad password: exit $rc, expected 1: $out"
case "$out" in *"mailbox alice: IMAP 127.0.0.1: LOGIN as alice failed: NO [AUTHENTICATIONFAILED]"*) pass ;; *) fail "bad password message: $out" ;; esac
case "$out" in *'wrong"secret'*) fail "the password appeared in the output" ;; *) pass ;; esac
printf '%s\n' "$alice_pw" > "$work/alice-password"

# A certificate the mailbox does not trust: nothing is read from it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other -keyout /dev/null -out "$work/untrusted.pem" 2>/dev/null
config "$work/duly.toml" "$work/untrusted.pem"
out=$(watch 2026-11-23T10:30:00Z 2>&1); rc=$?
[ "$rc" -eq 1 ] && pass || fail "untrusted certificate: exit $rc, expected 1: $out"
case "$out" in *"mailbox alice: IMAP 127.0.0.1:$IMAPS_PORT: cannot connect:"*) pass ;; *) fail "untrusted certificate message: $out" ;; esac
expect_out "roof not taken while untrusted" "5" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
config "$work/duly.toml" "$DOVECOT_CERT"
expect_out "taken once trusted" "took in 1 message; delivered 1" -- watch 2026-11-23T10:35:00Z

# An empty attachment between two good messages: all three open cases, and the IMAP
# progress moves past each (before, the empty BLOB broke a NOT NULL column, the middle
# message was retried for ever and every later message in the folder waited behind it).
deliver carol 'Ann Other <ann.other@example.org>' 'Step one' 'e1@example.org'
n=$((n + 1)); f="$DOVECOT_DIR/mail/carol/new/$(date +%s).M$n.duly-test"
printf 'From: Kit Lee <kit.lee@example.org>\r\nSubject: Photo\r\nMessage-ID: <e2@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPhoto attached.\r\n--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=IMG_0001.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n\r\n--b--\r\n' > "$f"
chown "$DOVECOT_OWNER" "$f"
deliver carol 'Ann Other <ann.other@example.org>' 'Step three' 'e3@example.org'
expect_out "empty attachment between two good messages" "took in 3 messages; delivered 3" -- watch 2026-11-23T10:40:00Z
expect_out "three more cases" "9" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
expect_contains "the empty file is kept" "IMG_0001.jpg  image/jpeg  0 bytes" -- sh -c "'$duly' --home '$home' attachments \$('$duly' --home '$home' case list --state all | grep Photo | cut -d' ' -f1)"
expect_out "nothing left for the next run" "took in 0 messages; delivered 0" -- watch 2026-11-23T10:45:00Z

# duly serve keeps IDLE open: a message is taken in within seconds although
# the serve loop would otherwise wait an hour (--poll 3600).
"$duly" --home "$home" serve --config "$work/duly.toml" --poll 3600 --no-sample --no-web > "$work/serve.out" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q "duly is running" "$work/serve.out" && break; sleep 0.1; done
sleep 2
deliver alice 'Drew Lane <drew.lane@example.org>' 'Drain' 'a5@example.org'
start=$(date +%s%N); got=0
for _ in $(seq 150); do
  grep -lq "In-Reply-To: <a5@example.org>" "$home"/var/outbox/*.eml 2>/dev/null && { got=1; break; }
  sleep 0.1
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
kill -TERM "$serve"; wait "$serve"
[ "$got" = 1 ] && pass || { fail "serve: no acknowledgement within 15 s of delivery (IDLE)"; cat "$work/serve.out"; }
echo "IDLE: delivery to acknowledgement in ${elapsed} ms"
grep -q "duly: stopping (terminated)" "$work/serve.out" && pass || fail "serve did not stop on SIGTERM: $(tail -5 "$work/serve.out")"

finish
