FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json ./
COPY packages/ packages/
RUN composer install --no-dev --classmap-authoritative --no-scripts --ignore-platform-reqs

FROM php:8.2-cli
RUN docker-php-ext-install pcntl
WORKDIR /usr/src/worker
COPY composer.json ./
COPY packages/ packages/
COPY --from=vendor /app/vendor /usr/src/worker/vendor
COPY . .
CMD ["php", "bin/worker.php"]
