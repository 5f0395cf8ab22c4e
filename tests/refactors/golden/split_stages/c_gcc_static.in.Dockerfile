FROM gcc:13
COPY hello.c /src/hello.c
RUN gcc -O2 -static -o /usr/local/bin/hello /src/hello.c
CMD ["hello"]
