# Stand-in for nginx:<v> (nginxinc/docker-nginx): the official layout, not Debian's: a conf.d/default.conf
# serving /usr/share/nginx/html on port 80, logs to the container's stdout/stderr, `nginx` user 101,
# CMD nginx -g 'daemon off;'. Debian bookworm's nginx is 1.22.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* /var/www/html \
 && groupadd -r -g 101 nginx && useradd -r -u 101 -g nginx -d /nonexistent -s /bin/false nginx \
 && sed -i 's/^user .*/user nginx;/' /etc/nginx/nginx.conf \
 && mkdir -p /usr/share/nginx/html /var/cache/nginx \
 && printf '<h1>Welcome to nginx!</h1>\n' > /usr/share/nginx/html/index.html \
 && printf 'server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n' > /etc/nginx/conf.d/default.conf \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
