"""GET / lists the notes; GET /add?text=... stores one in notes.db (created at build time by init_db.py)."""

import os
import sqlite3
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

DB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.db")


class Notes(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlparse(self.path)
        # SQLite writes a journal file beside the database: the folder must be writable too.
        with sqlite3.connect(DB) as db:
            if url.path == "/add":
                text = parse_qs(url.query).get("text", [""])[0]
                db.execute("INSERT INTO notes (text) VALUES (?)", (text,))
            notes = [row[0] for row in db.execute("SELECT text FROM notes ORDER BY id")]
        body = ("notes: " + ", ".join(notes) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


HTTPServer(("0.0.0.0", 8000), Notes).serve_forever()
