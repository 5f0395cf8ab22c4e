FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y ca-certificates

FROM base AS runtime
RUN groupadd --system app && useradd --system --gid app --create-home app \
    && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app build/ .
USER app
CMD ["./server"]
