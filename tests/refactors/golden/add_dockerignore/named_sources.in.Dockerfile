FROM nginx:1.27
COPY . /usr/share/nginx/html/
COPY dist/ /usr/share/nginx/html/
COPY certs/*.pem server.pem /etc/nginx/
