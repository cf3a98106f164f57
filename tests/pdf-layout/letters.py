#!/usr/bin/env python3
"""Letters as PDF, checked with Debian's own tools.

Usage: letters.py DULY SOURCE_HOME PDF_SHAPING_SAMPLE

For every letter template, locale (en-GB, ur, yue-Hant) and format
(standard, large-print): `duly render --sample --to pdf` writes the letter;
`qpdf --check` must pass; `pdffonts` must show every font embedded and every
drawn font subset; `pdftotext` must give the whole signature block (the
officer's name, position, organisation, direct line and email), the
reference and the letter's own sentences (heading, closing) in logical order. Then a
line of Urdu drawn by Duly is rasterised with pdftoppm and compared with
HarfBuzz's own rendering (hb-view) of the same text and font, so a shaping
regression fails; the comparison is checked to tell a wrong shaping
(hb-view's fallback shaper, no joining) from the right one. Last, with a
[signing] table in a config file (the test PKI of tests/pdf-sign), the
letter comes out signed: `duly pdf verify --ca` and pdfsig say it is valid.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

duly, home, sample_tool = sys.argv[1:4]
failures = []
passes = 0
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NASTALIQ = "/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf"


def check(ok, what):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def normal(text, chinese):
    text = BIDI.sub("", text)
    return re.sub(r"\s+", "" if chinese else " ", text).strip()


def plain(line):
    return "".join(r["text"] for r in line["runs"])


def has_value(line):
    return any(r["isolate"] for r in line["runs"])


templates = sorted(
    f[:-5] for f in os.listdir(os.path.join(home, "templates")) if f.endswith(".tmpl") and not f.startswith("officer-")
)
tmp = tempfile.mkdtemp(prefix="duly-letters-")
for name in templates:
    for locale in ("en-GB", "ur", "yue-Hant"):
        for fmt in ("standard", "large-print"):
            label = f"{name} {locale} {fmt}"
            pdf = os.path.join(tmp, f"{name}-{locale}-{fmt}.pdf")
            r = run(duly, "--home", home, "render", "--template", name, "--locale", locale, "--format", fmt,
                    "--sample", "--to", "pdf", "--output", pdf)
            check(r.returncode == 0, f"{label}: duly render exit {r.returncode}: {r.stderr.strip()}")
            if r.returncode != 0:
                continue
            doc = json.loads(run(duly, "--home", home, "render", "--template", name, "--locale", locale, "--format",
                                 fmt, "--sample", "--to", "document-json").stdout)
            q = run("qpdf", "--check", pdf)
            check(q.returncode == 0, f"{label}: qpdf --check: {q.stdout.strip()[-200:]}")
            fonts = run("pdffonts", pdf).stdout.splitlines()[2:]
            check(len(fonts) >= 2, f"{label}: pdffonts lists {len(fonts)} fonts")
            for line in fonts:
                cols = line.split()
                # name type... emb sub uni object ID: emb/sub/uni are the 5th to 3rd last.
                emb, sub, uni = cols[-5], cols[-4], cols[-3]
                check(emb == "yes", f"{label}: font not embedded: {line}")
                check(sub == "yes" and "+" in cols[0], f"{label}: font not a subset: {line}")
                if cols[0].endswith("+DulyTextLayer"):
                    check(uni == "yes", f"{label}: text layer without ToUnicode: {line}")
            check(any(l.split()[0].endswith("+DulyTextLayer") for l in fonts), f"{label}: no text layer font")
            chinese = locale == "yue-Hant"
            text = normal(run("pdftotext", pdf, "-").stdout, chinese)
            expected = []
            for block in doc["blocks"]:
                if block["kind"] == "reference":
                    expected += re.findall(r"PHG-\d{4}-\d{5}", plain(block["lines"][0]))
                if block["kind"] == "signature":
                    # The closing in the letter's language, then the officer's name,
                    # position, organisation, direct line and email: whole lines,
                    # or for a line with values in it (Urdu labels) each value.
                    check(len(block["lines"]) == 6, f"{label}: signature block of {len(block['lines'])} lines")
                    for line in block["lines"]:
                        if has_value(line) and locale == "ur":
                            expected += [r["text"] for r in line["runs"] if r["isolate"]]
                        else:
                            expected.append(plain(line))
                if block["kind"] == "heading" and not has_value(block["lines"][0]):
                    expected.append(plain(block["lines"][0]))
            check(len(expected) >= 4, f"{label}: found only {expected} to look for")
            for e in expected:
                check(normal(e, chinese) in text, f"{label}: pdftotext lacks {e!r}")
            if locale == "en-GB":
                # The first paragraph after the greeting, whole and in order.
                paras = [b for b in doc["blocks"] if b["kind"] == "paragraph"]
                check(normal(plain(paras[1]["lines"][0]), False) in text, f"{label}: a paragraph not in order")


def gray(pdf, stem):
    """Dark pixels of the first page at 72 dpi, moved so the ink's bottom left corner is (0, 0)."""
    subprocess.run(["pdftoppm", "-r", "72", "-gray", pdf, stem], check=True)
    with open(stem + "-1.pgm", "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    pixels = parts[4][-w * h:]
    ink = {(i % w, i // w) for i, v in enumerate(pixels) if v < 128}
    x0 = min(p[0] for p in ink)
    y1 = max(p[1] for p in ink)
    return {(x - x0, y1 - y) for x, y in ink}


def near(a, b):
    """Share of a's pixels with a pixel of b at most one pixel away."""
    return sum(1 for x, y in a if any((x + dx, y + dy) in b for dx in (-1, 0, 1) for dy in (-1, 0, 1))) / len(a)


def similarity(a, b):
    """How well two ink sets agree (1.0 the same), aligned on the bottom left of
    the ink (the baseline's descenders: hb-view trims Nastaliq's tallest
    strokes to the font's ascender), shifted by up to 2 pixels."""
    best = 0.0
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            moved = {(x + dx, y + dy) for x, y in b}
            best = max(best, (near(a, moved) + near(moved, a)) / 2)
    return best


def extent(s):
    return max(p[0] for p in s) + 1, max(p[1] for p in s) + 1


sentence = "ہمیں کچھ اور وقت چاہیے"
ours = os.path.join(tmp, "ours.pdf")
subprocess.run([sample_tool, ours, "40", sentence], check=True)
hb = os.path.join(tmp, "hb.pdf")
subprocess.run(["hb-view", "--font-size=40", "--output-format=pdf", "-o", hb, NASTALIQ, sentence], check=True)
wrong = os.path.join(tmp, "wrong.pdf")
subprocess.run(["hb-view", "--shapers=fallback", "--font-size=40", "--output-format=pdf", "-o", wrong, NASTALIQ, sentence],
               check=True)
a = gray(ours, os.path.join(tmp, "ours"))
b = gray(hb, os.path.join(tmp, "hb"))
c = gray(wrong, os.path.join(tmp, "wrong"))
(aw, ah), (bw, bh) = extent(a), extent(b)
check(abs(aw - bw) <= 2 and abs(ah - bh) <= 6, f"Urdu line is {aw}x{ah} px, hb-view's {bw}x{bh}")
right_score, wrong_score = similarity(a, b), similarity(c, b)
print(f"Urdu raster overlap with hb-view: {right_score:.3f} (unshaped text: {wrong_score:.3f})")
check(right_score >= 0.95, f"Urdu line differs from hb-view's rendering (overlap {right_score:.3f})")
check(wrong_score < 0.6, f"the comparison cannot tell unshaped text (overlap {wrong_score:.3f})")

# Signed when a certificate is configured.
pki = os.path.join(tmp, "pki")
subprocess.run(["bash", os.path.join(home, "tests", "pdf-sign", "make-test-pki.sh"), pki], check=True)
config = os.path.join(tmp, "duly.toml")
with open(config, "w") as f:
    f.write(f'[signing]\np12 = "{pki}/ec.p12"\npassword_file = "{pki}/password.txt"\n'
            'reason = "Letter from Progress Housing Group"\n')
signed = os.path.join(tmp, "signed.pdf")
r = run(duly, "--home", home, "render", "--template", "acknowledgement", "--locale", "ur", "--sample", "--to", "pdf",
        "--output", signed, "--config", config)
check(r.returncode == 0, f"signed render: exit {r.returncode}: {r.stderr.strip()}")
v = run(duly, "--home", home, "pdf", "verify", signed, "--ca", os.path.join(pki, "ca.pem"))
check(v.returncode == 0 and "valid" in v.stdout, f"duly pdf verify: {v.stdout.strip()} {v.stderr.strip()}")
p = run("pdfsig", signed)
check("Signature is Valid." in p.stdout, f"pdfsig: {p.stdout.strip()}")
check("نیک خواہشات کے ساتھ" in normal(run("pdftotext", signed, "-").stdout, False), "signed letter lost its text")
r = run(duly, "--home", home, "render", "--template", "acknowledgement", "--sample", "--to", "pdf",
        "--output", os.path.join(tmp, "x.pdf"), "--config", os.path.join(tmp, "missing.toml"))
check(r.returncode == 2, f"a missing config file: exit {r.returncode}")

print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
