# Stand-in for rust:<v>-bookworm (rust-lang/docker-rust): cargo and rustc on buildpack-deps, no WORKDIR.
# Debian bookworm's Rust is 1.63; crates.io is not reachable here, so sample crates have no dependencies.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cargo rustc \
 && rm -rf /var/lib/apt/lists/*
ENV CARGO_HOME=/usr/local/cargo
ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
