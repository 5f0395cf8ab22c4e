# syntax=docker/dockerfile:1
FROM golang:1.27-trixie AS build
RUN go build -o /app .

FROM alpine:3.24
COPY --from=build /app /app
