FROM --platform=linux/amd64 golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM alpine:3.20
COPY --from=build /app /app
