FROM php:8.3-fpm
COPY --from=composer:2 /usr/bin/composer /usr/local/bin/composer
COPY composer.json composer.lock* ./
RUN php /usr/local/bin/composer install --no-scripts --no-autoloader --no-dev
COPY . .
RUN php /usr/local/bin/composer install --no-dev
