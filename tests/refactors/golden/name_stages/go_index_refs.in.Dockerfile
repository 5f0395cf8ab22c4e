# syntax=docker/dockerfile:1
FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

# the image that ships
FROM gcr.io/distroless/static-debian12
COPY --from=0 /out/server /server
ENTRYPOINT ["/server"]
