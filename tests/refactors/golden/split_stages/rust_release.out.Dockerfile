FROM rust:1.79-bookworm AS builder
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release --bin api

FROM gcr.io/distroless/cc-debian12
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app/target/release/api /usr/local/bin/api
EXPOSE 3000
CMD ["/usr/local/bin/api"]
