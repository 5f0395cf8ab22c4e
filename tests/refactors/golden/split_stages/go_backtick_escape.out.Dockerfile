# escape=`
FROM golang:1.22-alpine AS builder
WORKDIR /src
COPY . .
RUN go build `
    -o /out/app `
    ./cmd/app

FROM alpine:3.24
WORKDIR /src
COPY --from=builder /out/app /out/app
RUN adduser -D -u 10001 app
USER app
CMD ["/out/app"]
