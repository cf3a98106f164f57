#!/usr/bin/env bash
# docs/letters/make-samples.sh: draws the sample pages of docs/letters.md again
# (first page of the sample acknowledgement in each locale and format, and the
# window test page) as small 16-grey PNGs at 60 dpi. Run from the repository's
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
build/duly render --template acknowledgement --sample --to pdf --output "$tmp/w.pdf" --window-outline
png "$tmp/w.pdf" window-test-page
