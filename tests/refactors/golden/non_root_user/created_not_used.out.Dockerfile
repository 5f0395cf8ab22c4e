FROM alpine:3.20
RUN addgroup -S web && adduser -S -G web web
RUN mkdir -p /srv && chown web:web /srv
WORKDIR /srv
COPY --chown=web:web site/ .
USER web
CMD ["/srv/run.sh"]
