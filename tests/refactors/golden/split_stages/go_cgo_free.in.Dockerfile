# A default build: cgo on (net/http), but the sources have no import "C".
FROM golang:1.22-bookworm

WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/hello .

EXPOSE 8080
CMD ["hello"]
