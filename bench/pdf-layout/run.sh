#!/usr/bin/env bash
# bench/pdf-layout/run.sh [LETTERS]: makes a throwaway test certificate (the
# signing tests' PKI) and times LETTERS (default 10,000) signed letters with
# build/bench/pdf-layout/bench_pdf_layout; then seeds a store with LETTERS
# letters queued for the post and times `build/duly print-run` on it, signing
# with the RSA certificate, twice (a fresh copy of the store each time).
# Run from the repository's top folder. BENCH=… and DULY=… name other builds
# of the two programs (to compare before and after a change).
set -euo pipefail
letters=${1:-10000}
bench=${BENCH:-build/bench/pdf-layout/bench_pdf_layout}
duly=${DULY:-build/duly}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
bash tests/pdf-sign/make-test-pki.sh "$work/pki"
for key in ec rsa; do
  echo "== signing with $key.p12"
  "$bench" --letters "$letters" --p12 "$work/pki/$key.p12" \
    --password-file "$work/pki/password.txt" --out "$work/letters"
done
rm -rf "$work/letters"

echo "== duly print-run of $letters letters, each archived signed with rsa.p12"
"$bench" --letters "$letters" --seed-store "$work/seeded.db"
printf '[signing]\np12 = "%s"\npassword_file = "%s"\n' "$work/pki/rsa.p12" "$work/pki/password.txt" > "$work/duly.toml"
for pass in 1 2; do
  rm -rf "$work/print" "$work/store.db"*
  cp "$work/seeded.db" "$work/store.db"
  start=$(date +%s.%N)
  "$duly" --home "$PWD" --db "$work/store.db" print-run --config "$work/duly.toml" --output "$work/print" \
    --now 2026-11-23T16:00:00Z | head -1
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v n="$letters" \
    'BEGIN { printf "  pass %d: %.2f s, %.0f letters/s (claims, render, layout, signing, files, marks)\n", '"$pass"', e - s, n / (e - s) }'
done
