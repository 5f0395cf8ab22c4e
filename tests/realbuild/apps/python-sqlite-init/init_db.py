"""Create the notes database next to the code, with one note, at build time."""

import os
import sqlite3

DB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.db")

with sqlite3.connect(DB) as db:
    db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    if db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0:
        db.execute("INSERT INTO notes (text) VALUES ('welcome')")
