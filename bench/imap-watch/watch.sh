#!/usr/bin/env bash
# Times `duly watch --once` taking MESSAGES (default 10000) varied messages
# from a private Dovecot (tests/mail-imap/dovecot.sh, imaps:// with the
# certificate checked) to the last acknowledgement written in the outbox
# folder, with its peak memory; then the IDLE latency of `duly serve`: from
# a message landing in the Maildir to its acknowledgement, over SAMPLES
# (default 20) messages, median and worst. Prints the figures.
# Usage: bench/imap-watch/watch.sh [MESSAGES] [SAMPLES]   (from the top folder, after a build)
set -eu
count="${1:-10000}"; samples="${2:-20}"
src="$(pwd)"; duly="$src/build/duly"
[ -x "$duly" ] || { echo "build first: cmake --build build --target duly"; exit 2; }
. "$src/tests/mail-imap/dovecot.sh"
work=$(mktemp -d); trap 'kill ${serve:-} 2>/dev/null; dovecot_stop; rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"; cp -r config templates locales "$home/"
dovecot_start "$work/dovecot" >/dev/null
dovecot_user bench benchpw
printf 'benchpw\n' > "$work/pw"
cat > "$work/duly.toml" <<TOML
[mail]
domain = "duly.progress.example.org"
from_address = "customer.services@progress.example.org"
[outbox]
folder = "var/outbox"
[[mailbox]]
name = "bench"
url = "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
username = "bench"
password_file = "$work/pw"
ca_file = "$DOVECOT_CERT"
charter = "progress"
TOML
"$duly" --home "$home" import officers "$home/config/sample/officers.csv" >/dev/null

# Varied messages: English, Urdu and Cantonese bodies, short and long, each
# from its own sender (so the per-sender limit never withholds a reply).
python3 - "$DOVECOT_DIR/mail/bench/new" "$count" <<'PY'
import sys, os
folder, n = sys.argv[1], int(sys.argv[2])
bodies = ["The back door still sticks and the lock is stiff.\r\n" * 3,
          "\u0645\u06cc\u0631\u06d2 \u06af\u06be\u0631 \u0645\u06cc\u06ba \u0646\u0645\u06cc \u06c1\u06d2\u06d4\r\n" * 5,
          "\u6211\u5c4b\u4f01\u6f0f\u6c34\uff0c\u8acb\u6d3e\u4eba\u569f\u7747\u4e0b\u3002\r\n" * 4,
          ("Dear Sir or Madam, I am writing about the repairs to my kitchen. " * 40 + "\r\n")]
for i in range(n):
    body = bodies[i % len(bodies)]
    msg = (f"From: Tenant {i} <tenant{i}@example.org>\r\nTo: customer.services@progress.example.org\r\n"
           f"Subject: Repair request {i}\r\nMessage-ID: <bench-{i}@example.org>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
    with open(os.path.join(folder, f"{1700000000 + i}.M{i}.bench"), "wb") as f:
        f.write(msg.encode())
PY
chown -R "$DOVECOT_OWNER" "$DOVECOT_DIR/mail"

/usr/bin/time -f '%e %M' -o "$work/time" "$duly" --home "$home" watch --once --config "$work/duly.toml" --now 2026-11-23T10:05:00Z > "$work/out"
read -r seconds kb < "$work/time"
acks=$(ls "$home/var/outbox" -I tmp | wc -l)
echo "watch --once: $(cat "$work/out")"
echo "messages: $count; acknowledgements written: $acks"
python3 -c "print(f'time: {float(\"$seconds\"):.1f} s; {int(\"$count\")/max(float(\"$seconds\"),0.001):.0f} messages a second; peak memory {int(\"$kb\")/1024:.0f} MB')"

# IDLE latency: serve with an hour between its own polls, so only IDLE wakes it.
"$duly" --home "$home" serve --config "$work/duly.toml" --poll 3600 --no-sample > "$work/serve.out" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q "duly is running" "$work/serve.out" && break; sleep 0.1; done
sleep 2
: > "$work/latency"
for i in $(seq "$samples"); do
  id="idle-$i"
  f="$DOVECOT_DIR/mail/bench/new/$(date +%s).I$i.bench"
  printf 'From: Idle %s <idle%s@example.org>\r\nSubject: Idle %s\r\nMessage-ID: <%s@example.org>\r\n\r\nHello.\r\n' "$i" "$i" "$i" "$id" > "$work/msg"
  chown "$DOVECOT_OWNER" "$work/msg"
  start=$(date +%s%N); mv "$work/msg" "$f"
  for _ in $(seq 600); do grep -lq "In-Reply-To: <$id@example.org>" "$home"/var/outbox/PHG-*.eml 2>/dev/null && break; sleep 0.02; done
  echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/latency"
  echo "$(date +%T) sample $i: $(tail -1 "$work/latency") ms" >> "$work/samples"
done
kill -TERM "$serve"; wait "$serve" || true; serve=
# What serve said about its mailboxes and the scheduler (a slow scheduler tick holds the loop).
grep -E "mailbox|scheduler" "$work/serve.out" | tail -5 || true
echo "slowest samples (time of day, so they can be matched with the lines above):"
sort -k4 -n "$work/samples" | tail -2
sort -n "$work/latency" | awk '{a[NR]=$1} END {printf "IDLE latency over %d messages: median %d ms, worst %d ms\n", NR, a[int((NR+1)/2)], a[NR]}'
