# Stand-in for rust:<v>-bookworm (rust-lang/docker-rust): cargo and rustc on buildpack-deps, no WORKDIR.
# Debian bookworm's Rust is 1.63; crates.io is not reachable here, so sample crates have no dependencies.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cargo rustc \
 && rm -rf /var/lib/apt/lists/*
ENV CARGO_HOME=/usr/local/cargo
ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# The official image has rustup; crossPlatformBuilder's Dockerfiles run `rustup target add <triple>`,
# which downloads the target's standard library from static.rust-lang.org (not reachable here). This
# stand-in rustup does that one subcommand only, with the same library Debian builds for its rustc:
# libstd-rust-dev:<arch> (Multi-Arch: same), installed into the sysroot rustc reads. Anything else
# fails loudly. The cross linker, target libc and cargo --target are the generated Dockerfile's own.
RUN mkdir -p /usr/local/cargo/bin && printf '%s\n' \
      '#!/bin/sh' \
      'set -e' \
      '[ "$1 $2" = "target add" ] || { echo "rustup stand-in: only target add is provided" >&2; exit 1; }' \
      'shift 2' \
      'for triple in "$@"; do' \
      '  case "$triple" in' \
      '    x86_64-unknown-linux-gnu) deb=amd64 ;; aarch64-unknown-linux-gnu) deb=arm64 ;;' \
      '    armv7-unknown-linux-gnueabihf) deb=armhf ;; i686-unknown-linux-gnu) deb=i386 ;;' \
      '    powerpc64le-unknown-linux-gnu) deb=ppc64el ;; s390x-unknown-linux-gnu) deb=s390x ;;' \
      '    riscv64gc-unknown-linux-gnu) deb=riscv64 ;;' \
      '    *) echo "rustup stand-in: no Debian standard library for $triple" >&2; exit 1 ;;' \
      '  esac' \
      '  [ "$(dpkg --print-architecture)" = "$deb" ] && continue' \
      '  dpkg --add-architecture "$deb"' \
      '  apt-get update' \
      '  apt-get install -y --no-install-recommends "libstd-rust-dev:$deb"' \
      '  rm -rf /var/lib/apt/lists/*' \
      'done' >/usr/local/cargo/bin/rustup \
 && chmod +x /usr/local/cargo/bin/rustup
