FROM golang:1.21-alpine3.19
RUN apk add --no-cache gcc musl-dev
WORKDIR /app
COPY . .
ENV CGO_ENABLED=1
RUN go build -o app .
CMD ["./app"]
