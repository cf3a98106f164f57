#!/usr/bin/python3
"""Writes N varied messages into a Maildir folder for the mail benchmark.

Usage: messages.py FOLDER N
The shapes cycle through what a housing association's inbox holds: plain
UTF-8, quoted-printable ISO-8859-1, base64 windows-1252, Outlook-style
multipart/alternative with HTML, a message with a PDF attachment and an
RFC 2231 file name, an RFC 2047 subject, Urdu in UTF-8 base64, Cantonese in
Big5, a long letter; one in 50 is an out-of-office reply (no acknowledgement)
and one in 50 a customer's second message in the same thread as an earlier
one (it joins that case). Each new conversation comes from its own sender,
so the per-sender limit never withholds a reply. Prints the number of
acknowledgements Duly should send.
"""
import base64
import os
import sys

folder, n = sys.argv[1], int(sys.argv[2])
pdf = base64.encodebytes(b"%PDF-1.4\n" + b"0" * 6000 + b"\n%%EOF\n").decode().replace("\n", "\r\n")


def head(i, subject, ctype, extra=""):
    return (f"From: Tenant {i} <tenant{i}@example.org>\r\nTo: customer.services@progress.example.org\r\n"
            f"Subject: {subject}\r\nMessage-ID: <bench-{i}@example.org>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
            f"MIME-Version: 1.0\r\n{extra}Content-Type: {ctype}\r\n")


def shape(i):
    k = i % 10
    if k == 0:
        return head(i, f"Repair request {i}", "text/plain; charset=utf-8",
                    "Content-Transfer-Encoding: 8bit\r\n") + "\r\n" + "The back door still sticks and the lock is stiff.\r\n" * 3
    if k == 1:
        body = "Caf=E9 downstairs is noisy after 11pm, and the caf=E9 bins are overflowing.=\r\n Please help.\r\n"
        return head(i, f"Noise {i}", "text/plain; charset=iso-8859-1",
                    "Content-Transfer-Encoding: quoted-printable\r\n") + "\r\n" + body
    if k == 2:
        text = ("I\x92m writing about the damp in my bedroom \x96 it\x92s getting worse.\r\n" * 4).encode("latin-1")
        return head(i, f"Damp {i}", "text/plain; charset=windows-1252",
                    "Content-Transfer-Encoding: base64\r\n") + "\r\n" + base64.encodebytes(text).decode().replace("\n", "\r\n")
    if k == 3:
        return (head(i, f"RE: Rent statement {i}", 'multipart/alternative; boundary="alt"') + "\r\n"
                "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCould you send my rent statement again?\r\n"
                "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Could you send my <b>rent statement</b>"
                " again?</p><div>Sent from Outlook</div></body></html>\r\n--alt--\r\n")
    if k == 4:
        return (head(i, f"Photos of the leak {i}", 'multipart/mixed; boundary="mix"') + "\r\n"
                "--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe report is attached.\r\n"
                "--mix\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                "Content-Disposition: attachment; filename*=utf-8''Leak%20report%20%E2%80%93%20kitchen.pdf\r\n\r\n"
                + pdf + "--mix--\r\n")
    if k == 5:
        return head(i, f"=?utf-8?q?Caf=C3=A9_noise_{i}?=", "text/plain; charset=utf-8") + "\r\n" + "It is loud again.\r\n"
    if k == 6:
        text = ("\u0645\u06cc\u0631\u06d2 \u06af\u06be\u0631 \u0645\u06cc\u06ba \u0646\u0645\u06cc \u06c1\u06d2\u06d4\r\n" * 5).encode()
        return head(i, f"Urdu {i}", "text/plain; charset=utf-8",
                    "Content-Transfer-Encoding: base64\r\n") + "\r\n" + base64.encodebytes(text).decode().replace("\n", "\r\n")
    if k == 7:
        text = ("\u6211\u5c4b\u4f01\u6f0f\u6c34\uff0c\u8acb\u6d3e\u4eba\u4f86\u7747\u4e0b\u3002\r\n" * 4).encode("big5")
        return head(i, f"Leak {i}", "text/plain; charset=big5",
                    "Content-Transfer-Encoding: base64\r\n") + "\r\n" + base64.encodebytes(text).decode().replace("\n", "\r\n")
    if k == 8:
        return head(i, f"Kitchen {i}", "text/plain; charset=utf-8") + "\r\n" + (
            "Dear Sir or Madam, I am writing about the repairs to my kitchen. " * 40 + "\r\n")
    return head(i, f"Fence {i}", "text/plain; charset=utf-8") + "\r\n" + "The fence panel blew down in the storm.\r\n"


acks = 0
for i in range(n):
    if i % 50 == 49:
        msg = (f"From: Tenant {i - 1} <tenant{i - 1}@example.org>\r\nTo: customer.services@progress.example.org\r\n"
               f"Subject: Automatic reply: away\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <bench-{i}@example.org>\r\n"
               "Content-Type: text/plain\r\n\r\nI am away until Monday.\r\n")
    elif i % 50 == 24 and i >= 1:
        msg = (f"From: Tenant {i - 1} <tenant{i - 1}@example.org>\r\nTo: customer.services@progress.example.org\r\n"
               f"Subject: Re: more about it\r\nMessage-ID: <bench-{i}@example.org>\r\nIn-Reply-To: <bench-{i - 1}@example.org>\r\n"
               f"References: <bench-{i - 1}@example.org>\r\nContent-Type: text/plain\r\n\r\nOne more thing.\r\n")
    else:
        msg = shape(i)
        acks += 1
    with open(os.path.join(folder, f"{1700000000 + i}.M{i}.bench"), "wb") as f:
        f.write(msg.encode())
print(acks)
