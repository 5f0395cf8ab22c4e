FROM php:8.2-fpm-alpine
COPY --from=composer /usr/bin/composer /usr/bin/composer
WORKDIR /srv/app
COPY . .
RUN composer install --no-dev --no-scripts --classmap-authoritative
CMD ["php-fpm"]
