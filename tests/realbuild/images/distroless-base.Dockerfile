# Stand-in for gcr.io/distroless/base-debian12: static plus glibc, enough for a dynamically linked binary.
FROM debian:bookworm-slim AS libs
FROM gcr.io/distroless/static-debian12
COPY --from=libs /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=libs /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6 /lib/x86_64-linux-gnu/libpthread.so.0 /lib/x86_64-linux-gnu/libdl.so.2 /lib/x86_64-linux-gnu/librt.so.1 /lib/x86_64-linux-gnu/libresolv.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/
