from python:3.12-slim as builder
workdir /app
copy . .
run pip install -r requirements.txt
cmd ["python", "app.py"]

from builder as test
run python -m pytest

from builder as runtime
