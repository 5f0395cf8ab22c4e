FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
RUN chmod +x scripts/build.sh && CGO_ENABLED=0 ./scripts/build.sh

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=builder /usr/local/bin/api /usr/local/bin/api
EXPOSE 8080
CMD ["api"]
