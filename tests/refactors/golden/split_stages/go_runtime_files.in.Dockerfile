FROM golang:1.22
WORKDIR /src
COPY . .
COPY config/prod.yaml /etc/app/config.yaml
COPY .netrc /root/.netrc
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app ./cmd/app
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["app"]
