FROM python:3.12-slim-bookworm
RUN groupadd --system app && useradd --system --gid app --create-home app \
    && mkdir -p /srv && chown app:app /srv
WORKDIR /srv
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY --chmod=0644 --chown=app:app . .
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
USER app
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
