FROM docker.io/library/nginx:1.30-alpine
COPY site /usr/share/nginx/html
