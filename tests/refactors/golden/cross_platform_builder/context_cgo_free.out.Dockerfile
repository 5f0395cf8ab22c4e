FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
ARG TARGETOS TARGETARCH
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /usr/local/bin/server .

FROM debian:12-slim
COPY --from=builder /usr/local/bin/server /usr/local/bin/server
CMD ["server"]
