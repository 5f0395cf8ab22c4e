FROM --platform=$BUILDPLATFORM rust:1.80-bookworm AS deps
WORKDIR /src
RUN cargo init --name app .

FROM deps AS builder
ARG TARGETARCH
ARG TARGETVARIANT
# The Rust target of TARGETARCH; its cross linker and C library (apt) when not this machine's
RUN case "$TARGETARCH$TARGETVARIANT" in \
      amd64*) rust=x86_64-unknown-linux-gnu gnu=x86_64-linux-gnu deb=amd64 ;; \
      arm64*) rust=aarch64-unknown-linux-gnu gnu=aarch64-linux-gnu deb=arm64 ;; \
      arm|armv7) rust=armv7-unknown-linux-gnueabihf gnu=arm-linux-gnueabihf deb=armhf ;; \
      386) rust=i686-unknown-linux-gnu gnu=i686-linux-gnu deb=i386 ;; \
      ppc64le) rust=powerpc64le-unknown-linux-gnu gnu=powerpc64le-linux-gnu deb=ppc64el ;; \
      s390x) rust=s390x-unknown-linux-gnu gnu=s390x-linux-gnu deb=s390x ;; \
      riscv64) rust=riscv64gc-unknown-linux-gnu gnu=riscv64-linux-gnu deb=riscv64 ;; \
      *) echo "no Rust target for linux/$TARGETARCH$TARGETVARIANT" >&2; exit 1 ;; \
    esac \
 && rustup target add "$rust" \
 && if [ "$(dpkg --print-architecture)" != "$deb" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends "gcc-$(echo "$gnu" | tr _ -)" "libc6-dev-$deb-cross" \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && echo "export RUST_TARGET=$rust CARGO_TARGET_$(echo "$rust" | tr a-z- A-Z_)_LINKER=$gnu-gcc" >/tmp/rust-target.env
RUN . /tmp/rust-target.env && cargo build --target "$RUST_TARGET" --profile dist --bin app && mkdir -p target/dist && find "target/$RUST_TARGET/dist" -maxdepth 1 -type f -exec cp -p -t target/dist/ {} + && \
    cargo build --target "$RUST_TARGET" --bin tool && mkdir -p target/debug && find "target/$RUST_TARGET/debug" -maxdepth 1 -type f -exec cp -p -t target/debug/ {} +

FROM builder AS test
RUN cargo test

FROM debian:bookworm-slim
COPY --from=builder /src/target/dist/app /usr/local/bin/app
COPY --from=builder /src/target/debug/tool /usr/local/bin/tool
CMD ["app"]
