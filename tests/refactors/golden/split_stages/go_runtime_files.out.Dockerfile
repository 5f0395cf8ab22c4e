FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
COPY config/prod.yaml /etc/app/config.yaml
COPY .netrc /root/.netrc
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app ./cmd/app

FROM debian:bookworm-slim
WORKDIR /src
COPY --from=builder /usr/local/bin/app /usr/local/bin/app
COPY --from=builder /etc/app/config.yaml /etc/app/config.yaml
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["app"]
