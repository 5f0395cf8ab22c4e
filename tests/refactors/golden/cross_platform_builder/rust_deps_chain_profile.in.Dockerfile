FROM rust:1.80-bookworm AS deps
WORKDIR /src
RUN cargo init --name app .

FROM deps AS builder
ARG TARGETARCH
RUN cargo build --profile dist --bin app && \
    cargo build --bin tool

FROM builder AS test
RUN cargo test

FROM debian:bookworm-slim
COPY --from=builder /src/target/dist/app /usr/local/bin/app
COPY --from=builder /src/target/debug/tool /usr/local/bin/tool
CMD ["app"]
