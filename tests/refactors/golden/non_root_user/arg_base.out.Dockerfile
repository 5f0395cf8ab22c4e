ARG ALPINE_VERSION=3.20
ARG BASE=alpine:${ALPINE_VERSION}
FROM ${BASE}
RUN addgroup -S app && adduser -S app -G app
RUN apk add --no-cache ca-certificates
COPY --from=busybox:1.36 /bin/busybox /bin/busybox
COPY app /usr/local/bin/app
COPY config.yml /etc/app/config.yml
COPY --chown=app:app static ./static
USER app
CMD ["app"]
