#!/usr/bin/env bash
# The mail side end to end, against real servers on loopback: a private
# Dovecot (tests/mail-imap/dovecot.sh, imaps:// with the certificate
# checked) and Debian's aiosmtpd (tests/mail-smtp/smtp_server.py).
#  1. Loads MESSAGES (default 10000) varied messages (bench/imap-watch/
#     messages.py) into the Dovecot mailbox, then times `duly watch --once`
#     from its start to the last acknowledgement accepted by the SMTP
#     server, with its peak memory, and checks every acknowledgement
#     arrived exactly once.
#  2. IDLE latency of `duly serve`: from an IMAP APPEND to the
#     acknowledgement accepted by the SMTP server, over SAMPLES (default 20)
#     messages; median and worst.
#  With STORE=postgresql both parts run against a private PostgreSQL 15
#  (tests/support/postgres.sh) with its durability on (fsync and
#  synchronous_commit as a real server has them), one database each;
#  otherwise against the SQLite file in duly's home. DULY=PATH times
#  another build of duly (a baseline) in the same conditions. WRAP="perf
#  record -g -o FILE --" (say) runs part 1's duly under a profiler.
# Usage: [STORE=postgresql] [DULY=PATH] bench/imap-watch/watch.sh [MESSAGES] [SAMPLES]
#        (from the top folder, after a build)
set -eu
count="${1:-10000}"; samples="${2:-20}"
src="$(pwd)"; duly="${DULY:-$src/build/duly}"
store="${STORE:-sqlite}"
[ -x "$duly" ] || { echo "build first: cmake --build build --target duly"; exit 2; }
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd is missing: run scripts/setup"; exit 2; }
. "$src/tests/mail-imap/dovecot.sh"
work=$(mktemp -d); smtp=""; serve=""
chmod 0711 "$work"  # the postgres user must reach $work/pg when run as root
trap 'kill $serve $smtp 2>/dev/null; dovecot_stop; [ "$store" = postgresql ] && postgres_stop; rm -rf "$work"' EXIT
db_for() { :; }  # NAME: sets DULY_DB for the run called NAME (PostgreSQL only)
if [ "$store" = postgresql ]; then
  . "$src/tests/support/postgres.sh"
  # A real server's durability, unlike the tests' throw-away cluster.
  POSTGRES_OPTIONS="-c fsync=on -c full_page_writes=on" postgres_start "$work/pg" >/dev/null
  db_for() { postgres_createdb "$1"; export DULY_DB="$POSTGRES_URL/$1"; }
elif [ "$store" = sqlite ]; then
  unset DULY_DB  # the SQLite file in duly's home, whatever the caller's environment says
else
  echo "STORE is sqlite or postgresql, not $store"; exit 2
fi
home="$work/home"; mkdir -p "$home"; cp -r config templates locales "$home/"
dovecot_start "$work/dovecot" >/dev/null
dovecot_user bench benchpw
dovecot_user idle benchpw  # for the IDLE samples; every user before the first login
printf 'benchpw\n' > "$work/pw"

start_smtp() {  # FOLDER: an SMTP server writing what it accepts into FOLDER
  mkdir -p "$1"; smtp_port=$(free_port)
  /usr/bin/python3 "$src/tests/mail-smtp/smtp_server.py" "$smtp_port" "$1" > "$work/smtp.log" 2>&1 &
  smtp=$!
  for _ in $(seq 100); do grep -q ready "$work/smtp.log" && return; sleep 0.1; done
  echo "the SMTP server did not start"; cat "$work/smtp.log"; exit 1
}
write_config() {
  cat > "$work/duly.toml" <<TOML
[mail]
domain = "duly.progress.example.org"
from_address = "customer.services@progress.example.org"
[smtp]
host = "127.0.0.1"
port = $smtp_port
security = "plain"
[[mailbox]]
name = "bench"
url = "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
username = "$imap_user"
password_file = "$work/pw"
ca_file = "$DOVECOT_CERT"
charter = "progress"
TOML
}
db_for backlog
"$duly" --home "$home" import officers "$home/config/sample/officers.csv" >/dev/null

# 1. The backlog.
expected=$(/usr/bin/python3 "$src/bench/imap-watch/messages.py" "$DOVECOT_DIR/mail/bench/new" "$count")
chown -R "$DOVECOT_OWNER" "$DOVECOT_DIR/mail"
imap_user=bench; start_smtp "$work/sent"; write_config
echo "$count messages in Dovecot ($expected need an acknowledgement); running duly watch --once on $store"
pg_cpu() {  # CPU seconds (user+system) of the PostgreSQL server's finished backends so far
  [ "$store" = postgresql ] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{print ($16 + $17) / hz}' "/proc/$(head -1 "$POSTGRES_DIR/data/postmaster.pid")/stat"
}
pg_before=$(pg_cpu)
start=$(date +%s.%N)
/usr/bin/time -f '%e %M %U %S' -o "$work/time" ${WRAP:-} "$duly" --home "$home" watch --once --config "$work/duly.toml" \
  --now 2026-11-23T10:05:00Z > "$work/out" 2> >(/usr/bin/python3 "$src/bench/imap-watch/stamp.py" > "$work/err")
read -r seconds kb user sys < "$work/time"
sleep 0.5; pg_after=$(pg_cpu)  # the backend has exited with duly's connection
# The moment the server accepted the last acknowledgement: the newest file it wrote.
last=$(find "$work/sent" -type f -printf '%T@\n' | sort -n | tail -1)
acks=$(ls "$work/sent" | wc -l)
unique=$(cat "$work/sent"/* | grep -i '^In-Reply-To:' | sort -u | wc -l)
echo "watch --once: $(cat "$work/out")"
sleep 0.2; grep -E " [0-9]*(000|500) of |delivered [0-9]*[05]00$" "$work/err" | head -60
echo "acknowledgements accepted by the SMTP server: $acks (expected $expected; $unique distinct messages answered)"
/usr/bin/python3 - "$start" "$last" "$seconds" "$kb" "$count" "$user" "$sys" "$pg_before" "$pg_after" <<'PY'
import sys
start, last, seconds, kb, n, user, sys_, pg0, pg1 = map(float, sys.argv[1:])
span = last - start
print(f"to the last acknowledgement accepted: {span:.1f} s, {n / span:.0f} messages a second "
      f"(process {seconds:.1f} s, CPU {user:.1f} s user + {sys_:.1f} s system, "
      f"{(user + sys_) / n * 1e6:.0f} us a message); peak memory {kb / 1024:.0f} MB")
if pg1 > pg0:
    print(f"PostgreSQL server CPU for the run: {pg1 - pg0:.1f} s, {(pg1 - pg0) / n * 1e6:.0f} us a message")
PY
[ "$acks" -eq "$expected" ] && [ "$unique" -eq "$expected" ] || { echo "MISMATCH: acknowledgements lost or repeated"; exit 1; }
kill "$smtp"; wait "$smtp" 2>/dev/null || true

# 2. IDLE latency: serve with an hour between its own polls, so only IDLE
# wakes it; each sample is an APPEND, timed to its acknowledgement's arrival.
# A new home: the backlog's cases, overdue by the real clock serve runs on,
# would have the scheduler busy with warnings to officers meanwhile.
home="$work/idle-home"; mkdir -p "$home"; cp -r config templates locales "$home/"
db_for idle
"$duly" --home "$home" import officers "$home/config/sample/officers.csv" >/dev/null
imap_user=idle; start_smtp "$work/idle"; write_config
"$duly" --home "$home" serve --config "$work/duly.toml" --poll 3600 --no-sample --no-web > "$work/serve.out" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q "duly is running" "$work/serve.out" && break; sleep 0.1; done
sleep 2
/usr/bin/python3 - "$IMAPS_PORT" "$DOVECOT_CERT" "$work/idle" "$samples" > "$work/latency" <<'PY'
import imaplib, os, ssl, sys, time
port, cert, folder, samples = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ssl.create_default_context(cafile=cert))
imap.login("idle", "benchpw")
for i in range(samples):
    msg = (f"From: Idle {i} <idle{i}@example.org>\r\nTo: customer.services@progress.example.org\r\n"
           f"Subject: Idle {i}\r\nMessage-ID: <idle-{i}@example.org>\r\n\r\nHello.\r\n").encode()
    start = time.monotonic()
    imap.append("INBOX", None, None, msg)
    while len(os.listdir(folder)) < i + 1 and time.monotonic() - start < 30:
        time.sleep(0.01)
    print(f"{(time.monotonic() - start) * 1000:.0f}", flush=True)
    time.sleep(0.5)
imap.logout()
PY
kill -TERM "$serve"; wait "$serve" || true; serve=
grep -E "mailbox|scheduler" "$work/serve.out" | tail -3 || true
sort -n "$work/latency" | awk '{a[NR]=$1} END {printf "IDLE latency, APPEND to acknowledgement accepted, over %d messages: median %d ms, worst %d ms\n", NR, a[int((NR+1)/2)], a[NR]}'
