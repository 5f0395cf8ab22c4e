FROM docker.io/library/nginx:stable-alpine
COPY site /usr/share/nginx/html
