FROM rust:1.80-slim
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /build
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl
ENTRYPOINT ["/build/target/x86_64-unknown-linux-musl/release/cli"]
