FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN go build -o primes .
CMD ["./primes"]

FROM builder AS test
RUN go test ./...

FROM builder AS debug
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl iproute2 procps strace && rm -rf /var/lib/apt/lists/*

FROM builder AS runtime
