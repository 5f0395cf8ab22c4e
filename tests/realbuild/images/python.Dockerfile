# Stand-in for python:<v>-bookworm (docker-library/python): Python with pip and venv on
# buildpack-deps, `python`/`pip` on PATH, no EXTERNALLY-MANAGED marker. Debian bookworm's is 3.11.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-dev python3-venv python3-pip \
 && rm -rf /var/lib/apt/lists/* /usr/lib/python3.*/EXTERNALLY-MANAGED \
 && ln -s /usr/bin/python3 /usr/local/bin/python && ln -s /usr/bin/pip3 /usr/local/bin/pip
# pip, requests (poetry) and ssl read these rather than the system store's default path; Node, which
# full-stack images install from Debian, uses its bundled CA list and this machine's egress CA besides.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 LANG=C.UTF-8 \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
