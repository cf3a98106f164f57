#!/usr/bin/python3
"""A real SMTP server for the tests (Debian's aiosmtpd) on loopback.

Usage: smtp_server.py PORT DIR [--defer N]
Each accepted message is written to DIR as NNN.eml. The first N messages
are answered "451 4.3.0 try again later" at DATA (a transient failure);
mail to any address starting "reject" is refused at RCPT with "550 5.1.1".
Each EHLO (one per connection) adds a line to DIR/../smtp-sessions.log, so
tests can count connections. Runs until killed.
"""
import asyncio
import os
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, folder, defer):
        self.folder = folder
        self.defer = defer
        self.count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with open(os.path.join(self.folder, os.pardir, "smtp-sessions.log"), "a") as f:
            f.write("EHLO %s\n" % hostname)
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer > 0:
            self.defer -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        with open(os.path.join(self.folder, "%03d.eml" % self.count), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        return "250 2.0.0 queued as %03d" % self.count


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    defer = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--defer" else 0
    controller = Controller(Handler(folder, defer), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
