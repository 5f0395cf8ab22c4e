FROM php:8.3-cli
WORKDIR /app
COPY composer.json composer.lock* composer.phar ./
RUN php composer.phar install --no-scripts --no-autoloader --no-dev --prefer-dist
COPY . .
RUN php composer.phar install --no-dev --prefer-dist
CMD ["php", "bin/console"]
