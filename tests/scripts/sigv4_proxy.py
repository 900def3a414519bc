#!/usr/bin/env python3
"""A proxy that checks every signed request with botocore's own SigV4 signer (not billion's)
before passing it to an S3 server: a request whose Authorization botocore does not compute
from the same method, path, query and signed headers is answered 403 and counted.
GET /__sigv4 answers "checked N refused M". Used by tests/scripts/s3_interop.

Usage: sigv4_proxy.py PORT UPSTREAM_PORT (keys from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"""
import http.client
import http.server
import os
import re
import socket
import sys
import threading

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEYS = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
counts = {"checked": 0, "refused": 0}
lock = threading.Lock()
upstream = threading.local()


def botocore_signature(method, path, headers):
    auth = headers["Authorization"]
    region = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/s3/", auth).group(1)
    signed = re.search(r"SignedHeaders=([^,]+)", auth).group(1).split(";")
    host = headers["Host"]
    req = AWSRequest(method=method, url="http://" + host + path,
                     headers={h: headers[h] for h in signed if h != "host"})
    req.context["timestamp"] = headers["X-Amz-Date"]
    signer = S3SigV4Auth(KEYS, "s3", region)
    canonical = signer.canonical_request(req)
    return signer.signature(signer.string_to_sign(req, canonical), req)


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # head and body: two writes

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        if self.path == "/__sigv4":
            with lock:
                return self.answer(200, f"checked {counts['checked']} refused {counts['refused']}\n".encode())
        if "Authorization" in self.headers:
            given = re.search(r"Signature=([0-9a-f]+)", self.headers["Authorization"]).group(1)
            ok = botocore_signature(self.command, self.path, self.headers) == given
            with lock:
                counts["checked" if ok else "refused"] += 1
            if not ok:
                return self.answer(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
        if not hasattr(upstream, "conn"):
            upstream.conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]))
        upstream.conn.request(self.command, self.path, headers=dict(self.headers))
        r = upstream.conn.getresponse()
        body = r.read()
        keep = [(k, v) for k, v in r.getheaders() if k.lower() not in ("content-length", "connection")]
        self.answer(r.status, body, keep)

    do_HEAD = do_GET


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that closed its connection early: nothing to report


if __name__ == "__main__":
    server = Server(("127.0.0.1", int(sys.argv[1])), Proxy)
    server.serve_forever()
