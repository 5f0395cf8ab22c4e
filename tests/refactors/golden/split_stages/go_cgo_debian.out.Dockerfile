FROM golang:1.20 AS builder
WORKDIR /go/src/github.com/acme/api
COPY . .
RUN go build -o /usr/local/bin/api ./cmd/api

FROM gcr.io/distroless/base-debian12
WORKDIR /go/src/github.com/acme/api
COPY --from=builder /usr/local/bin/api /usr/local/bin/api
LABEL org.opencontainers.image.source="https://github.com/acme/api"
ENV GIN_MODE=release
EXPOSE 8080
CMD ["api"]
