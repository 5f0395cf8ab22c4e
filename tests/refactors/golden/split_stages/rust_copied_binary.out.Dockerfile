FROM rust:1.80-bookworm AS builder
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release && cp target/release/worker /usr/local/bin/worker

FROM gcr.io/distroless/cc-debian12
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app/target/release/worker /usr/local/bin/worker
CMD ["worker"]
