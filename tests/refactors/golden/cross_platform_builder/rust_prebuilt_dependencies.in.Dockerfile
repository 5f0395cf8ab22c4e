FROM rust:1.80 AS deps
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
# compile the dependencies once, with a placeholder main
RUN mkdir src && echo 'fn main() {}' > src/main.rs \
 && cargo build --release --locked \
 && rm -r src

FROM deps AS builder
COPY src ./src
RUN touch src/main.rs && cargo build --release --locked

FROM gcr.io/distroless/cc-debian12
COPY --from=builder /app/target/release/app /app
ENTRYPOINT ["/app"]
