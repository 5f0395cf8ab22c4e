FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS deps
ENV CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

FROM deps AS builder
COPY . .
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/api ./cmd/api && \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -o /out/worker ./cmd/worker

FROM builder AS test
RUN go test ./...

FROM alpine:3.20
COPY --from=builder /out/ /usr/local/bin/
CMD ["api"]
