FROM rust:1.80-slim AS builder
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /build
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl

FROM gcr.io/distroless/static-debian12
WORKDIR /build
COPY --from=builder /build/target/x86_64-unknown-linux-musl/release/cli /usr/local/bin/cli
ENTRYPOINT ["/usr/local/bin/cli"]
