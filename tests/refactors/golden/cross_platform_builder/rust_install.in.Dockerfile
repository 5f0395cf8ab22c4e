FROM rust:1.80-slim AS build
WORKDIR /usr/src/fizzbuzz
COPY . .
RUN cargo install --locked --path .

FROM gcr.io/distroless/cc-debian12
COPY --from=build /usr/local/cargo/bin/fizzbuzz /fizzbuzz
ENTRYPOINT ["/fizzbuzz"]
