FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# build a static binary
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=builder /out/server /out/server
EXPOSE 8080
USER 65532
ENTRYPOINT ["/out/server"]
