#!/usr/bin/python3
"""Serves the files of --dir over HTTPS on 127.0.0.1:--port, for tests that
need a real HTTPS endpoint (an identity provider's JWKS). Each GET is logged
as one line "GET <path> <status>" to --dir/requests.log before the answer.
Files are read on every request, so a test changes what is served by
rewriting a file (atomically: write beside it, then rename)."""
import argparse
import os
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(root):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            name = os.path.basename(self.path.split("?", 1)[0])
            path = os.path.join(root, "files", name)
            status = 200 if name and os.path.isfile(path) else 404
            with open(os.path.join(root, "requests.log"), "a") as log:
                log.write(f"GET {self.path} {status}\n")
            body = open(path, "rb").read() if status == 200 else b"not found\n"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.dir))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
