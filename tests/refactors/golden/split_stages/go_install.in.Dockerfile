FROM golang:1.24-alpine
WORKDIR /go/src/app
COPY . .
RUN go install -ldflags="-s -w" ./cmd/todo
RUN go install github.com/pressly/goose/v3/cmd/goose@latest
VOLUME /data
CMD ["todo", "--db", "/data/todo.db"]
