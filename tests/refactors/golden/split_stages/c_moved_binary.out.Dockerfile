FROM gcc:13 AS builder
WORKDIR /src
COPY . .
RUN gcc -O2 -o hello hello.c && mv hello /usr/local/bin/hello

FROM gcr.io/distroless/base-debian12
WORKDIR /src
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
CMD ["hello"]
