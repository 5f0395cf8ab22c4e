FROM alpine:3.20
RUN addgroup -S web && adduser -S -G web web
WORKDIR /srv
COPY site/ .
CMD ["/srv/run.sh"]
