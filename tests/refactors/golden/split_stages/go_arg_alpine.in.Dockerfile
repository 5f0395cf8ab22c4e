ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine
WORKDIR /app
COPY . .
RUN go build -o /app/api ./cmd/api
USER nobody
CMD ["/app/api"]
