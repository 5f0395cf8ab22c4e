# Stand-in for gcr.io/distroless/cc-debian12: base plus libgcc_s and libstdc++ (Rust, C++).
FROM debian:bookworm-slim AS libs
RUN apt-get update && apt-get install -y --no-install-recommends libstdc++6 && rm -rf /var/lib/apt/lists/*
FROM gcr.io/distroless/base-debian12
COPY --from=libs /lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/
