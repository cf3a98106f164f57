#!/usr/bin/env bash
# The store chosen by URL: --db, $DULY_DB and [store] url name a PostgreSQL
# database (a private PostgreSQL 15 started here, tests/support/postgres.sh)
# and duly imports, lists and reports on it as on a SQLite file; bad URLs,
# passwords in URLs and an unreachable server are refused with the exact
# message.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
. "$src/tests/support/postgres.sh"
work=$(mktemp -d); chmod 0711 "$work"
trap 'postgres_stop; rm -rf "$work"' EXIT
postgres_start "$work/pg" || { echo "FAIL: PostgreSQL did not start"; exit 1; }
postgres_createdb duly || { echo "FAIL: createdb"; exit 1; }
postgres_createdb other || { echo "FAIL: createdb"; exit 1; }
url="$POSTGRES_URL/duly"

# A home of its own, a copy (this test writes its config/duly.toml).
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
rm -f "$home/config/duly.toml"

expect_out "import into PostgreSQL" "imported 6 officers from $src/config/sample/officers.csv" -- \
  "$duly" --home "$home" --db "$url" import officers "$src/config/sample/officers.csv"
expect_out "import customers" "imported 6 customers from $src/config/sample/customers.csv" -- \
  "$duly" --home "$home" --db "$url" import customers "$src/config/sample/customers.csv"
expect_contains "the store is the URL" "store: $url" -- "$duly" --home "$home" --db "$url" version
expect_contains "DULY_DB names it too" "store: $url" -- env DULY_DB="$url" "$duly" --home "$home" version
expect_contains "a case opened there" "PHG-2026-00001" -- "$duly" --home "$home" --db "$url" case open \
  --now 2026-11-23T09:00:00Z --charter progress --channel letter --kind enquiry --customer C10003 --officer jwong --subject "Fence"
expect_contains "and listed from there" "PHG-2026-00001" -- env DULY_DB="$url" "$duly" --home "$home" due --officer jwong

# [store] url, used when neither --db nor DULY_DB says.
printf '[store]\nurl = "%s"\n' "$POSTGRES_URL/other" > "$home/config/duly.toml"
expect_contains "[store] url" "store: $POSTGRES_URL/other" -- "$duly" --home "$home" version
expect_contains "--db wins over [store] url" "store: $url" -- "$duly" --home "$home" --db "$url" version
printf '[store]\nurl = "var/other.db"\n' > "$home/config/duly.toml"
expect_contains "[store] url: a SQLite file under home" "store: $home/var/other.db" -- "$duly" --home "$home" version
printf '[store]\nurl = "%s"\npassword_env = "DULY_TEST_DB_PASSWORD"\n' "$url" > "$home/config/duly.toml"
expect_contains "password_env becomes a URL parameter" "store: $url?password_env=DULY_TEST_DB_PASSWORD" -- \
  "$duly" --home "$home" version
expect_fail "password_env unset" 2 "duly: $url: the password_env variable DULY_TEST_DB_PASSWORD is not set" -- \
  "$duly" --home "$home" due
# The server trusts local connections: a password given is simply not needed.
expect_contains "password_env set" "PHG-2026-00001" -- env DULY_TEST_DB_PASSWORD=unused "$duly" --home "$home" due --officer jwong

# Mistakes, with the file and line or the option that holds them.
printf '[store]\nurl = "mysql://duly@h/duly"\n' > "$home/config/duly.toml"
expect_fail "not a store URL" 2 'duly: config/duly.toml:2: store.url: expected a SQLite file path or a URL postgresql://USER@HOST:PORT/DB, found "mysql://duly@h/duly"' -- \
  "$duly" --home "$home" version
printf '[store]\nurl = "%s"\ncolour = "blue"\n' "$url" > "$home/config/duly.toml"
expect_fail "unknown key" 2 'duly: config/duly.toml:3: store.colour: unknown key (accepted: url, password_file, password_env)' -- \
  "$duly" --home "$home" version
rm "$home/config/duly.toml"
expect_fail "a password in the URL" 2 "duly: --db: \"postgresql://duly:***@127.0.0.1/duly\": a password in the URL would be shown wherever the URL is; give password_file=FILE or password_env=NAME, or use libpq's ~/.pgpass" -- \
  "$duly" --home "$home" --db "postgresql://duly:hunter2@127.0.0.1/duly" version
expect_fail "libpq refuses the URL" 2 'duly: DULY_DB: "postgresql://duly@127.0.0.1/duly?colour=blue" is not a PostgreSQL URL libpq accepts: invalid URI query parameter: "colour"' -- \
  env DULY_DB="postgresql://duly@127.0.0.1/duly?colour=blue" "$duly" --home "$home" version
out=$("$duly" --home "$home" --db "postgresql://duly@127.0.0.1:1/duly?connect_timeout=5" due 2>&1); rc=$?
case "$rc:$out" in
  "2:duly: postgresql://duly@127.0.0.1:1/duly?connect_timeout=5: cannot open the store: "*) pass ;;
  *) fail "unreachable server: exit $rc: $out" ;;
esac

finish
