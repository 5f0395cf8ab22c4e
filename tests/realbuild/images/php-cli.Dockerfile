# Stand-in for php:<v>-cli (docker-library/php): PHP's CLI at /usr/local/bin/php, PHP_INI_DIR, no
# WORKDIR (the cli variant sets none), no Composer. Debian bookworm's PHP is 8.2; the official image
# builds PHP from source into /usr/local, here /usr/local/bin/php is Debian's binary.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends php-cli ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/php /usr/local/bin/php && mkdir -p /usr/local/etc/php/conf.d
ENV PHP_INI_DIR=/usr/local/etc/php
CMD ["php", "-a"]
