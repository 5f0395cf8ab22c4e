# syntax=docker/dockerfile:1
FROM golang:1.22 AS builder

WORKDIR /app
COPY . .
RUN make build CGO_ENABLED=0

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=builder /app/bin/server /app/bin/server

EXPOSE 8080
CMD ["./bin/server"]
