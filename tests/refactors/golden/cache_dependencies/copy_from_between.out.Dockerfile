FROM node:20
WORKDIR /app
COPY package*.json ./
COPY --from=ghcr.io/tailwindlabs/tailwindcss:3 /usr/local/bin/tailwindcss /usr/local/bin/
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
RUN npm ci
COPY . .
RUN npm run build
