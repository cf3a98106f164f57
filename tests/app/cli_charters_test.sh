#!/usr/bin/env bash
# Every shipped charter is a first-class customer: the acknowledgements a
# case gets on each (enquiry by email and by letter, a stage 1 complaint)
# have every field filled — no "Phone:" with nothing after it, no "by ."
# or "on  or" — and state a reply date.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }
du import officers "$home/config/sample/officers.csv" >/dev/null
du import customers "$home/config/sample/customers.csv" >/dev/null

# An empty field shows as a label with nothing after it ("Phone:"), two
# spaces where a value was ("on  or"), or a sentence ending " by ." / " on .".
for charter in $(cd "$src/config/charters" && ls *.toml | sed "s/\.toml$//"); do
  for how in "email enquiry acknowledgement" "letter enquiry acknowledgement" "email complaint-stage-1 complaint-stage-1-acknowledgement"; do
    set -- $how
    ref=$(du case open --charter "$charter" --channel "$1" --kind "$2" --customer C10004 --officer sali --subject "Gate" \
            --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z --json | sed -n 's/.*"reference":"\([^"]*\)".*/\1/p')
    text=$(du render --case "$ref" --template "$3" --to text --now 2026-11-23T10:00:00Z 2>&1)
    expect_out "$charter $1 $2: no empty field" "" -- sh -c "printf '%s\n' \"\$1\" | grep -nE '(: *\$)|(  or )|( (by|on|at) \\.)' || true" _ "$text"
    case "$text" in *"reply by "[0-9]*) pass ;; *) fail "$charter $1 $2: no reply date in: $text" ;; esac
  done
done
finish
