FROM rust:1.75
COPY Cargo.toml Cargo.lock* /
RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -r src
COPY . /
RUN cargo build --release
CMD ["/target/release/app"]
