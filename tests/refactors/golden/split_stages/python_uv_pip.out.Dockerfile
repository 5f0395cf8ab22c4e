FROM python:3.12 AS builder
RUN pip install --no-cache-dir uv
WORKDIR /srv
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN uv pip install --system -r requirements.txt

FROM python:3.12-slim
WORKDIR /srv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /srv /srv
COPY . .
CMD ["python", "-m", "worker"]
