#!/usr/bin/python3
"""A Twilio-shaped SMS provider for tests, started by
tests/support/sms_provider_test_server.cc.

Serves POST /2010-04-01/Accounts/{sid}/Messages.json on 127.0.0.1:--port
(HTTP/1.1, keep-alive). Requests must carry HTTP basic auth --account_sid :
<contents of --auth_token_file> and name that account in the path, otherwise
the answer is 401 with Twilio's error 20003. Accepted messages get 201 and a
Twilio-like JSON resource; the same I-Twilio-Idempotency-Token gets the same
message sid again.

GET /_control/fail?count=N&status=S&code=C makes the next N message requests
answer HTTP S with Twilio error code C (e.g. 429/20429, 400/21211).

Every message request is appended to --dir/requests.jsonl before it is
answered: {"method","path","form","headers","auth_ok","status"}.
"""
import argparse
import base64
import json
import os
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, directory, sid, token):
        self.log_path = os.path.join(directory, "requests.jsonl")
        self.sid = sid
        self.token = token
        self.lock = threading.Lock()
        self.failures = []  # [(status, code)] for the next requests
        self.idempotent = {}


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path != "/_control/fail":
                return self.answer(404, {"code": 20404, "message": "not found", "status": 404})
            q = urllib.parse.parse_qs(url.query)
            count = int(q.get("count", ["1"])[0])
            status = int(q.get("status", ["500"])[0])
            code = int(q.get("code", ["0"])[0])
            with state.lock:
                state.failures = [(status, code)] * count
            self.answer(200, {"ok": True})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length).decode("utf-8")
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
            expected = "Basic " + base64.b64encode(
                ("%s:%s" % (state.sid, state.token)).encode()).decode()
            path_ok = self.path == "/2010-04-01/Accounts/%s/Messages.json" % state.sid
            auth_ok = self.headers.get("Authorization", "") == expected
            with state.lock:
                if not path_ok and auth_ok:
                    status, payload = 404, {"code": 20404, "message": "resource not found",
                                            "status": 404}
                elif not auth_ok:
                    status, payload = 401, {"code": 20003, "message": "Authenticate",
                                            "more_info": "https://www.twilio.com/docs/errors/20003",
                                            "status": 401}
                elif state.failures:
                    status, code = state.failures.pop(0)
                    payload = {"code": code,
                               "message": "The 'To' number %s is not valid." % form.get("To", ""),
                               "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                               "status": status}
                else:
                    token = self.headers.get("I-Twilio-Idempotency-Token", "")
                    sid = state.idempotent.get(token) if token else None
                    if sid is None:
                        sid = "SM" + secrets.token_hex(16)
                        if token:
                            state.idempotent[token] = sid
                    status, payload = 201, {
                        "sid": sid, "account_sid": state.sid, "status": "queued",
                        "to": form.get("To"), "from": form.get("From"),
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                        "body": form.get("Body"), "num_segments": "1",
                        "error_code": None, "error_message": None}
                record = {"method": "POST", "path": self.path, "form": form,
                          "headers": {k.lower(): v for k, v in self.headers.items()},
                          "auth_ok": auth_ok, "status": status}
                with open(state.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.answer(status, payload)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--account_sid", required=True)
    parser.add_argument("--auth_token_file", required=True)
    args = parser.parse_args()
    with open(args.auth_token_file) as f:
        token = f.read().strip()
    state = State(args.dir, args.account_sid, token)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state))
    server.daemon_threads = True
    print("listening on 127.0.0.1:%d" % args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
