FROM alpine:3.20 AS builder
RUN echo hi > /hello

FROM golang:1.22
ARG PORT=8080
ARG UNUSED=1
COPY --from=builder /hello /hello
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
EXPOSE $PORT
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/health"]
CMD ["/app"]
