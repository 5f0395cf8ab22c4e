FROM alpine:3.20 AS builder
RUN echo hi > /hello

FROM golang:1.22 AS build
ARG PORT=8080
ARG UNUSED=1
COPY --from=builder /hello /hello
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
ARG PORT=8080
WORKDIR /src
COPY --from=build /app /app
COPY --from=build /hello /hello
EXPOSE $PORT
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/health"]
CMD ["/app"]
