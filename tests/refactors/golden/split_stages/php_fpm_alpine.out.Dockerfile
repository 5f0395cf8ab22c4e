FROM composer:2 AS vendor
WORKDIR /app
COPY . .
RUN composer install --no-dev --no-scripts --classmap-authoritative --ignore-platform-reqs

FROM php:8.2-fpm-alpine
WORKDIR /srv/app
COPY . .
COPY --from=vendor /app/vendor /srv/app/vendor
CMD ["php-fpm"]
