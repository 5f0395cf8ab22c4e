# A default build: cgo on (net/http), but the sources have no import "C".
FROM golang:1.22-bookworm AS builder

WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello .

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello

EXPOSE 8080
CMD ["hello"]
