FROM golang:1.22-alpine
WORKDIR /app
COPY . .
RUN go build -o /usr/local/bin/server ./cmd/server
COPY docker-entrypoint.sh /usr/local/bin/
RUN chmod +x /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["server"]
