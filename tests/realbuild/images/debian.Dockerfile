# Stand-in for debian:bookworm-slim: the minbase rootfs plus this machine's CA bundle, so that apt,
# pip, npm and poetry work inside builds behind the machine's TLS-inspecting egress.
FROM drls-local/debian-rootfs:bookworm
COPY certs/ /usr/local/share/ca-certificates/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# man folders are path-excluded from the rootfs; some postinst scripts (openjdk) still need them.
RUN for i in 1 2 3 4 5 6 7 8; do mkdir -p /usr/share/man/man$i; done
CMD ["bash"]
