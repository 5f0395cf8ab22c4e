FROM golang:1.20
LABEL org.opencontainers.image.source="https://github.com/acme/api"
WORKDIR /go/src/github.com/acme/api
COPY . .
RUN go build -o /usr/local/bin/api ./cmd/api
ENV GIN_MODE=release
EXPOSE 8080
CMD ["api"]
