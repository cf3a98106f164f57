#!/usr/bin/env bash
# duly serve on PostgreSQL survives a restart of the database (issue 17):
# a private PostgreSQL 15 (tests/support/postgres.sh) is stopped under a
# running `duly serve` (pg_ctl stop -m fast, which ends every connection);
# serve says once, in plain words, that the store is unreachable, keeps
# running and starts no work; a message dropped in the Maildir inbox
# meanwhile stays there. When the server is started again serve says so,
# reconnects on its next poll, and takes in and acknowledges that message
# and one dropped afterwards, each once.
# Usage: cli_store_reconnect_test.sh DULY SOURCE_HOME
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
. "$src/tests/support/postgres.sh"
work=$(mktemp -d); chmod 0711 "$work"
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; postgres_stop; rm -rf "$work"' EXIT
postgres_start "$work/pg" || { echo "FAIL: PostgreSQL did not start"; exit 1; }
postgres_createdb duly || { echo "FAIL: createdb"; exit 1; }
url="$POSTGRES_URL/duly"
pg_start_again() {
  postgres_as "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$POSTGRES_PORT -c unix_socket_directories=$POSTGRES_DIR -c fsync=off -c full_page_writes=off" \
    start >/dev/null
}

home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
outbox="$home/var/outbox"
message() {  # NAME MESSAGE-ID SUBJECT
  printf 'From: Tom Fairclough <tom.fairclough@example.org>\r\nTo: customer.services@progress.example.org\r\nSubject: %s\r\nDate: Mon, 07 Dec 2026 09:00:00 +0000\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe back door sticks.\r\n' \
    "$3" "$2" > "$inbox/tmp/$1" && mv "$inbox/tmp/$1" "$inbox/new/$1"
}
wait_for() {  # SECONDS COMMAND...: until COMMAND succeeds
  local n=$(( $1 * 5 )); shift
  for _ in $(seq "$n"); do "$@" && return 0; sleep 0.2; done
  return 1
}

"$duly" --home "$home" --db "$url" serve --no-web --poll 1 > "$work/serve.log" 2>&1 &
serve_pid=$!
wait_for 60 grep -q "duly is running" "$work/serve.log" || { cat "$work/serve.log"; echo "FAIL: serve did not start"; exit 1; }
message 1 "before@example.org" "Before the restart"
if wait_for 60 sh -c "[ \"\$(grep -l -s 'In-Reply-To: <before@example.org>' '$outbox'/*.eml | wc -l)\" = 1 ]"; then pass; else fail "the first message was not acknowledged"; cat "$work/serve.log"; fi

# The database goes away under serve.
postgres_as "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null || { echo "FAIL: pg_ctl stop"; exit 1; }
if wait_for 30 grep -q "is unreachable" "$work/serve.log"; then pass; else fail "serve did not say the store is unreachable"; cat "$work/serve.log"; fi
message 2 "during@example.org" "While the database was down"
sleep 4  # four polls with the database down
expect_out "said once, in plain words" "1" -- sh -c "grep -c 'duly: the store at $url is unreachable: .*; trying again every 1 s' '$work/serve.log'"
if kill -0 "$serve_pid" 2>/dev/null; then pass; else fail "serve stopped when the database went away"; fi
expect_out "the message waits in the inbox" "1" -- sh -c "ls '$inbox/new' | wc -l"

# The database comes back; serve reconnects on its next poll.
pg_start_again || { echo "FAIL: PostgreSQL did not start again"; cat "$POSTGRES_DIR/postgres.log"; exit 1; }
if wait_for 30 grep -q "duly: the store at $url answers again; carrying on" "$work/serve.log"; then pass; else fail "serve did not say the store answers again"; cat "$work/serve.log"; fi
message 3 "after@example.org" "After the restart"
if wait_for 60 sh -c "[ \"\$(grep -l -s 'In-Reply-To: <during@example.org>' '$outbox'/*.eml | wc -l)\" = 1 ] && [ \"\$(grep -l -s 'In-Reply-To: <after@example.org>' '$outbox'/*.eml | wc -l)\" = 1 ]"; then
  pass
else
  fail "the messages of and after the outage were not acknowledged"; cat "$work/serve.log"
fi
expect_out "the inbox is empty" "0" -- sh -c "ls '$inbox/new' | wc -l"
expect_out "each message once in the store, each acknowledged once" "before@example.org 1
during@example.org 1
after@example.org 1" -- sh -c "for m in before during after; do printf '%s %s\n' \"\$m@example.org\" \"\$(grep -l -s \"In-Reply-To: <\$m@example.org>\" '$outbox'/*.eml | wc -l)\"; done"
expect_out "three cases from the three messages" "3" -- \
  "$POSTGRES_BIN/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d duly -At -c \
  "SELECT COUNT(*) FROM items WHERE subject IN ('Before the restart', 'While the database was down', 'After the restart')"
if kill -0 "$serve_pid" 2>/dev/null; then pass; else fail "serve is not running at the end"; fi
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null; serve_pid=""
finish
