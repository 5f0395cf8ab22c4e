FROM rust:1.75
RUN groupadd --system app && useradd --system --gid app --create-home app \
    && mkdir -p /usr/src/app && chown app:app /usr/src/app
WORKDIR /usr/src/app
COPY --chown=app:app . .
RUN cargo build && find /usr/src/app ! -user app -exec chown app:app {} +
USER app
CMD ["cargo", "run"]
