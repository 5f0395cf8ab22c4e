FROM rust:1.79-slim-bookworm
WORKDIR /usr/src/ledger
COPY . .
RUN cargo build --release
EXPOSE 8080
CMD cargo run --release -- --port 8080
