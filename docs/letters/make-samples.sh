#!/usr/bin/env bash
# docs/letters/make-samples.sh: draws the sample pages of docs/letters.md again
# (first page of the sample acknowledgement in each locale and format, and on
# each shipped charter, the pause and resume notices, and the
# window test page, and a complaint's extension notice and stage 2
# acknowledgement under each nation's complaints scheme) as small 16-grey
# PNGs at 60 dpi. Run from the repository's
# top folder after building: docs/letters/make-samples.sh
set -euo pipefail
out=docs/letters
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
png() {  # png PDF NAME: first page, 60 dpi, 4-bit grey
  pdftoppm -gray -r 60 -f 1 -l 1 -singlefile "$1" "$tmp/page"
  python3 - "$tmp/page.pgm" "$out/$2.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
parts = data.split(maxsplit=4)
w, h = int(parts[1]), int(parts[2])
px = parts[4][-w * h:]
rows = bytearray()
for y in range(h):
    rows.append(0)
    line = px[y * w:(y + 1) * w]
    for x in range(0, w, 2):
        rows.append((line[x] >> 4) << 4 | ((line[x + 1] >> 4) if x + 1 < w else 15))
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
open(sys.argv[2], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 4, 0, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))
PY
}
for locale in en-GB ur yue-Hant; do
  for format in standard large-print; do
    build/duly render --template acknowledgement --locale "$locale" --format "$format" --sample --to pdf --output "$tmp/l.pdf"
    png "$tmp/l.pdf" "acknowledgement-$locale-$format"
  done
done
# Every shipped charter's acknowledgement, in each locale and format, headed
# and signed as that landlord sends it; and the pause and resume notices.
for charter in progress paragon south-western example-scotland example-wales; do
  for locale in en-GB ur yue-Hant; do
    for format in standard large-print; do
      build/duly render --template acknowledgement --locale "$locale" --format "$format" --sample --charter "$charter" \
        --to pdf --output "$tmp/l.pdf"
      png "$tmp/l.pdf" "charter-$charter-acknowledgement-$locale-$format"
    done
  done
done
for template in pause-notice resume-notice; do
  build/duly render --template "$template" --sample --to pdf --output "$tmp/p.pdf"
  png "$tmp/p.pdf" "$template-en-GB-standard"
done
# The missed-calls letter (a phone message no one answered), in each locale.
for locale in en-GB ur yue-Hant; do
  build/duly render --template missed-calls --locale "$locale" --sample --charter south-western --to pdf --output "$tmp/m.pdf"
  png "$tmp/m.pdf" "missed-calls-$locale-standard"
done
build/duly render --template acknowledgement --sample --to pdf --output "$tmp/w.pdf" --window-outline
png "$tmp/w.pdf" window-test-page
# Complaint letters per scheme: the sample complaint as each nation's landlord
# writes it, with its scheme's ombudsman (config/schemes). Northern Ireland
# has no shipped charter: the Welsh example moved to NIPSO stands in.
sed -e 's/^scheme = "psow"/scheme = "nipso"/' -e 's/^region = "england-and-wales"/region = "northern-ireland"/' \
    -e 's/^name = "example-wales"/name = "example-ni"/' config/charters/example-wales.toml > "$tmp/example-ni.toml"
for pair in "progress:housing-ombudsman" "config/charters/example-scotland.toml:spso" \
            "config/charters/example-wales.toml:psow" "$tmp/example-ni.toml:nipso"; do
  charter=${pair%:*}; scheme=${pair##*:}
  for template in complaint-stage-1-extension complaint-stage-2-acknowledgement; do
    build/duly render --template "$template" --sample --charter "$charter" --to pdf --output "$tmp/c.pdf"
    png "$tmp/c.pdf" "$template-$scheme"
  done
done
