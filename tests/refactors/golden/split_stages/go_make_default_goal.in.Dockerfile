FROM golang:1.21-bookworm
WORKDIR /build
COPY src/ ./
RUN make -C /build -j4
ENTRYPOINT ["/build/dist/api"]
