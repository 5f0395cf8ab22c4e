ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS builder
WORKDIR /app
COPY . .
RUN go build -o /app/api ./cmd/api

FROM alpine:3.24
WORKDIR /app
COPY --from=builder /app/api /app/api
USER nobody
CMD ["/app/api"]
