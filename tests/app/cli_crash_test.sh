#!/usr/bin/env bash
# kill -9 in the middle of a backlog: 1,000 messages wait in the Maildir
# inbox; `duly watch --once` is killed with SIGKILL at a random moment,
# several times, then allowed to finish. Afterwards every message has
# exactly one case and exactly one acknowledgement, and nothing is left in
# the inbox or half-written in the outbox.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
du() { "$duly" --home "$home" "$@"; }
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
outbox="$home/var/outbox"
messages=${DULY_CRASH_MESSAGES:-1000}

du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null
for i in $(seq 1 "$messages"); do
  printf 'From: Tenant %d <tenant%d@example.org>\r\nSubject: Repair %d\r\nMessage-ID: <crash-%d@example.org>\r\n\r\nThe door of flat %d sticks.\r\n' \
    "$i" "$i" "$i" "$i" "$i" > "$inbox/new/$(printf '%05d' "$i").eml"
done

kills=0
for round in 1 2 3 4 5; do
  # duly itself in the background (not a shell function, whose $! is a subshell).
  "$duly" --home "$home" watch --once --now 2026-11-23T10:05:00Z > "$work/run-$round.log" 2>&1 &
  pid=$!
  # Somewhere between 0.15 and 0.75 seconds into the run: early enough
  # that most runs are killed while still taking in or sending.
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.15 + (r % 60) / 100 }')"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null
done
expect_out "killed mid-run at least three times" "yes" -- sh -c "[ $kills -ge 3 ] && echo yes || echo 'no ($kills)'"
expect_contains "the last run finishes" "delivered" -- du watch --once --now 2026-11-23T10:05:00Z
# A run killed while sending holds its messages from other runs for ten
# minutes; after that they are due again.
du watch --once --now 2026-11-23T10:16:00Z >/dev/null 2>&1

expect_out "one case per message" "$messages" -- sh -c "'$duly' --home '$home' case list --state all | wc -l"
expect_out "no message twice" "$messages" -- sh -c "'$duly' --home '$home' case list --state all | awk '{ print \$NF }' | sort -u | wc -l"
expect_out "one acknowledgement per case" "$messages" -- sh -c "ls '$outbox' | grep -c '\.acknowledgement@'"
# (A write cut by the kill may leave a file in outbox/tmp, never in the outbox.)
expect_out "no other files in the outbox" "$messages" -- sh -c "find '$outbox' -maxdepth 1 -type f | wc -l"
expect_out "inbox empty" "0" -- sh -c "ls '$inbox/new' | wc -l"
expect_out "every message kept in cur" "$messages" -- sh -c "ls '$inbox/cur' | wc -l"
expect_out "every acknowledgement delivered once" "delivered|$messages" -- sqlite3 "$home/var/duly.db" "SELECT state, count(*) FROM outbound GROUP BY state"
expect_out "one item per case" "$messages|$messages" -- sqlite3 "$home/var/duly.db" "SELECT count(*), count(DISTINCT case_id) FROM items"

# Two runs at once over a new backlog (cron overlapping another run): each
# message is still taken in once, and neither run reports a failure.
for i in $(seq 1 300); do
  printf 'From: Tenant %d <tenant%d@example.org>\r\nSubject: Again %d\r\nMessage-ID: <twice-%d@example.org>\r\n\r\nStill sticks.\r\n' \
    "$i" "$i" "$i" "$i" > "$inbox/new/b$(printf '%05d' "$i").eml"
done
"$duly" --home "$home" watch --once --now 2026-11-24T10:00:00Z > "$work/a.log" 2>&1 & a=$!
"$duly" --home "$home" watch --once --now 2026-11-24T10:00:00Z > "$work/b.log" 2>&1 & b=$!
wait $a; rc_a=$?; wait $b; rc_b=$?
expect_out "both runs succeed" "0 0" -- echo "$rc_a $rc_b"
expect_out "nothing left for a next run" "" -- sh -c "grep -h 'left for the next run' '$work/a.log' '$work/b.log' | head -3"
expect_out "each new message once" "$((messages + 300))|$((messages + 300))" -- sqlite3 "$home/var/duly.db" "SELECT count(*), count(DISTINCT source) FROM items"

finish
