FROM php:8.2-cli
RUN docker-php-ext-install pcntl
COPY --from=composer /usr/bin/composer /usr/bin/composer
WORKDIR /usr/src/worker
COPY composer.json ./
COPY packages/ packages/
RUN composer install --no-dev --classmap-authoritative
COPY . .
CMD ["php", "bin/worker.php"]
