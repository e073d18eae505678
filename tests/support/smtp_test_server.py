#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd), started by
tests/support/smtp_test_server.cc.

Listens on 127.0.0.1:--port. --tls starttls (default) requires STARTTLS
before anything but EHLO/NOOP/QUIT; --tls implicit speaks TLS from the first
byte (smtps); --tls none offers no TLS at all. With --user/--password_file
it requires AUTH (PLAIN or LOGIN, only over TLS unless --tls none).

Recipients whose local part starts with "reject" get 550, with "defer" 451,
so tests can check how the client maps refusals.

Each message is stored in --dir as NNNNNN.eml (the raw RFC 5322 bytes as
received) and NNNNNN.json, written after the .eml by rename, holding the
envelope, the session (tls, auth user) and the message as Python's email
package parses it: decoded headers, the decoded text body, MIME defects.
"""
import argparse
import email
import email.policy
import json
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, directory, implicit_tls):
        self.directory = directory
        # aiosmtpd sets session.ssl only after STARTTLS; an implicit-TLS
        # listener accepts nothing but TLS.
        self.implicit_tls = implicit_tls
        self.count = 0
        self.lock = threading.Lock()

    def save(self, envelope, session):
        with self.lock:
            self.count += 1
            stem = os.path.join(self.directory, "%06d" % self.count)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        headers = {}
        for name, value in parsed.items():
            headers.setdefault(name.lower(), str(value))
        raw_headers = {}
        for name, value in parsed.raw_items():
            raw_headers.setdefault(name.lower(), value)
        try:
            body = parsed.get_content() if not parsed.is_multipart() else ""
        except Exception as e:  # undecodable: the test sees why
            body = "<undecodable: %s>" % e
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_to": list(envelope.rcpt_tos),
            "tls": self.implicit_tls or session.ssl is not None,
            "auth_user": (session.auth_data.login.decode()
                          if isinstance(session.auth_data, LoginPassword) else ""),
            "headers": headers,
            "raw_headers": raw_headers,
            "body": body.replace("\r\n", "\n"),
            "defects": [type(d).__name__ for d in parsed.defects],
            "eml": stem + ".eml",
        }
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(stem + ".json.tmp", stem + ".json")


class Handler:
    def __init__(self, store):
        self.store = store

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("defer"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.store.save(envelope, session)
        return "250 2.0.0 queued"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls", choices=["starttls", "implicit", "none"], default="starttls")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user", default="")
    parser.add_argument("--password_file", default="")
    args = parser.parse_args()

    password = b""
    if args.password_file:
        with open(args.password_file, "rb") as f:
            password = f.read().strip()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode()
              and auth_data.password == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    context = None
    if args.tls != "none":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.cert, args.key)

    kwargs = {"hostname": "127.0.0.1", "port": args.port, "server_hostname": "smtp.test"}
    if args.user:
        # aiosmtpd only knows TLS it started itself (STARTTLS); with implicit
        # TLS every byte is encrypted already.
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=args.tls == "starttls")
    if args.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.tls == "implicit":
        kwargs.update(ssl_context=context)

    controller = Controller(Handler(Store(args.dir, args.tls == "implicit")), **kwargs)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("listening on 127.0.0.1:%d tls=%s auth=%s" % (args.port, args.tls, bool(args.user)),
          flush=True)
    while not stop.wait(1):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
