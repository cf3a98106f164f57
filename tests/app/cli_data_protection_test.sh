#!/usr/bin/env bash
# Data protection from the command line, end to end on the embedded store:
# - subject access: `duly customer export` of a customer with two cases (one
#   by email with an attachment, one by post with a letter printed and
#   signed by the print run) holds every item — the customer record, each
#   case's timeline, the message as received, the attachment, the
#   acknowledgement emailed, the signed PDF, the audit lines about their
#   cases — and nothing of another customer; zip entry names stay inside
#   the archive and index.html escapes what the customer sent;
# - rectification: `duly customer edit` with its history and refusals;
# - erasure: refused while a case is open or a complaint may still go to the
#   ombudsman (exit 2, nothing changed); then the name, email address and the
#   words of their messages are nowhere in the store file (read as bytes),
#   the other customer's are, and the figures the report reads are the same;
# - retention: a case closed past its period is anonymised, one inside it
#   is left alone; old audit lines are removed.
# - the audit log is kept in the store: the file an earlier version wrote is
#   imported once at the first command that audits, and kept renamed;
#   `duly audit show` reads it with its filters and refuses bad options.
# Usage: cli_data_protection_test.sh DULY SOURCE_HOME
set -u
duly="$1"; src="$2"
. "$(dirname "$0")/testlib.sh"
work=$(mktemp -d); trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
home="$work/home"; mkdir -p "$home"
cp -r "$src/config" "$src/templates" "$src/locales" "$home/"
bash "$src/tests/pdf-sign/make-test-pki.sh" "$work/pki"
cat >> "$home/config/duly.toml" <<TOML

# Only what goes to the customer: no warnings or digests to officers.
[scheduler]
warnings = false
escalations = false
digests = false

[signing]
p12 = "$work/pki/rsa.p12"
password_file = "$work/pki/password.txt"
TOML
du() { "$duly" --home "$home" "$@"; }
db="$home/var/duly.db"
audit="$home/var/audit.log"
inbox="$home/var/mail/inbox"; mkdir -p "$inbox/new" "$inbox/cur" "$inbox/tmp"

du import officers "$home/config/sample/officers.csv" >/dev/null
cat > "$work/customers.csv" <<'CSV'
reference,name,salutation,email,phone,address_line_1,address_line_2,address_line_3,town,postcode,language,formats,preferred_channel
C20001,Zanthia Oyelaran,Dear Ms Oyelaran,zanthia.oyelaran@example.org,07700 900555,3 Quillfeather Row,,,Leyland,PR25 3AB,en-GB,,email
C20002,Barnaby Quennell,Dear Mr Quennell,barnaby.quennell@example.org,,9 Heron Walk,,,Leyland,PR25 4QP,en-GB,,email
C20003,Ottoline Marsh,Dear Ms Marsh,ottoline.marsh@example.org,,1 Kestrel Close,,,Leyland,PR25 2SD,en-GB,,email
CSV
du import customers "$work/customers.csv" >/dev/null

# Case 1: Zanthia by email, with an attachment whose name tries to leave the
# archive and carries HTML. Case 2: Barnaby by email.
cat > "$inbox/new/1.eml" <<'EML'
From: Zanthia Oyelaran <zanthia.oyelaran@example.org>
To: customer.services@progress.example.org
Subject: The boiler <b>grinds</b>
Message-ID: <boiler-1@example.org>
Date: Mon, 23 Nov 2026 09:30:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

The boiler in flat nine makes a grinding noise like a xylophone <script>alert(1)</script>.
--b1
Content-Type: application/pdf; name="../../etc/<img src=x>boiler.pdf"
Content-Disposition: attachment; filename="../../etc/<img src=x>boiler.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKWlpCT0lMRVJQSE9UT1paCg==
--b1--
EML
cat > "$inbox/new/2.eml" <<'EML'
From: Barnaby Quennell <barnaby.quennell@example.org>
Subject: Fence
Message-ID: <fence-1@example.org>
Date: Mon, 23 Nov 2026 09:40:00 +0000

The heron fence leans towards the canal.
EML
sed -i 's/$/\r/' "$inbox/new/1.eml" "$inbox/new/2.eml"
expect_out "two emails taken in, acknowledged" "took in 2 messages; delivered 2" -- du watch --once --now 2026-11-23T10:00:00Z
expect_contains "Zanthia's case" "C20001" -- du case show PHG-2026-00001
expect_contains "Barnaby's case" "C20002" -- du case show PHG-2026-00002
# Case 3: Zanthia by post; the print run prints and signs the acknowledgement.
du case open --charter progress --channel letter --kind enquiry --customer C20001 --officer sali \
  --subject "Letter about the damp wardrobe" --body "The wardrobe smells of damp moss." \
  --received 2026-11-23T09:00:00Z --now 2026-11-23T11:00:00Z >/dev/null
# Letters get no acknowledgement under this charter: the holding reply a
# working day before the answer is due is the letter (with holding replies
# by email for the two email cases).
expect_out "holding replies queued" "queued 3; delivered 2" -- du tick --now 2026-11-27T16:50:00Z
expect_contains "printed" "print run 20261127-170000: 1 letter" -- du print-run --output "$work/print" --now 2026-11-27T17:00:00Z
# Who viewed what, as an earlier version's dashboard wrote it (a file): the
# first command that audits imports it into the store.
printf '2026-11-24T09:00:00Z\tsali\tviewed case\tPHG-2026-00001\t\n2026-11-24T09:05:00Z\tjwong\tviewed case\tPHG-2026-00002\t\n' >> "$audit"

# Zanthia's advocate acts for her on the first case (issue 14): part of
# what is held about her, and erased with it.
du case representative PHG-2026-00001 --name "Wilhelmina Dunstable" --kind advocate \
   --email wilhelmina@advocacy.example.org --consent-at 2026-11-25 --consent-how "signed form" --now 2026-11-30T10:00:00Z >/dev/null
# --- subject access
expect_out "export, after importing the old audit log" "duly: imported 2 lines of the old audit log $audit into the store; the file is kept as $audit.imported-20261201T100000Z and is no longer written
exported C20001: 2 cases, 5 files, index.html and data.json in $work/c20001.zip" -- \
  du customer export C20001 --output "$work/c20001.zip" --now 2026-12-01T10:00:00Z
expect_out "the zip's entries" "cases/
cases/PHG-2026-00001/
cases/PHG-2026-00001/email-1-acknowledgement.eml
cases/PHG-2026-00001/email-2-holding-reply.eml
cases/PHG-2026-00001/message-1-file-1-img_src_x_boiler.pdf
cases/PHG-2026-00001/message-1.eml
cases/PHG-2026-00003/
cases/PHG-2026-00003/letter-1-holding-reply.pdf
data.json
index.html" -- python3 -c '
import sys, zipfile
print("\n".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))' "$work/c20001.zip"
check_zip() { python3 - "$work/c20001.zip" <<'PY'
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
problems = []
def need(ok, what):
    if not ok: problems.append(what)
for n in z.namelist():
    need(not n.startswith("/") and ".." not in n.split("/") and "\\" not in n, "entry escapes: " + n)
everything = b"".join(z.read(n) for n in z.namelist())
for other in [b"Barnaby", b"Quennell", b"heron fence", b"PHG-2026-00002", b"Ottoline"]:
    need(other not in everything, "another customer's data: %r" % other)
data = json.loads(z.read("data.json"))
need(data["customer"]["name"] == "Zanthia Oyelaran", "customer name")
need(data["customer"]["email"] == "zanthia.oyelaran@example.org", "customer email")
need([c["reference"] for c in data["cases"]] == ["PHG-2026-00003", "PHG-2026-00001"] or
     sorted(c["reference"] for c in data["cases"]) == ["PHG-2026-00001", "PHG-2026-00003"], "cases")
email = next(c for c in data["cases"] if c["reference"] == "PHG-2026-00001")
need("grinding noise like a xylophone" in email["items"][0]["text"], "message text in data.json")
need(email["items"][0]["attachments"][0]["file"] == "cases/PHG-2026-00001/message-1-file-1-img_src_x_boiler.pdf", "attachment file")
need(z.read(email["items"][0]["attachments"][0]["file"]) == b"%PDF-1.4\nZZBOILERPHOTOZZ\n", "attachment bytes")
need(b"grinding noise like a xylophone" in z.read("cases/PHG-2026-00001/message-1.eml"), "raw message")
need(email["sent"][0]["recipient"] == "zanthia.oyelaran@example.org" and email["sent"][0]["route"] == "email", "email sent")
need(b"zanthia.oyelaran@example.org" in z.read("cases/PHG-2026-00001/email-1-acknowledgement.eml"), "email bytes")
need(any(e["type"] == "received" for e in email["events"]), "history")
need(email["representative"]["name"] == "Wilhelmina Dunstable" and email["representative"]["consent_how"] == "signed form",
     "representative in data.json")
need(next(c for c in data["cases"] if c["reference"] == "PHG-2026-00003")["representative"] is None, "no representative")
letter = z.read("cases/PHG-2026-00003/letter-1-holding-reply.pdf")
need(letter.startswith(b"%PDF") and b"/ByteRange" in letter and
     (b"adbe.pkcs7.detached" in letter or b"ETSI.CAdES.detached" in letter), "signed letter")
need([(a["actor"], a["subject"]) for a in data["audit"]] == [("sali", "PHG-2026-00001")], "audit lines: %r" % data["audit"])
html = z.read("index.html").decode()
need("<script>" not in html and "<img" not in html and "<b>grinds" not in html, "unescaped HTML in index.html")
need("&lt;script&gt;" in html and "The boiler &lt;b&gt;grinds&lt;/b&gt;" in html, "escaped text in index.html")
need(html.count("<section") == 2 and "PHG-2026-00003" in html and "Zanthia Oyelaran" in html, "timelines")
need('href="cases/PHG-2026-00003/letter-1-holding-reply.pdf"' in html, "link to the letter")
need("Acting for you: Wilhelmina Dunstable (advocate)" in html, "representative in index.html")
print("\n".join(problems) or "ok")
PY
}
expect_out "the export holds every item and nothing else" "ok" -- check_zip
expect_contains "the export is audited" "	cli	exported customer	C20001	2 cases, 5 files" -- du audit show
if [ -e "$audit" ]; then fail "the old audit log is still in its place"; else pass; fi
expect_out "the old file is kept, renamed and whole" "2" -- sh -c "grep -c 'viewed case' '$audit.imported-20261201T100000Z'"
expect_out "the imported lines are in the store" "2026-11-24T09:00:00Z	sali	viewed case	PHG-2026-00001	
2026-11-24T09:05:00Z	jwong	viewed case	PHG-2026-00002	" -- sh -c "'$duly' --home '$home' audit show | grep 'viewed case'"
expect_contains "the import is recorded once" "	duly	imported old audit log	audit log	2 lines, BLAKE2b " -- du audit show
expect_fail "export over a file" 2 "duly: --output: $work/c20001.zip exists; give a new file name" -- \
  du customer export C20001 --output "$work/c20001.zip"
expect_fail "export of nobody" 2 'duly: no customer with reference "C99999"' -- du customer export C99999 --output "$work/x.zip"
expect_fail "export without --output" 2 "duly: duly customer export needs --output FILE.zip" -- du customer export C20001
expect_fail "an option of another action" 2 "duly: --postcode is for duly customer edit only" -- du customer erase C20001 --postcode "PR1 1AA"

# --- rectification
expect_out "edit" "corrected C20001: postcode, formats, preferred-contact" -- \
  du customer edit C20001 --postcode "pr25 9zz" --formats large-print --preferred-contact post --as rhughes --now 2026-12-01T11:00:00Z
expect_contains "the history says who and when" 'corrected         2026-12-01T11:00:00+00:00 by rhughes: postcode "PR25 3AB" -> "PR25 9ZZ"' -- du customer show C20001
expect_contains "the correction is audited" "	rhughes	corrected customer	C20001	postcode, formats, preferred-contact" -- du audit show
expect_fail "bad postcode" 2 'duly: --postcode: expected a UK postcode such as PR25 2LW, or nothing, found "XYZ"' -- du customer edit C20001 --postcode XYZ
expect_fail "unknown field" 2 "duly: duly customer: unknown option --colour (accepted: --address-line-1, --address-line-2, --address-line-3, --as, --config, --email, --force, --formats, --language, --name, --now, --output, --phone, --postcode, --preferred-contact, --reason, --salutation, --town)" -- du customer edit C20001 --colour red
expect_fail "post without an address" 2 "duly: customer C20001 prefers post but would have no first address line (--address-line-1)" -- du customer edit C20001 --address-line-1 ""
expect_fail "nothing to change" 2 "duly: nothing to change: give at least one of --name, salutation, email, phone, address-line-1, address-line-2, address-line-3, town, postcode, language, formats, preferred-contact" -- du customer edit C20001
expect_contains "the refused edits changed nothing" "PR25 9ZZ" -- du customer show C20001

# --- erasure refused
expect_fail "erase with a case open" 2 "duly: customer C20001 cannot be erased yet: case PHG-2026-00003 is still open (give --force with --reason to erase anyway)" -- du customer erase C20001 --now 2026-12-02T10:00:00Z
expect_fail "force without a reason" 2 "duly: --force needs --reason saying why the erasure cannot wait" -- du customer erase C20001 --force
for ref in PHG-2026-00001 PHG-2026-00002 PHG-2026-00003; do
  du case reply "$ref" --at 2026-11-30T10:00:00Z --now 2026-11-30T10:00:00Z >/dev/null
  du case close "$ref" --at 2026-11-30T11:00:00Z --now 2026-11-30T11:00:00Z >/dev/null
done
ref4=$(du case open --charter progress --channel email --kind complaint-stage-1 --customer C20003 --officer dparker \
  --subject "Complaint about repairs" --received 2026-01-05T10:00:00Z --now 2026-01-05T10:00:00Z | head -1 | cut -d' ' -f1)
du case reply "$ref4" --at 2026-01-20T10:00:00Z --now 2026-01-20T10:00:00Z >/dev/null
du case close "$ref4" --at 2026-01-21T10:00:00Z --now 2026-01-21T10:00:00Z >/dev/null
expect_fail "erase within the ombudsman's window" 2 "duly: customer C20003 cannot be erased yet: complaint $ref4 was answered on 2026-01-21 and the customer may refer it to the Housing Ombudsman until 2027-01-21 (give --force with --reason to erase anyway)" -- du customer erase C20003 --now 2026-12-02T10:00:00Z
expect_contains "still there after the refusals" "Zanthia Oyelaran" -- du customer show C20001
expect_contains "the refusal is audited" "	cli	erasure refused	C20001	case PHG-2026-00003 is still open" -- du audit show

# --- erasure
figures() { sqlite3 "$db" "SELECT reference, charter, channel, kind, state, officer_id, received, counted_from, acknowledge_by, respond_by,
  acknowledged_at, replied_at, closed_at, extension_days, paused_days FROM cases ORDER BY id"; }
figures > "$work/figures-before"
grep -q "Zanthia" "$db" "$db-wal" 2>/dev/null || fail "the search finds nothing even before the erasure"
expect_out "erase" "erased C20001: the record and the personal data of 2 cases removed; the cases stay for the reports without a name" -- \
  du customer erase C20001 --reason "asked by letter of 30 November" --as rhughes --now 2026-12-02T10:00:00Z
for needle in "Zanthia" "Oyelaran" "zanthia.oyelaran@example.org" "grinding noise" "xylophone" "damp moss" "ZZBOILERPHOTOZZ" "Quillfeather" "Wilhelmina" "advocacy.example.org"; do
  for f in "$db" "$db-wal" "$db-shm"; do
    [ -f "$f" ] || continue
    if grep -c -a -F "$needle" "$f" >/dev/null; then fail "'$needle' is still in $(basename "$f")"; else pass; fi
  done
done
for needle in "Barnaby Quennell" "heron fence"; do
  if cat "$db" "$db-wal" 2>/dev/null | grep -q -a -F "$needle"; then pass; else fail "the other customer's '$needle' is gone"; fi
done
expect_out "the report's figures are the same" "$(cat "$work/figures-before")" -- figures
expect_out "both cases under one anonymous id" "1|2" -- sqlite3 "$db" "SELECT COUNT(DISTINCT customer_ref), COUNT(*) FROM cases WHERE customer_ref LIKE 'anon-%'"
expect_fail "the record is gone" 2 'duly: no customer with reference "C20001"' -- du customer show C20001
expect_contains "the erasure is audited with its reason" "	rhughes	erased customer	C20001	2 cases anonymised; reason: asked by letter of 30 November" -- du audit show
expect_contains "the case history says so" "personal data erased at the customer's request" -- du case show PHG-2026-00001
expect_out "forced erasure within the window" "erased C20003: the record and the personal data of 1 case removed; the cases stay for the reports without a name" -- \
  du customer erase C20003 --force --reason "court order" --now 2026-12-02T10:00:00Z

# --- retention: Barnaby's case closed 2026-11-26 stays; an enquiry of his
# closed in 2023 is past its 2 years.
old=$(du case open --charter progress --channel email --kind enquiry --customer C20002 --officer sali \
  --subject "Old question about the bins" --received 2023-03-01T10:00:00Z --now 2023-03-01T10:00:00Z | head -1 | cut -d' ' -f1)
du case close "$old" --at 2023-03-10T10:00:00Z --now 2023-03-10T10:00:00Z >/dev/null
# An audit entry from 2020 (1577836800), past the 730 days.
sqlite3 "$db" "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (1577836800, 'sali', 'viewed case', 'PHG-2020-00001', '')"
expect_out "dry run" "would anonymise $old (enquiry closed 2023-03-10, kept 2 years)
retention (dry run): 1 cases would be anonymised" -- du retention run --dry-run --now 2026-12-03T10:00:00Z
expect_contains "the dry run changed nothing" "Old question about the bins" -- du case show "$old"
expect_out "retention run" "anonymised $old (enquiry closed 2023-03-10, kept 2 years)
retention: 1 cases anonymised, 1 audit log lines older than 730 days removed" -- du retention run --now 2026-12-03T10:00:00Z
expect_out "the old case lost its subject and customer" "|anon" -- sqlite3 "$db" "SELECT subject || '|' || substr(customer_ref, 1, 4) FROM cases WHERE reference = '$old'"
expect_out "the recent case is left alone" "Fence|C20002" -- sqlite3 "$db" "SELECT subject || '|' || customer_ref FROM cases WHERE reference = 'PHG-2026-00002'"
expect_out "the customer stays" "Barnaby Quennell" -- sh -c "'$duly' --home '$home' customer show C20002 | head -1 | cut -c9-"
expect_out "the old audit entry is gone from the store" "0" -- sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE subject = 'PHG-2020-00001'"
expect_contains "the retention run is audited" "	duly	retention run	retention	" -- du audit show --actor duly
expect_out "nothing more to do" "retention: 0 cases anonymised, 0 audit log lines older than 730 days removed" -- du retention run --now 2026-12-03T10:05:00Z
expect_fail "unknown action" 2 'duly: unknown action "purge" (accepted: run)' -- du retention purge

# --- duly audit show: filters and refusals
expect_out "by actor" "2026-12-01T11:00:00Z	rhughes	corrected customer	C20001	postcode, formats, preferred-contact
2026-12-02T10:00:00Z	rhughes	erased customer	C20001	2 cases anonymised; reason: asked by letter of 30 November" -- du audit show --actor rhughes
expect_out "since a date (UK midnight) and by actor" "2026-12-02T10:00:00Z	rhughes	erased customer	C20001	2 cases anonymised; reason: asked by letter of 30 November" -- du audit show --actor rhughes --since 2026-12-02
expect_out "since a time" "0" -- sh -c "'$duly' --home '$home' audit show --since 2026-12-02T10:00:01Z | grep -c rhughes || true"
# C20002 (Barnaby, not erased): his record and his case PHG-2026-00002.
expect_out "about a customer and their cases" "2026-11-24T09:05:00Z	jwong	viewed case	PHG-2026-00002	" -- du audit show --customer C20002
expect_out "an erased customer: what names the reference" "duly: no customer C20001 in the store (erased, or a mistyped reference); showing the entries that name it only
4" -- sh -c "'$duly' --home '$home' audit show --customer C20001 | wc -l"
expect_out "as JSON" '[{"at":"2026-11-24T09:05:00Z","actor":"jwong","action":"viewed case","subject":"PHG-2026-00002","detail":""}]' -- du audit show --customer C20002 --json
expect_out "nothing matches" "" -- du audit show --actor nobody
expect_fail "a bad date" 2 'duly: --since: expected a date such as 2026-11-24 or a time such as 2026-11-24T09:30:00Z, found "yesterday"' -- du audit show --since yesterday
expect_fail "an unknown option" 2 "duly: duly audit: unknown option --user (accepted: --actor, --config, --customer, --json, --now, --since)" -- du audit show --user sali
expect_fail "an unknown action" 2 'duly: unknown action "tail" (accepted: show)' -- du audit tail
expect_fail "an empty actor" 2 "duly: --actor: expected an officer id such as jwong" -- du audit show --actor ""
expect_contains "help" "Usage: duly audit show [--since DATE] [--actor NAME] [--customer REF] [--json]" -- du audit --help
finish
