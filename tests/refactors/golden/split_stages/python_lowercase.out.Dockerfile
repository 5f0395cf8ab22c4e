from python:3.10 as builder
workdir /srv
copy requirements.txt .
run python -m venv /opt/venv
env VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
run pip install -r requirements.txt

from python:3.10-slim
workdir /srv
env VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
copy --from=builder /opt/venv /opt/venv
copy --from=builder /srv /srv
copy . .
expose 5000
cmd ["flask", "run", "--host=0.0.0.0"]
