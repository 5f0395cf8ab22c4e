FROM gcc:13
WORKDIR /src
COPY . .
RUN gcc -O2 -o hello hello.c && mv hello /usr/local/bin/hello
CMD ["hello"]
