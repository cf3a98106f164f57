#!/usr/bin/env bash
# Every shipped charter is a first-class customer: the acknowledgements a
# case gets on each (enquiry by email and by letter, a stage 1 complaint)
# have every field filled — no "Phone:" with nothing after it, no "by ."
# or "on  or" — and state a reply date; a case no officer has yet is signed
# by the team, with the team's phone and email, in every locale. A charter
# missing a detail its letters use stops `templates check`, `tick`, `watch`
# and `serve`, naming the file and key.
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
new_home "$src"
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

# Unassigned, in each locale and format: the team signs, with a phone and
# an email address, and the old stand-in ("our Customer Services, is") is gone.
for charter in paragon progress south-western; do
  ref=$(du case open --charter "$charter" --channel email --kind enquiry --customer C10004 --subject "Gate" \
          --received 2026-11-23T09:00:00Z --now 2026-11-23T09:00:00Z --json | sed -n 's/.*"reference":"\([^"]*\)".*/\1/p')
  phone=$(sed -n 's/^phone = "\(.*\)"/\1/p' "$home/config/charters/$charter.toml" | head -1)
  email=$(sed -n 's/^email = "\(.*\)"/\1/p' "$home/config/charters/$charter.toml" | head -1)
  [ -n "$phone" ] && [ -n "$email" ] || fail "$charter: no phone or email in its charter"
  for locale in en-GB ur yue-Hant; do
    for format in standard large-print; do
      text=$(du render --case "$ref" --template acknowledgement --locale "$locale" --format "$format" --to text \
               --now 2026-11-23T10:00:00Z 2>&1)
      case "$text" in *"our Customer Services,"*|*"Customer Services, "*) fail "$charter $locale $format: old stand-in: $text" ;; *) pass ;; esac
      case "$locale" in
        en-GB) team="Our Customer Services team is dealing with your case. You can phone them on $phone or email $email." ;;
        ur) team="ٹیم کے پاس ہے" ;;
        yue-Hant) team="團隊" ;;
      esac
      case "$text" in *"$team"*) pass ;; *) fail "$charter $locale $format: not signed by the team: $text" ;; esac
      case "$text" in *"$phone"*"$email"*) pass ;; *) fail "$charter $locale $format: no team phone and email" ;; esac
    done
  done
done

# Every template × charter × locale × format × (assigned, unassigned) ×
# channel renders with no empty field.
expect_contains "templates check renders every letter" "templates and locales: ok" -- du templates check

# A charter without a phone number: templates check names the file and key,
# and tick refuses to start (exit 2) before sending anything.
sed -i 's/^phone = ".*"/phone = ""/' "$home/config/charters/paragon.toml"
out=$(du templates check 2>&1); rc=$?
[ "$rc" -eq 1 ] || fail "templates check with no phone: exit $rc"
case "$out" in *"paragon.toml: error: [organisation] phone is empty or missing"*) pass ;; *) fail "templates check: $out" ;; esac
out=$(du tick --now 2026-11-23T10:00:00Z 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "tick with no phone: exit $rc"
case "$out" in *"not starting"*"paragon.toml: [organisation] phone is empty or missing"*) pass ;; *) fail "tick: $out" ;; esac
out=$(du watch --once --now 2026-11-23T10:00:00Z 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "watch with no phone: exit $rc: $out"
finish
