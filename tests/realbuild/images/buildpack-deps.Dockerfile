# Stand-in for buildpack-deps:bookworm, which the full (non-slim) official toolchain images build on:
# compilers, make, git, curl and headers that native extensions need.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates curl git gcc g++ make libc6-dev pkg-config zlib1g-dev xz-utils unzip procps \
 && rm -rf /var/lib/apt/lists/*
