FROM python:3.12-slim AS runtime
WORKDIR /app
COPY . .
RUN useradd --create-home app
USER app
CMD ["python", "app.py"]

FROM runtime AS debug
USER root
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl iproute2 procps strace && rm -rf /var/lib/apt/lists/*
USER app

FROM runtime AS release
