FROM alpine:3.20 AS builder
RUN apk add --no-cache build-base zlib-dev
WORKDIR /app
COPY . .
RUN gcc -O2 -o packer packer.c -lz

FROM alpine:3.20
RUN apk add --no-cache zlib
WORKDIR /app
COPY --from=builder /app/packer /app/packer
CMD ["/app/packer"]
