FROM debian:bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --from=builder /src/build/fetch /src/build/fetch
ENTRYPOINT ["/src/build/fetch"]
