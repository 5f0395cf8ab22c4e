# syntax=docker/dockerfile:1
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server .

# The image that runs
FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /server /server
ENTRYPOINT ["/server"]

FROM runtime AS debug
COPY --from=gcr.io/distroless/static-debian12:debug /busybox /busybox
ENV PATH="${PATH}:/busybox"

FROM runtime AS release
