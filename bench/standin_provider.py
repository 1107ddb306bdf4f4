"""A stand-in for Africa's Talking's messaging API on 127.0.0.1, for the outbox benchmarks.

Answers POST /version1/messaging with 201 and one successful recipient, and counts what it got.
GET /count returns how many messages it has accepted. With a second argument, appends each
recipient ("to") to that file, one a line, so a script can find any sent twice.
POST /down makes it answer 503 to every message (an outage) until POST /up; GET /refused says how
many it refused.
"""
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

count = 0
refused = 0
down = False
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle: otherwise delayed ACKs add 40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    wbufsize = 65536

    def do_POST(self):
        global count, refused, down
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        if self.path in ("/down", "/up"):
            down = self.path == "/down"
            return self.answer(200, b"ok")
        if down:
            with lock:
                refused += 1
            return self.answer(503, b"Service Unavailable")
        with lock:
            count += 1
            n = count
            if LOG:
                with open(LOG, "a") as log:
                    log.write(form.get("to", [""])[0] + "\n")
        body = json.dumps({"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": [
            {"statusCode": 101, "number": "+254700000000", "status": "Success", "cost": "KES 0.8000", "messageId": f"ATXid_{n}"}]}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(200, str(refused if self.path == "/refused" else count).encode())

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


LOG = sys.argv[2] if len(sys.argv) > 2 else None

if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
