# Stand-in for golang:<v>-bookworm (docker-library/golang): Go in a buildpack-deps image, GOPATH=/go,
# WORKDIR /go, cgo on by default (gcc present). Debian bookworm's Go is 1.19.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends golang-go \
 && rm -rf /var/lib/apt/lists/*
# Node, which full-stack images install from Debian, uses its bundled CA list: add this machine's egress CA.
ENV GOPATH=/go NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
ENV PATH=/go/bin:/usr/lib/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go
WORKDIR /go
