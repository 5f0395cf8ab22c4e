# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22

# Build the server
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server .

FROM golang:${GO_VERSION}-bookworm
COPY --from=build /server /server
CMD ["/server"]
