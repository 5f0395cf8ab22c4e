FROM gcc:13 AS builder
COPY hello.c /src/hello.c
RUN gcc -O2 -static -o /usr/local/bin/hello /src/hello.c

FROM gcr.io/distroless/static-debian12
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
CMD ["hello"]
