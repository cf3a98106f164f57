#!/usr/bin/env bash
# bench/pdf-layout/run.sh [LETTERS]: makes a throwaway test certificate (the
# signing tests' PKI) and times LETTERS (default 10,000) signed letters with
# build/bench/pdf-layout/bench_pdf_layout. Run from the repository's top folder.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
bash tests/pdf-sign/make-test-pki.sh "$work/pki"
for key in ec rsa; do
  echo "== signing with $key.p12"
  build/bench/pdf-layout/bench_pdf_layout --letters "${1:-10000}" --p12 "$work/pki/$key.p12" \
    --password-file "$work/pki/password.txt" --out "$work/letters"
done
