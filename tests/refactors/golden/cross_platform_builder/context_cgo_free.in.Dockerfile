FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server .

FROM debian:12-slim
COPY --from=builder /usr/local/bin/server /usr/local/bin/server
CMD ["server"]
