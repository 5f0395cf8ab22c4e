FROM rust:1.79-slim-bookworm AS builder
WORKDIR /usr/src/ledger
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12
WORKDIR /usr/src/ledger
COPY --from=builder /usr/src/ledger/target/release/ledger /usr/local/bin/ledger
EXPOSE 8080
CMD ["/usr/local/bin/ledger", "--port", "8080"]
