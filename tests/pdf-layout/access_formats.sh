#!/usr/bin/env bash
# Braille and audio letters from the command line: duly render --format
# braille --to brf and --format audio --to ogg|wav (the files' shape, WAV
# length plausible for the words, the refusals); then a print run for
# customers who asked for Braille, audio, and large print with audio, which
# writes print-run-STAMP-braille/ and -audio/ beside the PDFs, listed in the
# manifest. Usage: access_formats.sh DULY SOURCE_HOME
set -u
duly="$1"; src=$(cd "$2" && pwd)
. "$src/tests/app/testlib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
du() { "$duly" --home "$home" "$@"; }

# A BRF: only ASCII Braille characters, lines of 40 cells at most, pages of
# 25 lines ending in a form feed, the last line the page number (#A, #B, …).
check_brf() {
  local f="$1" what="$2"
  expect_out "$what: characters" "0" -- sh -c "LC_ALL=C tr -d ' -_\r\n\f' < '$f' | wc -c"
  expect_out "$what: line length" "0" -- sh -c "tr -d '\f\r' < '$f' | awk 'length > 40' | wc -l"
  expect_out "$what: pages of 25 lines" "" -- sh -c "tr -d '\r' < '$f' | awk 'BEGIN { RS = \"\f\" } NF || length { n = split(\$0, l, \"\n\"); if (n - 1 != 25) print \"page \" NR \" has \" n - 1 \" lines\"; if (l[25] !~ /^ +#[A-J]+\$/) print \"page \" NR \" number: \" l[25] }'"
}

for locale in en-GB ur yue-Hant; do
  expect_out "render braille $locale" "" -- du render --template holding-reply --locale "$locale" --format braille --sample --to brf --output "$work/h-$locale.brf"
  check_brf "$work/h-$locale.brf" "holding-reply $locale"
  # --to text shows the same file.
  expect_out "braille text $locale" "same" -- sh -c "'$duly' --home '$home' render --template holding-reply --locale $locale --format braille --sample --to text | cmp -s - '$work/h-$locale.brf' && echo same"
done

expect_out "render audio wav" "" -- du render --template holding-reply --format audio --sample --to wav --output "$work/h.wav"
expect_out "wav format" "1
22050" -- sh -c "soxi -c '$work/h.wav'; soxi -r '$work/h.wav'" 
words=$(du render --template holding-reply --format audio --sample --to text | wc -w)
seconds=$(soxi -D "$work/h.wav")
expect_out "wav length plausible for $words words in $seconds s" "yes" -- sh -c "echo '$words * 60 / $seconds >= 120 && $words * 60 / $seconds <= 220' | bc -l | sed 's/1/yes/'"
expect_out "render audio ogg" "" -- du render --template acknowledgement --locale ur --format audio --sample --to ogg --output "$work/a.ogg"
expect_out "ogg under 1 MB" "OggS yes" -- sh -c "head -c 4 '$work/a.ogg'; echo ' '\$([ \$(stat -c %s '$work/a.ogg') -lt 1000000 ] && echo yes)"

expect_fail "brf needs braille" 2 "duly: --to brf needs --format braille" -- du render --template acknowledgement --sample --to brf --output "$work/x.brf"
expect_fail "braille is not a pdf" 2 "duly: --format braille is written --to brf (or previewed --to text)" -- du render --template acknowledgement --format braille --sample --to pdf --output "$work/x.pdf"
expect_fail "brf needs a file" 2 "duly: --to brf needs --output FILE (it is not written to the terminal)" -- du render --template acknowledgement --format braille --sample --to brf
expect_fail "unknown format" 2 "duly: --format sign-language is not known (expected standard, large-print, braille or audio)" -- du render --template acknowledgement --format sign-language --sample

# templates lint: a symbol with no Braille and no reading is an error, named
# with the locale and the template block it came from (the heading, line 6).
lint="$work/lint-home"; mkdir -p "$lint"
cp -r "$src/config" "$src/templates" "$src/locales" "$lint/"
expect_contains "lint passes" "holding-reply: reading ease" -- "$duly" --home "$lint" templates lint --template holding-reply
sed -i 's/^holding.heading = "\(.*\)"/holding.heading = "\1 \xe2\x98\x83"/' "$lint/locales/en-GB.toml"
expect_out "lint finds the snowman" "1
  en-GB: error: braille: U+2603 ☃ (en-ueb-g2.ctb) in templates/holding-reply.tmpl:6
  en-GB: error: audio: U+2603 ☃ in templates/holding-reply.tmpl:6: not read aloud" -- \
  sh -c "'$duly' --home '$lint' templates lint --template holding-reply > '$work/lint.out'; echo \$?; grep -F 'en-GB: error:' '$work/lint.out'"

# Tagged PDF: every locale in standard and large print has a structure tree
# with the letter's parts in reading order (pdfinfo -struct-text), a /Lang on
# each element, and the page numbers left out of it.
for locale in en-GB ur yue-Hant; do
  for format in standard large-print; do
    pdf="$work/t-$locale-$format.pdf"
    expect_out "pdf $locale $format" "" -- du render --template holding-reply --locale "$locale" --format "$format" --sample --to pdf --output "$pdf"
    expect_out "tagged $locale $format" "Tagged:          yes" -- sh -c "pdfinfo '$pdf' | grep '^Tagged:'"
    expect_out "structure $locale $format" "Document
  Sect
  Div
  P
  P
  H1
  P
  P
  P
  P
  P
  Div
  Div
    P
    P
    P" -- sh -c "pdfinfo -struct-text '$pdf' | grep -aE '^ *[A-Z][A-Za-z0-9]*( |\$)' | sed -E 's/^( *)([A-Za-z0-9]+).*/\1\2/'"
    # The first paragraph's words and the signature's name are in the tree, in that order.
    expect_out "reading order $locale $format" "yes" -- sh -c "pdfinfo -struct-text '$pdf' | tr -d ' \n' | grep -aq 'JaneSmith.*JaneSmith.*ProgressHousingGroup' && echo yes"
  done
done
# /Lang on every element: the letter's, and each footer line's own.
langs() {
  qpdf --qdf --object-streams=disable "$1" - | python3 -c '
import re, sys
objs = sys.stdin.buffer.read().split(b"endobj")
elems = [o for o in objs if b"/Type /StructElem" in o]
missing = sum(1 for o in elems if b"/Lang (" not in o)
langs = sorted({m.decode() for o in elems for m in re.findall(rb"/Lang \(([^)]*)\)", o)})
print(len(elems) > 10, missing, " ".join(langs))'
}
expect_out "lang on every element (en-GB)" "True 0 en-GB ur yue-Hant" -- langs "$work/t-en-GB-standard.pdf"
expect_out "lang on every element (ur)" "True 0 en-GB ur yue-Hant" -- langs "$work/t-ur-large-print.pdf"
# The logo of a letterhead is a Figure with the organisation's name as its alternative text.
python3 -c '
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
rows = b"".join(b"\0" + bytes([40, 90, 160]) * 60 for _ in range(20))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 60, 20, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))' > "$work/logo.png"
printf '\n[letterhead.progress]\nlogo = "%s/logo.png"\n' "$work" >> "$home/config/letters.toml"
expect_out "logo pdf" "" -- du render --template acknowledgement --sample --to pdf --output "$work/logo.pdf"
expect_out "logo is a figure" "(Progress Housing Group)" -- sh -c "qpdf --qdf --object-streams=disable '$work/logo.pdf' - | python3 -c '
import re, sys
for o in sys.stdin.buffer.read().split(b\"endobj\"):
    if b\"/S /Figure\" in o: print(re.search(rb\"/Alt (\\(.*?\\))\", o).group(1).decode())'"
expect_out "logo in the letterhead" "Document
  Sect
    Figure" -- sh -c "pdfinfo -struct-text '$work/logo.pdf' | grep -aE '^ *[A-Z][A-Za-z0-9]*( |\$)' | sed -E 's/^( *)([A-Za-z0-9]+).*/\\1\\2/' | head -3"

# A print run for customers who asked for Braille, audio, and large print with audio.
du import officers "$home/config/sample/officers.csv" >/dev/null
cat > "$work/customers.csv" <<'CSV'
reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel
C30001,Ms Ann Booth,Dear Ms Booth,ann@example.org,,1 Church Road,,,Leyland,PR25 3AB,en-GB,braille,post
C30002,Mrs Nasreen Akhtar,Dear Mrs Akhtar,nasreen@example.org,,12 Mill Lane,,,Leyland,PR25 4QP,ur,audio,post
C30003,Mr Wing Kei Lee,Dear Mr Lee,wing@example.org,,4 Golden Hill,,,Leyland,PR25 3NN,yue-Hant,large-print;audio,post
CSV
du import customers "$work/customers.csv" >/dev/null
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"
i=0
for who in ann nasreen wing; do
  i=$((i + 1))
  printf 'From: %s@example.org\r\nSubject: Repair %d\r\nMessage-ID: <q%d@example.org>\r\n\r\nPlease help.\r\n' "$who" "$i" "$i" > "$inbox/new/$i"
done
expect_contains "queued" "took in 3 messages" -- du watch --once --now 2026-11-23T10:05:00Z
out="$work/print"
expect_contains "print run" "print run 20261123-160000: 3 letters" -- du print-run --output "$out" --now 2026-11-23T16:00:00Z
manifest="$out/print-run-20261123-160000-manifest.csv"
# The print (standard, then large print) and, after it, one Braille or audio
# file for each letter in postcode order (PR25 3AB, 3NN, 4QP).
expect_out "manifest" "standard C30001 
standard C30002 
large-print C30003 
braille C30001 print-run-20261123-160000-braille/0004-$(awk -F, '$4 == "C30001" { print $3; exit }' "$manifest").brf
audio C30003 print-run-20261123-160000-audio/0005-$(awk -F, '$4 == "C30003" { print $3; exit }' "$manifest").ogg
audio C30002 print-run-20261123-160000-audio/0006-$(awk -F, '$4 == "C30002" { print $3; exit }' "$manifest").ogg" -- \
  sh -c "tail -n +2 '$manifest' | awk -F, '{ f = (\$2 == \"braille\" || \$2 == \"audio\") ? \$9 : \"\"; print \$2, \$4, f }'"
for f in $(awk -F, 'NR > 1 && ($2 == "braille" || $2 == "audio") { print $9 }' "$manifest"); do
  expect_out "$f written" "yes" -- sh -c "[ -s '$out/$f' ] && echo yes"
done
brf=$(ls "$out"/print-run-20261123-160000-braille/*.brf)
check_brf "$brf" "print run Braille"
finish
