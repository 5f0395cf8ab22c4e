# syntax=docker/dockerfile:1
FROM golang:1.22

WORKDIR /app
COPY . .
RUN make build

EXPOSE 8080
CMD ["./bin/server"]
