#!/usr/bin/env bash
# make-fuzz-seeds.sh DULY MAKE_TEST_PDF MAKE_TEST_PKI OUT_DIR: writes the seed
# corpus of fuzz_pdf_verify and fuzz_pdf_sign (committed in fuzz-seeds/; run
# again only to change it). The seeds are the test letters in every shape,
# unsigned and signed with ECDSA, and the hostile shapes of issue 11 built on
# them: 600 cross-reference sections sharing one /XRefStm, a signed letter
# whose /Fields names its signature 10,000 times, 101 signature fields, a
# cross-reference stream that inflates to 1 MiB, a /Prev loop, truncations.
set -euo pipefail
duly=$(realpath "$1") make_pdf=$(realpath "$2") make_pki=$(realpath "$3")
mkdir -p "$4"
out=$(realpath "$4")
work=$(mktemp -d "${TMPDIR:-/tmp}/duly-seeds-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
"$make_pki" pki >/dev/null
for shape in classic xref-stream object-stream acroform hybrid libharu; do
  "$make_pdf" "$out/$shape.pdf" "$shape"
  "$duly" pdf sign "$out/$shape.pdf" "$out/$shape-signed.pdf" --p12 pki/ec.p12 --password-file pki/password.txt \
    --time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --reason "Letter from Progress Housing Group" >/dev/null
done

python3 - "$out" <<'PY'
import re, sys, zlib
out = sys.argv[1]
def read(name):
    return open(f"{out}/{name}", "rb").read()
def write(name, data):
    open(f"{out}/{name}", "wb").write(data)
def startxref(pdf):
    return int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
def trailer_size(pdf):
    return int(re.findall(rb"/Size (\d+)", pdf)[-1])

# 600 classic sections, each naming the hybrid file's one /XRefStm.
pdf = read("hybrid.pdf")
xrefstm = int(re.search(rb"/XRefStm (\d+)", pdf).group(1))
size, prev = trailer_size(pdf), startxref(pdf)
for _ in range(599):
    at = len(pdf)
    pdf += (b"xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size %d /Root 1 0 R /Info 6 0 R /XRefStm %d /Prev %d >>\n"
            % (size, xrefstm, prev))
    prev = at
pdf += b"startxref\n%d\n%%%%EOF\n" % prev
write("hostile-shared-xrefstm.pdf", pdf)

# A signed letter whose /Fields (object 8) names its one signature 10,000 times.
pdf = read("acroform-signed.pdf")
field = trailer_size(read("acroform.pdf")) + 1  # the signer numbers its /Sig /Size, its field /Size + 1
at8 = len(pdf)
pdf += b"8 0 obj\n[" + b" ".join([b"%d 0 R" % field] * 10000) + b"]\nendobj\n"
xref_at = len(pdf)
pdf += (b"xref\n8 1\n%010d 00000 n\r\ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (at8, trailer_size(pdf), startxref(pdf), xref_at))
write("hostile-one-signature-10000-times.pdf", pdf)

# 101 signature fields, each with its own (empty) signature dictionary.
pdf = read("acroform.pdf")
size, prev = trailer_size(pdf), startxref(pdf)
offsets = {}
first_field, first_sig = size, size + 101
offsets[8] = len(pdf)
pdf += b"8 0 obj\n[" + b" ".join(b"%d 0 R" % (first_field + i) for i in range(101)) + b"]\nendobj\n"
for i in range(101):
    offsets[first_field + i] = len(pdf)
    pdf += b"%d 0 obj\n<< /FT /Sig /T (S%d) /V %d 0 R >>\nendobj\n" % (first_field + i, i, first_sig + i)
for i in range(101):
    offsets[first_sig + i] = len(pdf)
    pdf += b"%d 0 obj\n<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n" % (first_sig + i)
xref_at = len(pdf)
pdf += b"xref\n8 1\n%010d 00000 n\r\n%d %d\n" % (offsets[8], first_field, 202)
for n in range(first_field, first_field + 202):
    pdf += b"%010d 00000 n\r\n" % offsets[n]
pdf += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (first_field + 202, prev, xref_at)
write("hostile-101-signatures.pdf", pdf)

# A cross-reference stream that inflates to 1 MiB of zeros (free entries).
pdf = read("classic.pdf")
size, prev = trailer_size(pdf), startxref(pdf)
bomb = zlib.compress(b"\0" * (1 << 20), 9)
at = len(pdf)
pdf += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [0 1] /Root 1 0 R /Prev %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (size, size + 1, prev, len(bomb)) + bomb + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at)
write("hostile-inflating-xref-stream.pdf", pdf)

# A /Prev chain that comes back to itself through the blank before the table.
pdf = read("classic.pdf")
at = len(pdf)
pdf += b"\n\n  xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" % (trailer_size(pdf), at + 1)
pdf += b"startxref\n%d\n%%%%EOF\n" % at
write("hostile-prev-loop.pdf", pdf)

# Truncated letters.
for name in ("classic-signed.pdf", "object-stream-signed.pdf"):
    pdf = read(name)
    write("truncated-" + name, pdf[: len(pdf) * 2 // 3])
PY
ls -l "$out"
