# Stand-in for node:<v>-bookworm-slim: Node, npm and yarn 1 without compilers; user node 1000.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm yarnpkg ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn \
 && groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/bash node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
