FROM node:20.11-bookworm AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN npm install -g serve@14

FROM nginx:1.30
COPY --from=builder /app/build /usr/share/nginx/html
RUN printf '%s\n' \
        'server {' \
        '    listen 3000;' \
        '    root /usr/share/nginx/html;' \
        '    location / {' \
        '        try_files $uri $uri.html $uri/ /index.html;' \
        '    }' \
        '}' > /etc/nginx/conf.d/default.conf
EXPOSE 3000
