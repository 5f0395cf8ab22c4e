FROM gcc:12 AS builder

WORKDIR /usr/src/checksum
COPY . .
RUN make

FROM debian:bookworm-slim
WORKDIR /usr/src/checksum
COPY --from=builder /usr/src/checksum/checksum /usr/src/checksum/checksum

CMD ["./checksum"]
