FROM rust:1.80-bookworm
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release && cp target/release/worker /usr/local/bin/worker
CMD ["worker"]
