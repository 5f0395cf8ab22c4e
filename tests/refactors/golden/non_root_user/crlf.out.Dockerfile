FROM alpine:3.20
RUN addgroup -S app && adduser -S app -G app
RUN apk add --no-cache curl
COPY --chown=app:app app /srv/app
USER app
CMD ["/srv/app"]
