ARG ALPINE_VERSION=3.20
ARG BASE=alpine:${ALPINE_VERSION}
FROM ${BASE}
RUN apk add --no-cache ca-certificates
COPY --from=busybox:1.36 /bin/busybox /bin/busybox
COPY app /usr/local/bin/app
COPY config.yml /etc/app/config.yml
COPY static ./static
CMD ["app"]
