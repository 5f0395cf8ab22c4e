FROM golang:1.21-bookworm AS builder
WORKDIR /build
COPY src/ ./
RUN make -C /build -j4

FROM gcr.io/distroless/base-debian12
WORKDIR /build
COPY --from=builder /build/dist/api /build/dist/api
ENTRYPOINT ["/build/dist/api"]
