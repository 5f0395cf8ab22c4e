FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:12-slim
COPY --from="0" /app/target/release/app /usr/local/bin/app
CMD ["app"]
