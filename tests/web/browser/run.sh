#!/usr/bin/env bash
# Browser tests of the dashboard: starts `duly serve` on a fresh store, a
# free loopback port and a config file of its own, then drives Debian's
# Chromium headless with playwright-core (dashboard.mjs). Screenshots are kept
# in ARTIFACTS (default: build/browser-artifacts).
# Usage: run.sh DULY_BINARY [ARTIFACTS]
# Exit: 0 passed, 1 failed, 77 skipped (no node, no chromium, npm not
# reachable) with a line saying why.
set -euo pipefail
duly="$1"
here="$(cd "$(dirname "$0")" && pwd)"
home="$(cd "$here/../../.." && pwd)"
artifacts="${2:-$home/build/browser-artifacts}"

skip() { echo "SKIPPED: browser tests: $*"; exit 77; }
command -v node >/dev/null || skip "node is not installed (Debian: apt-get install nodejs npm)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || skip "$chromium is not installed (scripts/setup installs Debian's chromium)"
if [ ! -f "$here/node_modules/playwright-core/package.json" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  command -v npm >/dev/null || skip "npm is not installed"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || skip "npm ci could not install playwright-core"
fi

work="$(mktemp -d /tmp/duly-browser-XXXXXX)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/inbox/new" "$work/inbox/cur" "$work/inbox/tmp"
cat > "$work/duly.toml" <<TOML
[mail]
domain = "duly.test.invalid"
from_name = "Progress Housing Group"
from_address = "customer.services@progress.example.org"
[outbox]
folder = "$work/outbox"
[letters]
folder = "$work/print"
[[mailbox]]
name = "inbox"
url = "maildir:$work/inbox"
charter = "progress"
[web]
bind = "127.0.0.1"
port = $port
passwords_file = "$work/passwords"
audit_log = "$work/audit.log"
TOML

# An audit log file as an earlier version wrote it: serve imports it into
# the store at start and keeps the file renamed.
printf '2026-01-05T09:00:00Z\tjwong\tviewed case\tPHG-2025-00001\t\n' > "$work/audit.log"
"$duly" --home "$home" --db "$work/duly.db" serve --config "$work/duly.toml" --poll 60 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  grep -q "dashboard at" "$work/serve.log" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; echo "FAILED: duly serve stopped"; exit 1; }
  sleep 0.2
done
grep -q "dashboard at" "$work/serve.log" || { cat "$work/serve.log"; echo "FAILED: the dashboard did not start"; exit 1; }
grep -q "duly: imported 1 lines of the old audit log $work/audit.log into the store; the file is kept as $work/audit.log.imported-" "$work/serve.log" \
  || { cat "$work/serve.log"; echo "FAILED: serve did not import the old audit log"; exit 1; }
[ ! -e "$work/audit.log" ] && ls "$work"/audit.log.imported-* >/dev/null || { echo "FAILED: the old audit log was not kept renamed"; exit 1; }
"$duly" --home "$home" --db "$work/duly.db" audit show --config "$work/duly.toml" --actor jwong | grep -q "	PHG-2025-00001	" \
  || { echo "FAILED: the old audit log's line is not in the store"; exit 1; }

mkdir -p "$artifacts"
DULY="$duly" DULY_HOME="$home" DULY_DB="$work/duly.db" DULY_CONFIG="$work/duly.toml" \
  DULY_URL="http://127.0.0.1:$port" PASSWORDS="$work/first-start-passwords.txt" \
  ARTIFACTS="$artifacts" CHROMIUM="$chromium" node "$here/dashboard.mjs"
