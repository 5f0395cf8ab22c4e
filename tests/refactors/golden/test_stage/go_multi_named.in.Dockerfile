# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

# The image that runs
FROM gcr.io/distroless/static
COPY --from=build /app /app
ENTRYPOINT ["/app"]
