FROM golang:1.24-alpine AS builder
WORKDIR /go/src/app
COPY . .
RUN go install -ldflags="-s -w" ./cmd/todo
RUN go install github.com/pressly/goose/v3/cmd/goose@latest

FROM alpine:3.24
WORKDIR /go/src/app
COPY --from=builder /go/bin/todo /usr/local/bin/todo
VOLUME /data
CMD ["todo", "--db", "/data/todo.db"]
