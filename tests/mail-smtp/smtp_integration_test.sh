#!/usr/bin/env bash
# Acknowledgements through a real SMTP server (Debian's aiosmtpd, on
# loopback): the server first answers 451, so the acknowledgement waits and
# is retried; at the next run it answers 250 and exactly one copy arrives,
# threaded on the customer's message. A recipient the server refuses (550)
# is a permanent failure, written on the case, never retried.
set -u
duly="$1"; src="$2"
. "$src/tests/app/testlib.sh"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "SKIP: python3-aiosmtpd is not installed (scripts/setup installs it)"; exit 77; }
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
home="$work/home"; mkdir -p "$home" "$work/received"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 "$src/tests/mail-smtp/smtp_server.py" "$port" "$work/received" --defer 1 > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do grep -q ready "$work/server.log" 2>/dev/null && break; sleep 0.1; done

cat > "$home/config/duly.toml" <<TOML
[mail]
domain = "duly.progress.example.org"
from_name = "Progress Housing Group"
from_address = "customer.services@progress.example.org"

[smtp]
host = "127.0.0.1"
port = $port
security = "plain"

[[mailbox]]
name = "inbox"
url = "maildir:var/mail/inbox"
channel = "email"
charter = "progress"
assign = "officer:sali"
TOML

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null
printf 'From: Tom Fairclough <tom.fairclough@example.org>\r\nSubject: Back door\r\nMessage-ID: <s1@example.org>\r\n\r\nThe back door still sticks.\r\n' > "$inbox/new/1.eml"

expect_out "451: kept for a retry" "took in 1 message; delivered 0, 1 to retry" -- du watch --once --now 2026-11-23T10:05:00Z
expect_out "nothing arrived yet" "0" -- sh -c "ls '$work/received' | wc -l"
expect_out "not due again within the minute" "took in 0 messages; delivered 0" -- du watch --once --now 2026-11-23T10:05:30Z
expect_out "250 on the retry" "took in 0 messages; delivered 1" -- du watch --once --now 2026-11-23T10:07:00Z
expect_out "exactly one copy" "1" -- sh -c "ls '$work/received' | wc -l"
expect_contains "threaded" "In-Reply-To: <s1@example.org>" -- cat "$work/received/001.eml"
expect_contains "deterministic id" "Message-ID: <PHG-2026-00001.acknowledgement@duly.progress.example.org>" -- cat "$work/received/001.eml"
expect_contains "acknowledged on delivery" '"acknowledged_at":"2026-11-23T10:07:00+00:00"' -- du case show PHG-2026-00001 --json
expect_out "delivered once, however often watch runs" "took in 0 messages; delivered 0" -- du watch --once --now 2026-11-23T11:00:00Z

# 550 at RCPT: permanent, on the case, not retried.
printf 'From: Someone <reject.me@example.org>\r\nSubject: Fence\r\nMessage-ID: <s2@example.org>\r\n\r\nThe fence is down.\r\n' > "$inbox/new/2.eml"
expect_out "550: failed, and the log says why" "duly: PHG-2026-00002: acknowledgement to reject.me@example.org could not be delivered: permanent 550: 550 5.1.1 no such user here
took in 1 message; delivered 0, 1 failed" -- du watch --once --now 2026-11-23T12:00:00Z
expect_contains "failure on the case" "acknowledgement to reject.me@example.org failed: permanent 550" -- du case show PHG-2026-00002
expect_out "not retried" "took in 0 messages; delivered 0" -- du watch --once --now 2026-11-24T12:00:00Z
expect_out "still one copy" "1" -- sh -c "ls '$work/received' | wc -l"

# Many at once on one connection ([smtp] connections = 1): a refused
# recipient in the middle is cleared with RSET and the connection carries on.
sed -i 's/^security = "plain"$/security = "plain"\nconnections = 1/' "$home/config/duly.toml"
for i in 1 2 3 4 5 6; do
  from="tenant$i@example.org"; [ "$i" = 3 ] && from="reject.too@example.org"
  printf 'From: <%s>\r\nSubject: Gutter %s\r\nMessage-ID: <many-%s@example.org>\r\n\r\nThe gutter leaks.\r\n' "$from" "$i" "$i" > "$inbox/new/many-$i.eml"
done
sessions_before=$(wc -l < "$work/smtp-sessions.log")
expect_contains "five delivered, one refused" "took in 6 messages; delivered 5, 1 failed" -- du watch --once --now 2026-11-25T10:00:00Z
expect_out "one connection for all six" "1" -- sh -c "echo \$(( \$(wc -l < '$work/smtp-sessions.log') - $sessions_before ))"
expect_out "six copies in all now" "6" -- sh -c "ls '$work/received' | wc -l"
expect_out "each answered once" "5" -- sh -c "cat '$work/received'/* | grep -c '^In-Reply-To: <many-'"

# Two runs at once (cron beside serve): each acknowledgement reaches the
# server once, whichever run takes the message in or sends it.
for i in $(seq 1 80); do
  printf 'From: <pair%s@example.org>\r\nSubject: Hedge %s\r\nMessage-ID: <pair-%s@example.org>\r\n\r\nThe hedge needs cutting.\r\n' "$i" "$i" "$i" > "$inbox/new/pair-$i.eml"
done
"$duly" --home "$home" watch --once --now 2026-11-26T10:00:00Z > "$work/a.out" 2>&1 & a=$!
"$duly" --home "$home" watch --once --now 2026-11-26T10:00:00Z > "$work/b.out" 2>&1 & b=$!
wait $a; wait $b
expect_out "eighty acknowledgements arrived" "80" -- sh -c "cat '$work/received'/* | grep -c '^In-Reply-To: <pair-'"
expect_out "none twice" "80" -- sh -c "cat '$work/received'/* | grep '^In-Reply-To: <pair-' | sort -u | wc -l"

finish
