FROM rust:1.75-bookworm AS builder
WORKDIR /usr/src/shortener
COPY . .
RUN make release

FROM gcr.io/distroless/cc-debian12
WORKDIR /usr/src/shortener
COPY --from=builder /usr/src/shortener/target/release/shortener /usr/local/bin/shortener
EXPOSE 8000
CMD ["/usr/local/bin/shortener"]
