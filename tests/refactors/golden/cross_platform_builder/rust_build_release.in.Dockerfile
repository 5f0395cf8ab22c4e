FROM rust:1.80 AS builder
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
# the release binary
RUN cargo build --locked --release

FROM debian:bookworm-slim
COPY --from=builder /usr/src/app/target/release/app /usr/local/bin/app
CMD ["app"]
