#!/usr/bin/env bash
# duly print-run end to end: five customers who read by post (Urdu, Cantonese,
# English, two in large print) write in; their acknowledgements are queued
# for the post; the print run makes one PDF per format with the letters in
# postcode order, each starting on a new sheet, a manifest that agrees with
# the PDFs, each letter kept on its case as its own signed PDF, the cases
# acknowledged; a second run finds nothing. Usage: print_run.sh DULY SOURCE_HOME
set -u
duly="$1"; src="$2"
. "$src/tests/app/testlib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }
bash "$src/tests/pdf-sign/make-test-pki.sh" "$work/pki"
printf '\n[signing]\np12 = "%s/pki/rsa.p12"\npassword_file = "%s/pki/password.txt"\n' "$work" "$work" >> "$home/config/duly.toml"

du import officers "$home/config/sample/officers.csv" >/dev/null
cat > "$work/customers.csv" <<'CSV'
reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel
C20001,Mrs Nasreen Akhtar,Dear Mrs Akhtar,nasreen@example.org,,12 Church Road,,,Leyland,PR25 3AB,ur,,post
C20002,Mr Wing Kei Lee,Dear Mr Lee,wing@example.org,,4 Mill Lane,Farington,,Leyland,PR25 4QP,yue-Hant,,post
C20003,Ms Joan Whittaker,Dear Ms Whittaker,joan@example.org,,Flat 2,Riverside Court,Hough Lane,Leyland,PR25 2SD,en-GB,large-print,post
C20004,Mr Imran Hussain,Dear Mr Hussain,imran@example.org,,33 Towngate,,,Bamber Bridge,PR5 6QR,ur,large-print,post
C20005,Mr Tom Fairclough,Dear Mr Fairclough,tom@example.org,,27 Golden Hill,,,Leyland,PR25 3NN,en-GB,,post
CSV
du import customers "$work/customers.csv" >/dev/null
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
i=0
for who in nasreen wing joan imran tom; do
  i=$((i + 1))
  printf 'From: %s@example.org\r\nSubject: Repair %d\r\nMessage-ID: <p%d@example.org>\r\n\r\nPlease help.\r\n' "$who" "$i" "$i" > "$inbox/new/$i"
done
expect_out "queued for the post" "took in 5 messages; delivered 0" -- du watch --once --now 2026-11-23T10:05:00Z

out="$work/print"
expect_contains "print run" "print run 20261123-160000: 5 letters" -- du print-run --output "$out" --now 2026-11-23T16:00:00Z
std="$out/print-run-20261123-160000-standard.pdf"
large="$out/print-run-20261123-160000-large-print.pdf"
manifest="$out/print-run-20261123-160000-manifest.csv"
expect_out "header" "sequence,format,case,customer,document,pages,first_page,postcode,file" -- head -1 "$manifest"
# Standard letters first, each format in postcode order (PR5 before PR25).
expect_out "order" "standard C20001 PR25 3AB
standard C20005 PR25 3NN
standard C20002 PR25 4QP
large-print C20004 PR5 6QR
large-print C20003 PR25 2SD" -- sh -c "tail -n +2 '$manifest' | cut -d, -f2,4,8 | tr ',' ' '"
# Every letter starts on an odd page (a new sheet) and the pages add up.
for f in standard large-print; do
  pdf="$out/print-run-20261123-160000-$f.pdf"
  expect_out "$f qpdf" "0" -- sh -c "qpdf --check '$pdf' >/dev/null; echo \$?"
  rows=$(awk -F, -v f="$f" 'NR > 1 && $2 == f' "$manifest")
  odd=$(printf '%s\n' "$rows" | awk -F, '$7 % 2 == 0' | wc -l)
  expect_out "$f letters start on a new sheet" "0" -- echo "$odd"
  sheets=$(printf '%s\n' "$rows" | awk -F, '{ s += int(($6 + 1) / 2) } END { print s * 2 }')
  expect_out "$f pages" "Pages:           $sheets" -- sh -c "pdfinfo '$pdf' | grep '^Pages:'"
  # Each letter's reference is on its first page.
  printf '%s\n' "$rows" | while IFS=, read -r _ _ ref _ _ _ first _; do
    pdftotext -f "$first" -l "$first" "$pdf" - | grep -q "$ref" || echo "FAIL: $ref not on page $first of $f"
  done | grep FAIL && fail "references on first pages" || pass
done
expect_contains "fonts embedded" "+NotoNastaliqUrdu-Regular" -- pdffonts "$large"
# Each letter kept on its case as its own signed PDF, and the case acknowledged.
sqlite3 "$home/var/duly.db" "SELECT writefile('$work/' || case_reference || '.pdf', bytes) FROM outbound WHERE route = 'post'" >/dev/null
expect_out "five archived" "5" -- sh -c "ls '$work'/PHG-2026-*.pdf | wc -l"
for ref in PHG-2026-00001 PHG-2026-00003; do
  expect_contains "$ref archived and signed" "$ref.pdf: valid" -- du pdf verify "$work/$ref.pdf" --ca "$work/pki/ca.pem"
done
expect_contains "printed state" "delivered" -- sqlite3 "$home/var/duly.db" "SELECT state || ' ' || last_result FROM outbound WHERE case_reference = 'PHG-2026-00004'"
expect_contains "acknowledged" '"acknowledged_at":"2026-11-23T16:00:00+00:00"' -- du case show PHG-2026-00002 --json
expect_out "second run" "print run: no letters waiting" -- du print-run --output "$out" --now 2026-11-23T16:30:00Z

# A holding reply the scheduler queues for the post is printed with the officer's reason.
du case holding PHG-2026-00001 --reason "we are waiting for a surveyor" >/dev/null
du tick --now 2026-11-27T16:50:00Z >/dev/null
expect_contains "holding reply printed" "print run 20261127-170000: " -- du print-run --output "$out" --now 2026-11-27T17:00:00Z
expect_contains "holding reply in manifest" "PHG-2026-00001,C20001,holding-reply" -- cat "$out/print-run-20261127-170000-manifest.csv"
expect_contains "reason printed" "we are waiting for a surveyor" -- pdftotext "$out/print-run-20261127-170000-standard.pdf" -
finish
