FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends lighttpd-mod-openssl python3
WORKDIR /opt/site
COPY . .
RUN ["python3", "build.py"]
EXPOSE 80 8443/tcp
CMD ["python3", "-m", "http.server", "80"]
