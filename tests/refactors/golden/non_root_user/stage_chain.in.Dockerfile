FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y ca-certificates

FROM base AS runtime
WORKDIR /app
COPY build/ .
CMD ["./server"]
