# Stand-in for node:<v>-bookworm (nodejs/docker-node): Node, npm and yarn 1 on buildpack-deps, a `node`
# user 1000:1000, no WORKDIR, CMD node. Debian bookworm's Node is 18.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm yarnpkg python3 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn \
 && groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/bash node
# Debian's Node uses its bundled CA list; the system bundle has this machine's egress CA.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
