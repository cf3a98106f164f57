# Shared helpers for the command-line tests: expect_out, expect_fail.
# Each test prints one line per check and a closing "N passed, N failed".
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }

# expect_out NAME EXPECTED -- COMMAND...: stdout must equal EXPECTED and exit 0.
expect_out() {
  local name="$1" expected="$2"; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne 0 ]; then fail "$name: exit $rc: $out"; return; fi
  if [ "$out" != "$expected" ]; then fail "$name"; diff <(printf '%s\n' "$expected") <(printf '%s\n' "$out") | head -20; return; fi
  pass
}

# expect_contains NAME NEEDLE -- COMMAND...: stdout contains NEEDLE, exit 0.
expect_contains() {
  local name="$1" needle="$2"; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne 0 ]; then fail "$name: exit $rc: $out"; return; fi
  case "$out" in *"$needle"*) pass ;; *) fail "$name: output lacks '$needle':"; printf '%s\n' "$out" | head -30 ;; esac
}

# expect_fail NAME STATUS MESSAGE -- COMMAND...: stderr must equal MESSAGE, exit STATUS, stdout empty.
expect_fail() {
  local name="$1" status="$2" message="$3"; shift 4
  local err rc out
  out=$("$@" 2>/tmp/duly-test-err.$$); rc=$?
  err=$(cat /tmp/duly-test-err.$$); rm -f /tmp/duly-test-err.$$
  if [ "$rc" -ne "$status" ]; then fail "$name: exit $rc, expected $status ($err)"; return; fi
  if [ "$err" != "$message" ]; then fail "$name"; diff <(printf '%s\n' "$message") <(printf '%s\n' "$err") | head -10; return; fi
  pass
}

finish() {
  printf '%d passed, %d failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
}

# new_home SRC: a temporary folder ($work, removed at exit) holding a Duly
# home ($home) with SRC's config, templates and locales.
new_home() {
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  home="$work/home"; mkdir -p "$home"
  cp -r "$1/config" "$1/templates" "$1/locales" "$home/"
}
