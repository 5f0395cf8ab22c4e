"""A notes service: GET / lists the notes, GET /add?text=... stores one in a SQLite file under data/."""

import os
import sqlite3

from flask import Flask, request

DB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "notes.db")

app = Flask(__name__)


def connect() -> sqlite3.Connection:
    os.makedirs(os.path.dirname(DB), exist_ok=True)
    con = sqlite3.connect(DB)
    con.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)")
    return con


@app.get("/")
def index() -> str:
    with connect() as con:
        rows = con.execute("SELECT text FROM notes ORDER BY id").fetchall()
    return "notes: " + ", ".join(r[0] for r in rows) + "\n"


@app.get("/add")
def add() -> str:
    with connect() as con:
        con.execute("INSERT INTO notes (text) VALUES (?)", (request.args.get("text", ""),))
    return "added\n"
