FROM golang:1.23-bookworm AS builder

RUN apt-get update && apt-get install -y --no-install-recommends git tini \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
WORKDIR /home/app/src
COPY --chown=app . .
USER app
RUN go build -o /home/app/bin/worker ./cmd/worker

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
WORKDIR /home/app/src
USER app
COPY --from=builder /home/app/bin/worker /home/app/bin/worker

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD /home/app/bin/worker --queue "$QUEUE"
