FROM alpine:3.20
RUN apk add --no-cache build-base zlib-dev
WORKDIR /app
COPY . .
RUN gcc -O2 -o packer packer.c -lz
CMD ["/app/packer"]
