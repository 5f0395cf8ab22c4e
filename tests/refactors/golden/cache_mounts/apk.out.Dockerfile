FROM alpine:3.22 AS build
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked ln -sf /var/cache/apk /etc/apk/cache && apk add --update-cache build-base git
WORKDIR /src
COPY . .
RUN make

FROM alpine:3.22
# runtime packages; the index is refreshed first
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked ln -sf /var/cache/apk /etc/apk/cache && apk update \
    && apk add ca-certificates tzdata
COPY --from=build /src/app /usr/local/bin/app
CMD ["app"]
