FROM rust:1.80 AS builder
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:12-slim AS runtime
COPY --from="builder" /app/target/release/app /usr/local/bin/app
CMD ["app"]
