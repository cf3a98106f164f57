#!/usr/bin/env bash
# pdfsig_test.sh DULY MAKE_TEST_PDF MAKE_TEST_PKI: signs test letters (classic
# table, cross-reference stream, object stream, hybrid, written by libharu,
# linearised by qpdf, an existing AcroForm) with RSA-2048 and ECDSA P-256 through `duly pdf sign`,
# then checks them with other people's tools: qpdf --check passes, poppler's
# pdfsig says the signature is valid and, with the test CA in an NSS
# database made by certutil, trusted; pdfinfo still shows the document
# information; one changed byte and appended bytes are reported by pdfsig and
# by `duly pdf verify` (exit 1); a wrong password is refused without showing it;
# a file that is not a PDF, or cut short, is status 2 for verify as for sign.
set -euo pipefail
duly=$(realpath "$1") make_pdf=$(realpath "$2") make_pki=$(realpath "$3")
work=$(mktemp -d "${TMPDIR:-/tmp}/duly-pdfsig-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_grep() {  # expect_grep WHAT PATTERN FILE
  if grep -q -- "$2" "$3"; then pass "$1"; else fail "$1 (no '$2' in:)"; sed 's/^/    /' "$3"; fi
}

"$make_pki" "$work/pki" >/dev/null
pki=$work/pki
mkdir nss
certutil -N -d sql:nss --empty-password
certutil -A -d sql:nss -n "Duly Test CA" -t "CT,C,C" -i "$pki/ca.pem"

"$make_pdf" classic.pdf classic
"$make_pdf" xref-stream.pdf xref-stream
"$make_pdf" object-stream.pdf object-stream
"$make_pdf" acroform.pdf acroform
"$make_pdf" hybrid.pdf hybrid
"$make_pdf" libharu.pdf libharu
qpdf --object-streams=generate classic.pdf qpdf-objstm.pdf
qpdf --linearize classic.pdf linearized.pdf

for key in rsa ec; do
  for input in classic xref-stream object-stream acroform hybrid libharu qpdf-objstm linearized; do
    out=$input-$key-signed.pdf
    what="$input, $key"
    if ! "$duly" pdf sign "$input.pdf" "$out" --p12 "$pki/$key.p12" --password-file "$pki/password.txt" \
         --reason "Letter from Progress Housing Group" > sign.out 2>&1; then
      fail "$what: duly pdf sign"; cat sign.out; continue
    fi
    if qpdf --check "$out" > qpdf.out 2>&1; then pass "$what: qpdf --check"; else fail "$what: qpdf --check"; cat qpdf.out; fi
    pdfsig -nssdir sql:nss "$out" > pdfsig.out 2>&1 || true
    expect_grep "$what: pdfsig valid" "Signature Validation: Signature is Valid." pdfsig.out
    expect_grep "$what: pdfsig trusted" "Certificate Validation: Certificate is Trusted." pdfsig.out
    expect_grep "$what: pdfsig whole document" "Total document signed" pdfsig.out
    expect_grep "$what: pdfsig ETSI.CAdES.detached" "Signature Type: ETSI.CAdES.detached" pdfsig.out
    if "$duly" pdf verify "$out" --ca "$pki/ca.pem" > verify.out 2>&1; then
      expect_grep "$what: duly pdf verify" ": valid" verify.out
    else
      fail "$what: duly pdf verify exit status"; cat verify.out
    fi
    pdfinfo "$out" > info.out 2>&1 || true
    expect_grep "$what: pdfinfo title kept" "Title: *Your repair" info.out
    expect_grep "$what: pdfinfo author kept" "Author: *Dee Parker" info.out
    expect_grep "$what: pdfinfo subject kept" "Subject: *PHG-2026-00001" info.out
  done
done

# One changed byte in the letter's text.
python3 - classic-rsa-signed.pdf changed.pdf <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.index(b'back door')
d[i] = ord('h')
open(sys.argv[2], 'wb').write(d)
PY
pdfsig -nssdir sql:nss changed.pdf > pdfsig.out 2>&1 || true
expect_grep "changed byte: pdfsig" "Signature Validation: Digest Mismatch." pdfsig.out
set +e
"$duly" pdf verify changed.pdf --ca "$pki/ca.pem" > verify.out 2>&1; status=$?
set -e
[ "$status" = 1 ] && pass "changed byte: duly pdf verify exit 1" || fail "changed byte: duly pdf verify exit $status"
expect_grep "changed byte: duly pdf verify says so" "changed after signing: yes (the signed bytes do not match the signature)" verify.out

# Bytes appended after signing.
cp classic-ec-signed.pdf appended.pdf
printf '%% appended after signing\n' >> appended.pdf
pdfsig -nssdir sql:nss appended.pdf > pdfsig.out 2>&1 || true
expect_grep "appended: pdfsig" "Not total document signed" pdfsig.out
set +e
"$duly" pdf verify appended.pdf > verify.out 2>&1; status=$?
set -e
[ "$status" = 1 ] && pass "appended: duly pdf verify exit 1" || fail "appended: duly pdf verify exit $status"
expect_grep "appended: duly pdf verify says so" "changed after signing: yes (25 bytes added after the signed part)" verify.out

# Not trusted by another CA.
set +e
"$duly" pdf verify classic-rsa-signed.pdf --ca "$pki/other-ca.pem" > verify.out 2>&1; status=$?
set -e
[ "$status" = 1 ] && pass "other CA: exit 1" || fail "other CA: exit $status"
expect_grep "other CA: reported" "does not chain to" verify.out

# A wrong password: status 2, the file named, the password not shown.
printf 'hunter2-wrong\n' > wrong.txt
set +e
"$duly" pdf sign classic.pdf never.pdf --p12 "$pki/rsa.p12" --password-file wrong.txt > wrong.out 2>&1; status=$?
set -e
[ "$status" = 2 ] && pass "wrong password: exit 2" || fail "wrong password: exit $status"
expect_grep "wrong password: message" "rsa.p12: the password does not open it" wrong.out
if grep -q hunter2 wrong.out; then fail "wrong password: the password was printed"; else pass "wrong password: not printed"; fi
[ ! -e never.pdf ] && pass "wrong password: no output file" || fail "wrong password: output written"

# The certificate from the config file's [signing] table.
cat > duly.toml <<TOML
[signing]
p12 = "$pki/ec.p12"
password_file = "$pki/password.txt"
reason = "Letter from Progress Housing Group"
TOML
if "$duly" pdf sign classic.pdf from-config.pdf --config duly.toml > sign.out 2>&1 &&
   "$duly" pdf verify from-config.pdf --ca "$pki/ca.pem" > verify.out 2>&1; then
  pass "signing from [signing] in the config"
else
  fail "signing from [signing] in the config"; cat sign.out verify.out
fi
expect_grep "config: /Reason from signing.reason" "/Reason(Letter from Progress Housing Group)" from-config.pdf

# Bad use: status 2 and a message that says what is missing.
check_usage() {  # check_usage MESSAGE ARGS...
  local message=$1
  shift
  set +e
  "$duly" "$@" > usage.out 2>&1; local status=$?
  set -e
  if [ "$status" = 2 ] && grep -qF -- "$message" usage.out; then pass "usage: $message"; else
    fail "usage: expected status 2 and '$message', got $status:"; cat usage.out; fi
}
check_usage "duly pdf sign needs --password-file FILE with --p12" pdf sign classic.pdf x.pdf --p12 "$pki/rsa.p12"
check_usage "duly pdf: unknown action 'seal' (expected sign or verify)" pdf seal classic.pdf
check_usage "PDF missing.pdf: cannot be read (missing or no permission)" pdf verify missing.pdf
printf 'not a pdf\n' > junk.pdf
check_usage "junk.pdf: offset 0: expected a PDF header '%PDF-' in the first 1024 bytes" \
  pdf sign junk.pdf x.pdf --p12 "$pki/rsa.p12" --password-file "$pki/password.txt"
check_usage "is valid from" \
  pdf sign classic.pdf x.pdf --p12 "$pki/rsa.p12" --password-file "$pki/password.txt" --time 2020-01-01T00:00:00Z
check_usage "CA file nope.pem: cannot be read" pdf verify classic.pdf --ca nope.pem
# A file verify cannot read as a PDF is bad input too (status 2), not a
# signature found wanting (status 1).
check_usage "junk.pdf: cannot read the PDF: offset 0: expected a PDF header '%PDF-' in the first 1024 bytes" \
  pdf verify junk.pdf
head -c 300 classic-ec-signed.pdf > cut.pdf
check_usage "cut.pdf: cannot read the PDF: offset 300: expected 'startxref' near the end of the file" pdf verify cut.pdf
set +e
"$duly" pdf verify classic.pdf > verify.out 2>&1; status=$?
set -e
[ "$status" = 1 ] && pass "unsigned: duly pdf verify exit 1" || fail "unsigned: duly pdf verify exit $status"
expect_grep "unsigned: says so" "classic.pdf: NOT VALID: the PDF has no signature" verify.out

echo "$failures failures"
[ "$failures" = 0 ]
