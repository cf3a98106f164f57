#!/usr/bin/env bash
# The duly render and duly templates commands, end to end: exit statuses and
# the lines a person reads. Usage: cli.sh DULY SOURCE_HOME
set -u
duly=$1
home=$2
fails=0
passes=0
expect() {  # expect NAME STATUS PATTERN -- COMMAND...
    local name=$1 status=$2 pattern=$3
    shift 4
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [[ $rc -ne $status ]]; then
        echo "FAIL $name: exit $rc, expected $status"; echo "$out" | head -20; fails=$((fails + 1)); return
    fi
    if ! grep -qF -- "$pattern" <<<"$out"; then
        echo "FAIL $name: output lacks: $pattern"; echo "$out" | head -20; fails=$((fails + 1)); return
    fi
    passes=$((passes + 1))
}
expect render-text 0 "We will send you a full reply by 23 November 2026." -- \
    "$duly" --home "$home" render --template acknowledgement --sample
expect render-html-ur 0 '<html lang="ur" dir="rtl">' -- \
    "$duly" --home "$home" render --template holding-reply --locale ur --format large-print --sample --to html
expect render-json-yue 0 '我們會在2026年11月23日或之前給您完整答覆。' -- \
    "$duly" --home "$home" render --template acknowledgement --locale yue-Hant --sample --to document-json
expect render-fallback 0 "duly: fallback: locale asked in ur-PK, used ur (no locale file for ur-PK)" -- \
    "$duly" --home "$home" render --template acknowledgement --locale ur-PK --sample
tmpdb=$(mktemp -d); trap 'rm -rf "$tmpdb"' EXIT
expect render-case 2 'duly: no case with reference "PHG-2026-00042"' -- \
    "$duly" --home "$home" --db "$tmpdb/duly.db" render --template acknowledgement --case PHG-2026-00042
expect render-unknown 2 'duly: no template named "acknowledgment" (templates: acknowledgement,' -- \
    "$duly" --home "$home" render --template acknowledgment --sample
expect render-format 2 "duly: --format huge is not known (expected standard, large-print, braille or audio)" -- \
    "$duly" --home "$home" render --template reply --format huge --sample
expect check 0 "templates and locales: ok" -- "$duly" --home "$home" templates check
expect lint 0 "acknowledgement: reading ease" -- "$duly" --home "$home" templates lint
expect lint-jargon 1 'templates/jargon-filled.tmpl:4: error: "commence" is jargon: write "start"' -- \
    "$duly" --home "$home/tests/templates/data/lint-home" templates lint --jargon "$home/config/jargon.toml"
echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
