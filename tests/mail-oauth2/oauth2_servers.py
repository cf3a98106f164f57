#!/usr/bin/python3
"""An OAuth 2.0 token server and an SMTP server that accepts only tokens, for
the tests, on loopback (Python 3 standard library and Debian's aiosmtpd).

Usage: oauth2_servers.py HTTP_PORT SMTP_PORT DIR [--xoauth2-only] [--https PORT CERT KEY]...

HTTP (the token endpoint and Dovecot's introspection endpoint), and the
same over HTTPS on each --https PORT with that certificate and key:
  POST /token       grant_type=client_credentials with client_id and
                    client_secret, or grant_type=refresh_token with
                    refresh_token (and client_id). Answers RFC 6749 JSON:
                    {"access_token", "token_type", "expires_in"} or
                    {"error", "error_description"} with status 400 or 401.
  POST /introspect  token=...: RFC 7662 {"active": true, "username": ...}
                    or {"active": false}. Dovecot's oauth2 passdb asks here.
SMTP: AUTH XOAUTH2 and AUTH OAUTHBEARER only (no PLAIN or LOGIN; with
--xoauth2-only, XOAUTH2 alone, as Microsoft 365 offers), required before
MAIL, with or without an initial response; a refused token gets the RFC 7628 error challenge (base64 JSON
{"status":"401",...}) before 535. Accepted messages go to DIR/received.

What the server accepts is read from files in DIR at each request, so a test
changes it by editing them:
  DIR/clients         lines "CLIENT_ID SECRET USERNAME": the client-credentials
                      grant for CLIENT_ID gives a token for USERNAME
  DIR/refresh-tokens  lines "REFRESH_TOKEN CLIENT_ID USERNAME"
  DIR/lifetime        expires_in for new tokens, in seconds (default 3600)
  DIR/dead-next       client ids, one a line: the next token issued to each
                      is dead on arrival although its expires_in says an
                      hour (its line is then removed): a token the mail
                      server refuses, as after a revocation
  DIR/expire-all      if present: every token issued so far stops working
                      (the file is removed; a server-side expiry the client
                      cannot see coming, like a revoked session)
Every request is logged, one line each, to DIR/token.log (never a secret or
a token): "token GRANT CLIENT ok|ERROR", "introspect USER active|inactive",
"smtp-auth MECH USER ok|refused". Runs until killed.
"""
import asyncio
import base64
import json
import os
import secrets
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

FOLDER = ""
LOCK = threading.Lock()
TOKENS = {}  # token -> {"user": ..., "expires": monotonic seconds}


def log(line):
    with LOCK, open(os.path.join(FOLDER, "token.log"), "a") as f:
        f.write(line + "\n")


def read_lines(name):
    try:
        with open(os.path.join(FOLDER, name)) as f:
            return [l.split() for l in f if l.strip()]
    except FileNotFoundError:
        return []


def expire_if_asked():
    path = os.path.join(FOLDER, "expire-all")
    if os.path.exists(path):
        with LOCK:
            for t in TOKENS.values():
                t["expires"] = 0
        os.remove(path)


def user_of(token):
    expire_if_asked()
    with LOCK:
        t = TOKENS.get(token)
        if t is None or t["expires"] <= time.monotonic():
            return None
        return t["user"]


def dead_on_arrival(client):
    path = os.path.join(FOLDER, "dead-next")
    with LOCK:
        try:
            with open(path) as f:
                clients = f.read().split()
        except FileNotFoundError:
            return False
        if client not in clients:
            return False
        clients.remove(client)
        with open(path, "w") as f:
            f.write("".join(c + "\n" for c in clients))
        return True


def issue(user, client):
    dead = dead_on_arrival(client)
    try:
        with open(os.path.join(FOLDER, "lifetime")) as f:
            lifetime = int(f.read().strip())
    except FileNotFoundError:
        lifetime = 3600
    token = "tok." + secrets.token_urlsafe(600)  # as long as a Microsoft token: SMTP AUTH must not put it on one 512-octet line
    with LOCK:
        TOKENS[token] = {"user": user, "expires": 0 if dead else time.monotonic() + lifetime}
    return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime}


class Http(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path == "/token":
            self.token(form)
        elif self.path == "/introspect":
            user = user_of(form.get("token", ""))
            log("introspect %s %s" % (user or "-", "active" if user else "inactive"))
            self.answer(200, {"active": True, "username": user} if user else {"active": False})
        else:
            self.answer(404, {"error": "not_found"})

    def token(self, form):
        grant = form.get("grant_type", "")
        client = form.get("client_id", "")
        if grant == "client_credentials":
            for cid, secret, user in read_lines("clients"):
                if cid == client and secrets.compare_digest(secret, form.get("client_secret", "")):
                    log("token client_credentials %s ok" % client)
                    return self.answer(200, issue(user, client))
            log("token client_credentials %s invalid_client" % client)
            return self.answer(401, {"error": "invalid_client",
                                     "error_description": "AADSTS7000215: Invalid client secret provided."})
        if grant == "refresh_token":
            for refresh, cid, user in read_lines("refresh-tokens"):
                if refresh == form.get("refresh_token") and cid == client:
                    log("token refresh_token %s ok" % client)
                    return self.answer(200, issue(user, client))
            log("token refresh_token %s invalid_grant" % client)
            return self.answer(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
        log("token %s %s unsupported_grant_type" % (grant or "-", client))
        return self.answer(400, {"error": "unsupported_grant_type"})


def challenge():
    return json.dumps({"status": "401", "schemes": "bearer", "scope": "https://mail.example/"})


class Smtp:
    def __init__(self):
        self.count = 0

    async def check(self, server, mechanism, blob, parse):
        if blob is None:  # no initial response: ask for it (a long token comes this way)
            answer = await server.challenge_auth("", encode_to_b64=False)
            blob = answer.decode(errors="replace") if isinstance(answer, bytes) else ""
        user, token = parse(blob)
        if user and token and user_of(token) == user:
            log("smtp-auth %s %s ok" % (mechanism, user))
            return AuthResult(success=True, auth_data=user)
        log("smtp-auth %s %s refused" % (mechanism, user or "-"))
        await server.challenge_auth(challenge())  # the client answers with an empty or ^A response
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

    @staticmethod
    def initial(args):
        if len(args) < 2:
            return None
        try:
            return base64.b64decode(args[1], validate=True).decode()
        except Exception:
            return ""

    @staticmethod
    def bearer(fields):
        user = token = None
        for f in fields:
            if f.startswith("user="):
                user = f[5:]
            elif f.startswith("auth=Bearer "):
                token = f[12:]
        return user, token

    async def auth_XOAUTH2(self, server, args):
        return await self.check(server, "XOAUTH2", self.initial(args),
                                lambda b: self.bearer(b.split("\x01")))

    async def auth_OAUTHBEARER(self, server, args):
        def parse(b):
            head, _, rest = b.partition("\x01")
            user = None
            for part in head.split(","):
                if part.startswith("a="):
                    user = part[2:].replace("=2C", ",").replace("=3D", "=")
            return user, self.bearer(rest.split("\x01"))[1]
        return await self.check(server, "OAUTHBEARER", self.initial(args), parse)

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        with open(os.path.join(FOLDER, "received", "%03d.eml" % self.count), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        return "250 2.0.0 queued as %03d" % self.count


class TokenSMTP(SMTP):
    # RFC 4954 §4 lets an AUTH line reach 12288 octets; aiosmtpd's default is 1001.
    line_length_limit = 12288


class TokenController(Controller):
    def factory(self):
        return TokenSMTP(self.handler, **self.SMTP_kwargs)


def main():
    global FOLDER
    http_port, smtp_port, FOLDER = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    excluded = ["LOGIN", "PLAIN"] + (["OAUTHBEARER"] if "--xoauth2-only" in sys.argv[4:] else [])
    rest = sys.argv[4:]
    while "--https" in rest:
        at = rest.index("--https")
        port, cert, key = int(rest[at + 1]), rest[at + 2], rest[at + 3]
        rest = rest[at + 4:]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        httpsd = ThreadingHTTPServer(("127.0.0.1", port), Http)
        httpsd.socket = context.wrap_socket(httpsd.socket, server_side=True)
        threading.Thread(target=httpsd.serve_forever, daemon=True).start()
    os.makedirs(os.path.join(FOLDER, "received"), exist_ok=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", http_port), Http)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    controller = TokenController(Smtp(), hostname="127.0.0.1", port=smtp_port, auth_required=True,
                            auth_require_tls=False, auth_exclude_mechanism=excluded)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
