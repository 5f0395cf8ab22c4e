FROM debian:bookworm-slim
RUN groupadd --system app && useradd --system --gid app --create-home app \
    && mkdir -p /opt/site && chown app:app /opt/site
RUN apt-get update && apt-get install -y --no-install-recommends lighttpd-mod-openssl python3
WORKDIR /opt/site
COPY --chown=app:app . .
RUN ["python3", "build.py"]
RUN find /opt/site ! -user app -exec chown app:app {} +
EXPOSE 80 8443/tcp
USER app
CMD ["python3", "-m", "http.server", "80"]
