FROM php:8.3-cli
WORKDIR /app
COPY . .
RUN php composer.phar install --no-dev --prefer-dist
CMD ["php", "bin/console"]
