FROM gcc:12

WORKDIR /usr/src/checksum
COPY . .
RUN make

CMD ["./checksum"]
