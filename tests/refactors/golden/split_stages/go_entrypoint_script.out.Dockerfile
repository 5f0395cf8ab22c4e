FROM golang:1.22-alpine AS builder
WORKDIR /app
COPY . .
RUN go build -o /usr/local/bin/server ./cmd/server

FROM alpine:3.24
WORKDIR /app
COPY --from=builder /usr/local/bin/server /usr/local/bin/server
COPY docker-entrypoint.sh /usr/local/bin/
RUN chmod +x /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["server"]
