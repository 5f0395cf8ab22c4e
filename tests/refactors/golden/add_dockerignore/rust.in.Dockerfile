FROM rust:1.79 AS builder
WORKDIR /src
COPY . .
RUN cargo build --release
FROM debian:12-slim
COPY --from=builder /src/target/release/app /usr/local/bin/app
CMD ["app"]
