FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json ./
RUN composer install --no-dev --no-interaction --prefer-dist --optimize-autoloader --no-scripts --ignore-platform-reqs

FROM php:8.2-fpm
RUN apt-get update && apt-get install -y --no-install-recommends git unzip libzip-dev \
    && docker-php-ext-install zip pdo_mysql \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /var/www
COPY composer.json ./
COPY --from=vendor /app/vendor /var/www/vendor
COPY . .
EXPOSE 9000
CMD ["php-fpm"]
