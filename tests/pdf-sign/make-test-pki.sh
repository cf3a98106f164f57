#!/usr/bin/env bash
# make-test-pki.sh DIR: makes a throwaway PKI for the signing tests with the
# openssl command line: an ECDSA P-256 test CA, a second CA that trusts
# nobody here, and PKCS#12 signers (RSA-2048, ECDSA P-256, RSA-1024 to be
# refused, certificates without a key, and a legacy RC2/3DES file when this
# OpenSSL can still write one), all with the password in password.txt.
# Nothing here is a real key; it is made again whenever DIR is missing.
# DIR is written through a temporary folder and renamed, so concurrent runs
# never see half a PKI.
set -euo pipefail
out=$1
[ -f "$out/done" ] && exit 0
tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
days=30
printf 'duly test password\n' > password.txt

ca() {  # ca NAME "Common Name"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.pem" \
    -days "$days" -subj "/CN=$2/O=Duly Tests" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
ca ca "Duly Test CA"
ca other-ca "Duly Other Test CA"

cat > signer.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT

serial=100
signer() {  # signer NAME "Common Name" KEYARGS...
  local name=$1 cn=$2
  shift 2
  openssl req -new -newkey "$@" -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn/O=Duly Tests" 2>/dev/null
  serial=$((serial + 1))
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -set_serial "$serial" -days "$days" \
    -extfile signer.ext -out "$name.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$name.key" -in "$name.pem" -certfile ca.pem -name "$cn" \
    -out "$name.p12" -passout file:password.txt
}
signer rsa "Progress Housing Group (test RSA)" rsa:2048
signer ec "Progress Housing Group (test ECDSA)" ec -pkeyopt ec_paramgen_curve:P-256
signer rsa1024 "Too Small (test)" rsa:1024
openssl pkcs12 -export -nokeys -in rsa.pem -out certs-only.p12 -passout file:password.txt
openssl pkcs12 -export -legacy -inkey rsa.key -in rsa.pem -out legacy.p12 -passout file:password.txt 2>/dev/null \
  || rm -f legacy.p12
rm -f ./*.csr
touch done
cd - >/dev/null
trap - EXIT
if ! mv -T "$tmp" "$out" 2>/dev/null; then
  rm -rf "$tmp"  # another run made it first
  [ -f "$out/done" ]
fi
