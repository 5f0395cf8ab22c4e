# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
# build tools
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*
CMD ["gcc", "--version"]
