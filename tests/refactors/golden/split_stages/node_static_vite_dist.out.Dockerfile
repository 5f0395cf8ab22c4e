FROM node:22-alpine AS builder
WORKDIR /usr/src/web
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm && pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

FROM nginx:1.30-alpine
COPY --from=builder /usr/src/web/dist /usr/share/nginx/html
RUN printf '%s\n' \
        'server {' \
        '    listen 8080;' \
        '    root /usr/share/nginx/html;' \
        '    location / {' \
        '        try_files $uri $uri/ =404;' \
        '    }' \
        '}' > /etc/nginx/conf.d/default.conf
EXPOSE 8080
