#!/usr/bin/env bash
# OAuth 2.0 end to end: duly against a real Dovecot whose oauth2 passdb asks
# a token server (oauth2_servers.py, started here on loopback) whether each
# token is active, and an SMTP server (aiosmtpd, same script) that takes
# only XOAUTH2 with a valid token, as Microsoft 365 does. Mailboxes: alice
# (client-credentials grant, imaps://), bob (refresh-token grant, STARTTLS,
# a folder named in Urdu), carol (password, unchanged) and dan (a folder
# "Complaints – Cwynion", processed by moving). Checks: check-mail signs in
# everywhere and changes nothing; messages are taken in, acknowledged and
# delivered; a token the servers refuse is renewed once without losing a
# message; duly serve keeps IDLE working across token renewals; a revoked
# client secret or refresh token is reported naming the mailbox, the
# endpoint and the OAuth error, never the secret, and exits 1; bad oauth2
# config is refused naming the file and key.
# Exits 77 (skipped) without Dovecot or python3-aiosmtpd.
set -u
duly="$1"; src="$2"
if ! command -v dovecot >/dev/null || ! command -v doveadm >/dev/null || ! command -v openssl >/dev/null; then
  echo "SKIP: dovecot, doveadm or openssl is not installed (scripts/setup installs dovecot-imapd)"; exit 77
fi
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "SKIP: python3-aiosmtpd is not installed (scripts/setup installs it)"; exit 77; }
here="$(cd "$(dirname "$0")" && pwd)"
. "$src/tests/app/testlib.sh"
. "$src/tests/mail-imap/dovecot.sh"
work=$(mktemp -d)
servers=""; serve=""
cleanup() {
  [ -n "$serve" ] && kill "$serve" 2>/dev/null
  [ -n "$servers" ] && kill "$servers" 2>/dev/null
  dovecot_stop; [ -n "${DULY_TEST_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
home="$work/home"; mkdir -p "$home" "$work/oauth"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }
du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null

# The token server: which client may have a token for which user.
HTTP_PORT=$(free_port); SMTP_PORT=$(free_port); HTTPS_PORT=$(free_port); WRONG_NAME_PORT=$(free_port)
# Two certificates for the HTTPS token endpoint: one for 127.0.0.1, one for
# another name (trusted, but not this host's: must be refused).
for c in "token:IP:127.0.0.1" "wrong:DNS:elsewhere.example"; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=${c%%:*}" -addext "subjectAltName=${c#*:}" \
    -keyout "$work/${c%%:*}-key.pem" -out "$work/${c%%:*}-cert.pem" 2>/dev/null || { echo "FAIL: openssl"; exit 1; }
done
cat > "$work/oauth/clients" <<C
alice-app alice-secret-Qx9 alice
dan-app dan-secret-Rt4 dan
smtp-app smtp-secret-Mw2 customer.services@progress.example.org
C
echo "1//bob-refresh-token bob-app.apps.googleusercontent.com bob" > "$work/oauth/refresh-tokens"
/usr/bin/python3 "$here/oauth2_servers.py" "$HTTP_PORT" "$SMTP_PORT" "$work/oauth" --xoauth2-only \
  --https "$HTTPS_PORT" "$work/token-cert.pem" "$work/token-key.pem" \
  --https "$WRONG_NAME_PORT" "$work/wrong-cert.pem" "$work/wrong-key.pem" > "$work/servers.log" 2>&1 &
servers=$!
# The whole line: a traceback saying "Address already in use" contains "ready".
for _ in $(seq 100); do grep -qx ready "$work/servers.log" 2>/dev/null && break; sleep 0.1; done
grep -qx ready "$work/servers.log" || { echo "FAIL: the token and SMTP servers did not start"; cat "$work/servers.log"; exit 1; }

cat > "$work/oauth2.conf.ext" <<C
introspection_mode = post
introspection_url = http://127.0.0.1:$HTTP_PORT/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
C
DOVECOT_EXTRA="auth_mechanisms = plain xoauth2 oauthbearer
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $work/oauth2.conf.ext
}"
dovecot_start "$work/dovecot" || { echo "FAIL: dovecot did not start"; exit 1; }
for u in alice bob carol dan; do dovecot_user "$u" "$u-password"; done
urdu='شکایات'
complaints='Complaints – Cwynion'
dove() { dovecot_as doveadm -c "$DOVECOT_CONF" "$@"; }
count_in() { dove search -u "$1" mailbox "$2" "${3:-ALL}" | wc -l; }  # USER FOLDER [SEARCH]
dove mailbox create -u bob "$urdu" || { echo "FAIL: cannot create bob's folder"; exit 1; }
dove mailbox create -u dan "$complaints" "Processed" 2>/dev/null
# Dovecot keeps the names in modified UTF-7: what Duly must send.
dove mailbox list -u bob | grep -qx "$urdu" && pass || fail "dovecot lists bob's folder as $(dove mailbox list -u bob | tr '\n' ' ')"

n=0
message() {  # FROM SUBJECT MESSAGE-ID
  printf 'From: %s\r\nTo: customer.services@progress.example.org\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease help with %s.\r\n' "$1" "$2" "$3" "$2"
}
deliver() {  # USER FOLDER FROM SUBJECT MESSAGE-ID
  n=$((n + 1)); message "$3" "$4" "$5" > "$work/msg.$n"
  chmod 644 "$work/msg.$n"
  dove save -u "$1" -m "$2" < "$work/msg.$n" || fail "doveadm save to $1/$2"
}

printf 'alice-secret-Qx9\n' > "$work/alice-secret"
printf 'smtp-secret-Mw2\n' > "$work/smtp-secret"
printf '1//bob-refresh-token\n' > "$work/bob-refresh"
printf 'carol-password\n' > "$work/carol-password"
export DULY_TEST_DAN_SECRET='dan-secret-Rt4'
export DULY_TEST_BOB_SECRET='google-client-secret'
token_url="http://127.0.0.1:$HTTP_PORT/token"
cat > "$work/duly.toml" <<TOML
[mail]
domain = "duly.progress.example.org"
from_name = "Progress Housing Group"
from_address = "customer.services@progress.example.org"
[smtp]
host = "127.0.0.1"
port = $SMTP_PORT
security = "plain"
username = "customer.services@progress.example.org"
auth = "oauth2"
oauth2_token_url = "$token_url"
oauth2_client_id = "smtp-app"
oauth2_client_secret_file = "$work/smtp-secret"
oauth2_scope = "https://outlook.office365.com/.default"
[[mailbox]]
name = "alice"
url = "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
ca_file = "$DOVECOT_CERT"
username = "alice"
auth = "oauth2"
oauth2_token_url = "$token_url"
oauth2_client_id = "alice-app"
oauth2_client_secret_file = "$work/alice-secret"
oauth2_scope = "https://outlook.office365.com/.default"
charter = "progress"
[[mailbox]]
name = "bob"
url = "imap://localhost:$IMAP_PORT/$urdu"
ca_file = "$DOVECOT_CERT"
username = "bob"
auth = "oauth2"
oauth2_token_url = "$token_url"
oauth2_client_id = "bob-app.apps.googleusercontent.com"
oauth2_client_secret_env = "DULY_TEST_BOB_SECRET"
oauth2_refresh_token_file = "$work/bob-refresh"
charter = "progress"
[[mailbox]]
name = "carol"
url = "imap://127.0.0.1:$IMAP_PORT/INBOX"
plain = true
username = "carol"
password_file = "$work/carol-password"
charter = "progress"
[[mailbox]]
name = "dan"
url = "imap://127.0.0.1:$IMAP_PORT/$complaints"
plain = true
username = "dan"
auth = "oauth2"
oauth2_token_url = "$token_url"
oauth2_client_id = "dan-app"
oauth2_client_secret_env = "DULY_TEST_DAN_SECRET"
oauth2_scope = "https://outlook.office365.com/.default"
processed = "move:Processed"
charter = "progress"
TOML
watch() { du watch --once --config "$work/duly.toml" --now "$1"; }
grants() { grep -c "^token $1 $2 ok" "$work/oauth/token.log"; }
received() { ls "$work/oauth/received" | wc -l; }
cases() { du case list --state all | wc -l; }

deliver alice INBOX 'Tom Fairclough <tom.fairclough@example.org>' 'Back door' 'a1@example.org'
deliver bob "$urdu" 'Amina Rahman <amina.rahman@example.org>' 'Damp' 'b1@example.org'
deliver carol INBOX 'Sam Ode <sam.ode@example.org>' 'Fence' 'c1@example.org'
deliver dan "$complaints" 'Gwen Price <gwen.price@example.org>' 'Noise' 'd1@example.org'

# check-mail: every sign-in, what each folder holds; nothing read or sent.
expect_out "check-mail" "mailbox alice: signed in as alice with OAUTHBEARER; folder INBOX: 1 message; IDLE: yes
mailbox bob: signed in as bob with OAUTHBEARER; folder $urdu: 1 message; IDLE: yes
mailbox carol: signed in as carol with LOGIN; folder INBOX: 1 message; IDLE: yes
mailbox dan: signed in as dan with OAUTHBEARER; folder $complaints: 1 message; IDLE: yes
smtp 127.0.0.1:$SMTP_PORT: signed in as customer.services@progress.example.org with XOAUTH2; AUTH offered: XOAUTH2; nothing sent
all 5 connections work" -- du check-mail --config "$work/duly.toml"
start=$(date +%s%N)
du check-mail --config "$work/duly.toml" >/dev/null
echo "check-mail: 4 mailboxes and SMTP, each with a new token, in $(( ($(date +%s%N) - start) / 1000000 )) ms"
expect_out "check-mail sent nothing" "0" -- received
expect_out "check-mail left the messages unread" "0" -- count_in alice INBOX SEEN
expect_out "both grants used" "2 2 2" -- sh -c "echo \$(grep -c '^token client_credentials alice-app ok' '$work/oauth/token.log') \$(grep -c '^token refresh_token bob-app.apps.googleusercontent.com ok' '$work/oauth/token.log') \$(grep -c '^token client_credentials smtp-app ok' '$work/oauth/token.log')"
expect_out "smtp signed in with xoauth2" "2" -- sh -c "grep -c '^smtp-auth XOAUTH2 customer.services@progress.example.org ok' '$work/oauth/token.log'"

# Taken in, acknowledged over SMTP with a token, flagged or moved.
expect_out "taken in and delivered" "took in 4 messages; delivered 4" -- watch 2026-11-23T10:00:00Z
expect_out "four acknowledgements arrived" "4" -- received
expect_out "four cases" "4" -- cases
expect_contains "alice flagged" '$Duly' -- dove fetch -u alice flags mailbox INBOX all
expect_out "dan's message moved out of the en-dash folder" "0" -- count_in dan "$complaints"
expect_out "dan's message in Processed" "1" -- count_in dan Processed
expect_out "nothing twice" "took in 0 messages; delivered 0" -- watch 2026-11-23T10:01:00Z

# A token the servers refuse (revoked after it was issued): renewed once,
# nothing lost, for IMAP and SMTP alike.
printf 'alice-app\nsmtp-app\n' > "$work/oauth/dead-next"
deliver alice INBOX 'Lee Hart <lee.hart@example.org>' 'Gutter' 'a2@example.org'
before_alice=$(grants client_credentials alice-app); before_smtp=$(grants client_credentials smtp-app)
expect_out "refused token renewed" "took in 1 message; delivered 1" -- watch 2026-11-23T10:05:00Z
expect_out "alice: two tokens this run" "2" -- sh -c "echo \$(( \$(grep -c '^token client_credentials alice-app ok' '$work/oauth/token.log') - $before_alice ))"
expect_out "smtp: two tokens this run" "2" -- sh -c "echo \$(( \$(grep -c '^token client_credentials smtp-app ok' '$work/oauth/token.log') - $before_smtp ))"
expect_out "smtp refused the dead token first" "1" -- sh -c "grep -c '^smtp-auth XOAUTH2 customer.services@progress.example.org refused' '$work/oauth/token.log'"
expect_out "five acknowledgements" "5" -- received

# duly serve: tokens of four seconds, so IDLE must end and sign in again
# with a fresh token, several times; mail delivered after that still comes in.
echo 4 > "$work/oauth/lifetime"
base=$(grants client_credentials alice-app)
"$duly" --home "$home" serve --config "$work/duly.toml" --poll 3600 --no-sample --no-web > "$work/serve.out" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q "duly is running" "$work/serve.out" && break; sleep 0.1; done
renewed=0
for _ in $(seq 600); do
  [ $(( $(grants client_credentials alice-app) - base )) -ge 3 ] && { renewed=1; break; }
  sleep 0.1
done
[ "$renewed" = 1 ] && pass || fail "serve: alice's token was not renewed three times: $(tail -5 "$work/oauth/token.log")"
deliver alice INBOX 'Drew Lane <drew.lane@example.org>' 'Drain' 'a3@example.org'
got=0
for _ in $(seq 200); do
  grep -lq "In-Reply-To: <a3@example.org>" "$work/oauth/received"/*.eml 2>/dev/null && { got=1; break; }
  sleep 0.1
done
[ "$got" = 1 ] && pass || { fail "serve: the message after the renewals was not acknowledged"; cat "$work/serve.out"; }
kill -TERM "$serve"; wait "$serve"; serve=""
grep -q "duly: stopping (terminated)" "$work/serve.out" && pass || fail "serve did not stop: $(tail -5 "$work/serve.out")"
echo 3600 > "$work/oauth/lifetime"

# A revoked client secret: the mailbox, the endpoint, the OAuth error; never
# the secret; exit 1. The other mailboxes still work in the same run.
sed -i 's/^alice-app alice-secret-Qx9 /alice-app a-new-secret /' "$work/oauth/clients"
deliver alice INBOX 'Kim Bell <kim.bell@example.org>' 'Window' 'a4@example.org'
deliver carol INBOX 'Sam Ode <sam.ode@example.org>' 'Gate' 'c2@example.org'
out=$(watch 2026-11-23T11:00:00Z 2>&1); rc=$?
[ "$rc" -eq 1 ] && pass || fail "revoked secret: exit $rc, expected 1: $out"
expect_out "revoked secret message" "duly: mailbox alice: the token endpoint $token_url refused: invalid_client: AADSTS7000215: Invalid client secret provided. (check the client id and that the client secret has not expired or been replaced)
took in 1 message, 1 left for the next run; delivered 1" -- printf '%s\n' "$out"
expect_out "check-mail says so too" "mailbox alice: FAILED: the token endpoint $token_url refused: invalid_client: AADSTS7000215: Invalid client secret provided. (check the client id and that the client secret has not expired or been replaced)
1 of 5 connections failed" -- sh -c "'$duly' --home '$home' check-mail --config '$work/duly.toml' | grep -v 'signed in'; exit 0"
expect_fail "check-mail exits 1" 1 "" -- sh -c "'$duly' --home '$home' check-mail --config '$work/duly.toml' >/dev/null"
# The secret fixed: the message that waited comes in.
printf 'a-new-secret\n' > "$work/alice-secret"
expect_out "taken once the secret is fixed" "took in 1 message; delivered 1" -- watch 2026-11-23T11:05:00Z

# A revoked refresh token (Google): invalid_grant, the same way.
echo "1//another bob-app.apps.googleusercontent.com bob" > "$work/oauth/refresh-tokens"
out=$(watch 2026-11-23T11:10:00Z 2>&1); rc=$?
[ "$rc" -eq 1 ] && pass || fail "revoked refresh token: exit $rc: $out"
expect_out "revoked refresh token message" "duly: mailbox bob: the token endpoint $token_url refused: invalid_grant: Token has been expired or revoked. (the refresh token is no longer valid: make a new one, see docs/google-workspace.md)
took in 0 messages, 1 left for the next run; delivered 0" -- printf '%s\n' "$out"

# No secret, refresh token or access token in anything duly wrote.
secrets_found=$(grep -rlE "alice-secret-Qx9|a-new-secret|smtp-secret-Mw2|dan-secret-Rt4|bob-refresh-token|google-client-secret|tok\.[A-Za-z0-9_-]{20}" \
  "$work/serve.out" "$home/var" 2>/dev/null | grep -v '\.db' )
[ -z "$secrets_found" ] && pass || fail "a secret or token was written to: $secrets_found"

# Bad oauth2 config: refused at start, naming the file, line and key.
bad() {  # NAME EXPECTED-MESSAGE TOML-LINES...
  local name="$1" expected="$2"; shift 2
  { printf '[mail]\ndomain = "d.example"\nfrom_address = "a@d.example"\n[[mailbox]]\nname = "m"\nurl = "imaps://h/INBOX"\ncharter = "progress"\nusername = "m@d.example"\n'; printf '%s\n' "$@"; } > "$work/bad.toml"
  expect_fail "$name" 2 "duly: $work/bad.toml:$expected" -- du check-mail --config "$work/bad.toml"
}
bad "unknown auth" '9: mailbox[1].auth: expected "password" or "oauth2", found "oauth"' 'auth = "oauth"'
bad "http token url" '10: mailbox[1].oauth2_token_url: "http://login.example.com/token": plain http:// is allowed only to a loopback address (tests); use https://' \
  'auth = "oauth2"' 'oauth2_token_url = "http://login.example.com/token"' 'oauth2_client_id = "c"' 'oauth2_client_secret_env = "S"' 'oauth2_scope = "s"'
bad "no secret" '4: mailbox[1].oauth2_client_secret_file: missing: auth = "oauth2" needs oauth2_client_secret_file or oauth2_client_secret_env (client-credentials grant) or oauth2_refresh_token_file (refresh-token grant)' \
  'auth = "oauth2"' 'oauth2_token_url = "https://login.example.com/token"' 'oauth2_client_id = "c"'
bad "oauth2 key without auth" '9: mailbox[1].oauth2_client_id: is for auth = "oauth2" (add that line, or remove this one)' 'oauth2_client_id = "c"'

# A server without SASL-IR: the token goes after the server's first "+".
dovecot_stop
DOVECOT_EXTRA="$DOVECOT_EXTRA
protocol imap {
  imap_capability = IMAP4rev1 LITERAL+ ID ENABLE IDLE
}"
dovecot_start "$work/dovecot-no-sasl-ir" || { echo "FAIL: the second dovecot did not start"; exit 1; }
dovecot_user alice alice-password
greeting=$(exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT"; head -1 <&3)
case "$greeting" in *SASL-IR*) fail "the second dovecot still offers SASL-IR: $greeting" ;; *AUTH=OAUTHBEARER*) pass ;; *) fail "greeting: $greeting" ;; esac
sed -n '1,/^\[smtp\]/p' "$work/duly.toml" | grep -v '^\[smtp\]' > "$work/one.toml"
cat >> "$work/one.toml" <<TOML
[[mailbox]]
name = "alice"
url = "imap://127.0.0.1:$IMAP_PORT/INBOX"
plain = true
username = "alice"
auth = "oauth2"
oauth2_token_url = "$token_url"
oauth2_client_id = "alice-app"
oauth2_client_secret_file = "$work/alice-secret"
oauth2_scope = "https://outlook.office365.com/.default"
charter = "progress"
TOML
expect_out "without SASL-IR" "mailbox alice: signed in as alice with OAUTHBEARER; folder INBOX: 0 messages; IDLE: yes
smtp: not configured; acknowledgements go to the outbox folder $home/var/outbox
the connection works" -- du check-mail --config "$work/one.toml"

# The token endpoint over HTTPS: trusted through ca_file (which also serves
# the mail server), refused when not trusted or issued to another name.
cat "$work/token-cert.pem" "$work/wrong-cert.pem" > "$work/token-ca.pem"
https_config() {  # URL CA_FILE
  sed -e "s|^oauth2_token_url = .*|oauth2_token_url = \"$1\"|" -e "/^plain = true/a ca_file = \"$2\"" "$work/one.toml" > "$work/https.toml"
}
https_config "https://127.0.0.1:$HTTPS_PORT/token" "$work/token-ca.pem"
expect_contains "https endpoint trusted by ca_file" "the connection works" -- du check-mail --config "$work/https.toml"
https_config "https://127.0.0.1:$HTTPS_PORT/token" "$DOVECOT_CERT"
out=$(du check-mail --config "$work/https.toml" 2>&1); rc=$?
case "$rc:$out" in "1:mailbox alice: FAILED: cannot reach the token endpoint https://127.0.0.1:$HTTPS_PORT/token: "*) pass ;; *) fail "untrusted https endpoint: $rc: $out" ;; esac
https_config "https://127.0.0.1:$WRONG_NAME_PORT/token" "$work/token-ca.pem"
out=$(du check-mail --config "$work/https.toml" 2>&1); rc=$?
case "$rc:$out" in "1:mailbox alice: FAILED: cannot reach the token endpoint https://127.0.0.1:$WRONG_NAME_PORT/token: "*) pass ;; *) fail "https endpoint with another name's certificate: $rc: $out" ;; esac
echo "$out" | head -1

finish
