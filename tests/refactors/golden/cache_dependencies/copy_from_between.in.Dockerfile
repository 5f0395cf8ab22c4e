FROM node:20
WORKDIR /app
COPY . .
COPY --from=ghcr.io/tailwindlabs/tailwindcss:3 /usr/local/bin/tailwindcss /usr/local/bin/
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
RUN npm ci
RUN npm run build
