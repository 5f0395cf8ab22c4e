FROM golang:1.21-alpine3.19 AS builder
RUN apk add --no-cache gcc musl-dev
WORKDIR /app
COPY . .
ENV CGO_ENABLED=1
RUN go build -o app .

FROM alpine:3.19
WORKDIR /app
COPY --from=builder /app/app /app/app
CMD ["./app"]
