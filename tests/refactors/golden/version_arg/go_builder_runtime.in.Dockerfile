# syntax=docker/dockerfile:1
# Build the server
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server .

FROM golang:1.22-bookworm
COPY --from=build /server /server
CMD ["/server"]
