from python:3.12
run apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir psycopg2
