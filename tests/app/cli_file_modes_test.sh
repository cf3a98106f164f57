#!/usr/bin/env bash
# Everything Duly writes that holds personal data is private whatever the
# umask (issue 11, point 16): run under umask 0000, the store and its -wal
# and -shm (looked at while `duly serve` holds them open), the outbox and its
# .eml files, the print run's PDFs and manifest and their folder, saved
# attachments, a rendered letter, the passwords file (sign-in sessions and
# the audit log are in the store) are 0600 and every folder Duly made is 0700. A store left 0644 by an older
# version is narrowed when opened. The Maildir inbox, which the test itself
# fills as a mail server would, is not Duly's and is not looked at.
# Usage: cli_file_modes_test.sh DULY SOURCE_HOME
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
umask 0000
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'secure_cookies = false\n' >> "$home/config/duly.toml"

# modes PATH...: "MODE PATH" for each, the mode in octal.
modes() { stat -c '%a %n' "$@"; }
# Files and folders under the given paths (the Maildir left out) that anyone
# but the owner may read, write or enter.
too_open() { find "$@" -path "$home/var/mail" -prune -o -perm /077 -printf '%m %p\n'; }

du import officers "$home/config/sample/officers.csv" >/dev/null
printf 'reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel\nC30001,Mrs Ann Post,Dear Mrs Post,ann@example.org,,1 Park Road,,,Chorley,PR7 3AA,en-GB,,post\n' > "$work/customers.csv"
du import customers "$work/customers.csv" >/dev/null
expect_out "a new store is 0600 in a 0700 folder" "700 $home/var
600 $home/var/duly.db" -- modes "$home/var" "$home/var/duly.db"

# Mail in: one tenant who reads letters, one stranger with an attachment
# (answered by email into the outbox), one unreadable message (quarantined).
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
printf 'From: ann@example.org\r\nSubject: Gutter\r\nMessage-ID: <ann1@example.org>\r\n\r\nThe gutter leaks.\r\n' > "$inbox/new/1"
cp "$src/tests/mail-mime/data/outlook.eml" "$inbox/new/2"
cp "$src/tests/mail-mime/data/broken.eml" "$inbox/new/3"
expect_contains "mail taken in" "took in 3 messages, 1 quarantined" -- du watch --once --now 2026-11-23T10:05:00Z
expect_out "one email acknowledgement in the outbox" "1" -- sh -c "ls '$home/var/outbox' -I tmp | wc -l"
expect_contains "one letter printed" "1 letter" -- du print-run --now 2026-11-23T16:00:00Z
expect_out "a PDF and a manifest in the print folder" "2" -- sh -c "ls '$home/var/print' | wc -l"
expect_contains "attachment saved" "saved as $work/saved/" -- du attachments PHG-2026-00002 --save "$work/saved"
expect_out "render to a file" "0" -- sh -c \
  "'$duly' --home '$home' render --case PHG-2026-00001 --template acknowledgement --to pdf --output '$work/letter.pdf' >/dev/null 2>&1; echo \$?"
printf '%s\n' "file-modes-test-password" | du user passwd sali --stdin >/dev/null

# The dashboard: a sign-in writes the audit log and its session (in the store); the
# store's -wal and -shm exist while it runs.
"$duly" --home "$home" serve --no-sample --port "$port" --poll 1 >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/sign-in" && break; sleep 0.2; done
jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="login_token" value="\([0-9a-f]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login_token=$token" --data-urlencode "user=sali" \
  --data-urlencode "password=file-modes-test-password" --data-urlencode "next=/my-work" "http://127.0.0.1:$port/sign-in"
expect_out "the store's -wal and -shm while served" "600 $home/var/duly.db-shm
600 $home/var/duly.db-wal" -- modes "$home/var/duly.db-shm" "$home/var/duly.db-wal"
expect_out "nothing under var/ is open to others while served" "" -- too_open "$home/var"
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null; serve_pid=""

expect_out "each file that holds personal data exists" "4" -- sh -c \
  "ls '$home/var/passwords' '$work/letter.pdf' '$work/saved'/* '$home/var/outbox/PHG-2026-00002.acknowledgement@duly.progress.example.org.eml' | wc -l"
expect_out "nothing Duly wrote is open to others" "" -- too_open "$home/var" "$work/saved" "$work/letter.pdf"

# A store an older version left 0644 (and its -wal) is narrowed when opened.
chmod 0644 "$home/var/duly.db"; : > "$home/var/duly.db-wal"; chmod 0666 "$home/var/duly.db-wal"
du case list --state all >/dev/null
expect_out "an old store is narrowed" "600 $home/var/duly.db" -- modes "$home/var/duly.db"
finish
