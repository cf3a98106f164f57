#!/usr/bin/env bash
# duly store copy and duly store check on the command line: a SQLite store
# copied to a private PostgreSQL 15 (tests/support/postgres.sh) and back to
# another SQLite file, each checked against the first; a non-empty target,
# a bad URL and a missing file are refused with the exact message.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
. "$src/tests/support/postgres.sh"
work=$(mktemp -d); chmod 0711 "$work"
trap 'postgres_stop; rm -rf "$work"' EXIT
postgres_start "$work/pg" || { echo "FAIL: PostgreSQL did not start"; exit 1; }
postgres_createdb copy || { echo "FAIL: createdb"; exit 1; }
url="$POSTGRES_URL/copy"
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
rm -f "$home/config/duly.toml"
a="$work/a.db"; b="$work/b.db"

"$duly" --home "$home" --db "$a" import officers "$src/config/sample/officers.csv" >/dev/null
"$duly" --home "$home" --db "$a" import customers "$src/config/sample/customers.csv" >/dev/null
for subject in "Fence" "Damp — плесень" "Gutter"; do
  "$duly" --home "$home" --db "$a" case open --now 2026-11-23T09:00:00Z --charter progress --channel letter \
    --kind enquiry --customer C10003 --officer jwong --subject "$subject" >/dev/null
done

expect_contains "copy to PostgreSQL" "copied $a to $url (schema version" -- "$duly" --home "$home" store copy --from "$a" --to "$url"
expect_contains "the cases are there" "PHG-2026-00003" -- "$duly" --home "$home" --db "$url" due --officer jwong
expect_contains "check PostgreSQL" "references: every one resolves" -- "$duly" --home "$home" store check --db "$url"
expect_contains "check against the SQLite file" "against $a: every table holds the same rows" -- \
  "$duly" --home "$home" --db "$url" store check --against "$a"
expect_contains "copy back to SQLite" "copied $url to $b (schema version" -- "$duly" --home "$home" store copy --from "$url" --to "$b"
expect_contains "check the copy of the copy" "against $a: every table holds the same rows" -- \
  "$duly" --home "$home" store check --db "$b" --against "$a"

# A case opened on one side only: check --against names the tables that differ.
"$duly" --home "$home" --db "$b" case open --now 2026-11-24T09:00:00Z --charter progress --channel letter \
  --kind enquiry --customer C10003 --officer jwong --subject "Another" >/dev/null
out=$("$duly" --home "$home" store check --db "$b" --against "$a" 2>&1); rc=$?
case "$rc:$out" in
  1:*"duly: store check: cases: 4 rows in $b, 3 in $a"*) pass ;;
  *) fail "check against a store that differs: exit $rc: $out" ;;
esac

# Refusals.
expect_fail "a non-empty target" 2 "duly: $url: the target store is not empty (cases, customers, events, items, officers, reference_sequences hold rows); copy into a new, empty store" -- \
  "$duly" --home "$home" store copy --from "$a" --to "$url"
expect_fail "a missing file" 2 "duly: $work/missing.db: no such store (there is no SQLite file there)" -- \
  "$duly" --home "$home" store copy --from "$work/missing.db" --to "$work/c.db"
[ ! -e "$work/missing.db" ] && pass || fail "the missing file was created"
expect_fail "check a missing file" 2 "duly: $work/missing.db: no such store (there is no SQLite file there)" -- \
  "$duly" --home "$home" store check --db "$work/missing.db"
expect_fail "a password in the URL" 2 "duly: --to: \"postgresql://duly:***@127.0.0.1/copy\": a password in the URL would be shown wherever the URL is; give password_file=FILE or password_env=NAME, or use libpq's ~/.pgpass" -- \
  "$duly" --home "$home" store copy --from "$a" --to "postgresql://duly:secret@127.0.0.1/copy"
expect_fail "a URL libpq refuses" 2 'duly: --to: "postgresql://duly@127.0.0.1/copy?colour=blue" is not a PostgreSQL URL libpq accepts: invalid URI query parameter: "colour"' -- \
  "$duly" --home "$home" store copy --from "$a" --to "postgresql://duly@127.0.0.1/copy?colour=blue"
expect_fail "the same store" 2 "duly: $a: --from and --to name the same store" -- \
  "$duly" --home "$home" store copy --from "$a" --to "$a"
expect_fail "no --to" 2 "duly: duly store needs --to (see duly store --help)" -- \
  "$duly" --home "$home" store copy --from "$a"
expect_fail "an unknown action" 2 'duly: duly store: expected copy or check, found "move"' -- \
  "$duly" --home "$home" store move

finish
