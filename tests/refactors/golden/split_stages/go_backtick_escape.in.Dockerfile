# escape=`
FROM golang:1.22-alpine
WORKDIR /src
COPY . .
RUN go build `
    -o /out/app `
    ./cmd/app
RUN adduser -D -u 10001 app
USER app
CMD ["/out/app"]
