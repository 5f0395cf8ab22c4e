FROM php:8.3-fpm
COPY --from=composer:2 /usr/bin/composer /usr/local/bin/composer
COPY . .
RUN php /usr/local/bin/composer install --no-dev
