FROM rust:1.79-bookworm
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release --bin api
EXPOSE 3000
CMD ["./target/release/api"]
