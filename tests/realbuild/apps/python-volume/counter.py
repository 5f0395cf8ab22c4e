"""Counts visits in $COUNTER_FILE, which lives on a volume (VOLUME /data): GET / answers "visits: N"."""

import os
from http.server import BaseHTTPRequestHandler, HTTPServer

COUNTER = os.environ.get("COUNTER_FILE", "/data/visits.txt")


class Counter(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        try:
            with open(COUNTER) as fh:
                visits = int(fh.read() or "0")
        except FileNotFoundError:
            visits = 0
        if self.path == "/visit":
            visits += 1
            with open(COUNTER, "w") as fh:
                fh.write(str(visits))
        body = f"visits: {visits}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


HTTPServer(("0.0.0.0", 8080), Counter).serve_forever()
