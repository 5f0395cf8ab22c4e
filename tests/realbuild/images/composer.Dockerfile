# Stand-in for composer:<v> (github.com/composer/docker): PHP plus a self-contained Composer at
# /usr/bin/composer, which Dockerfiles copy into php images (COPY --from=composer /usr/bin/composer ...),
# WORKDIR /app, COMPOSER_ALLOW_SUPERUSER=1 and COMPOSER_HOME=/tmp. The official image is a phar on
# php:<v>-alpine; getcomposer.org is out of reach here, so the phar is built from Debian's composer
# package (bookworm: Composer 2.5), whose sources load each other relative to __DIR__ and so run from a
# phar as they do from /usr/share/php. The stand-in is Debian-based: vendor/ holds PHP files only.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends php-cli composer unzip ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Symlinks resolved first (Debian links the CA bundle to /etc/ssl/certs, outside the phar).
RUN mkdir -p /tmp/phar/share && cp -rL /usr/share/php /tmp/phar/share/php \
 && php -d phar.readonly=0 -r ' \
  $p = new Phar("/tmp/composer.phar", 0, "composer.phar"); \
  $p->buildFromDirectory("/tmp/phar"); \
  $bin = preg_replace("{^#!.*\n}", "", file_get_contents("/usr/bin/composer")); \
  $p->addFromString("bin/composer", $bin); \
  $p->setStub("#!/usr/bin/env php\n<?php Phar::mapPhar(\"composer.phar\"); require \"phar://composer.phar/bin/composer\"; __HALT_COMPILER();"); \
  ' \
 && apt-get purge -y composer && apt-get autoremove -y \
 && install -m 0755 /tmp/composer.phar /usr/bin/composer && rm -r /tmp/composer.phar /tmp/phar \
 && composer --version
ENV COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME=/tmp
WORKDIR /app
CMD ["composer"]
