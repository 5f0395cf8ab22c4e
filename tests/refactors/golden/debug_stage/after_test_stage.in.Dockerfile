FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN go build -o primes .
CMD ["./primes"]

FROM builder AS test
RUN go test ./...

FROM builder AS runtime
