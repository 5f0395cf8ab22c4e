FROM alpine:3.22 AS build
RUN apk add --no-cache build-base git
WORKDIR /src
COPY . .
RUN make

FROM alpine:3.22
# runtime packages; the index is refreshed first
RUN apk update \
    && apk --no-cache add ca-certificates tzdata \
    && rm -rf /var/cache/apk/*
COPY --from=build /src/app /usr/local/bin/app
CMD ["app"]
