"""A board of today's specials: the page is the front end's build (frontend/dist), the data comes from /api."""

import os

from flask import Flask, jsonify

DIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frontend", "dist")

app = Flask(__name__, static_folder=DIST, static_url_path="")

SPECIALS = [{"dish": "lentil soup", "price": 4.5}, {"dish": "pear tart", "price": 3.0}]


@app.get("/")
def index():  # type: ignore[no-untyped-def]
    return app.send_static_file("index.html")


@app.get("/api/specials")
def specials():  # type: ignore[no-untyped-def]
    return jsonify(SPECIALS)
