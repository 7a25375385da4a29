#!/usr/bin/env python3
"""Local stand-ins for the identity-check service and the national identity token endpoint.

Both check the request signature SynthGate sends (docs/identity.md): X-Signature = hex
HMAC-SHA256(secret, "POST\\n" + path + "\\n" + timestamp + "\\n" + nonce + "\\n" +
hex(SHA-256(body))). Prints the port it listens on, then serves until killed.
Usage: fake_identity_services.py SECRET_HEX
"""
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = bytes.fromhex(sys.argv[1])


class Handler(BaseHTTPRequestHandler):
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
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        text = "\n".join(["POST", self.path, self.headers.get("X-Timestamp", ""),
                          self.headers.get("X-Nonce", ""), hashlib.sha256(body).hexdigest()])
        expected = hmac.new(SECRET, text.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("X-Signature", "")):
            return self.answer(401, {"error": "bad signature"})
        request = json.loads(body)
        if self.path == "/id-check/verify":
            match = request.get("name") == "张三"
            return self.answer(200, {"result": "match" if match else "mismatch"})
        if self.path == "/national/token":
            if request.get("token") == "good-token":
                return self.answer(200, {"result": "valid", "network_id": "NID-7"})
            return self.answer(200, {"result": "invalid", "reason": "token expired"})
        return self.answer(404, {"error": "no such path"})


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
