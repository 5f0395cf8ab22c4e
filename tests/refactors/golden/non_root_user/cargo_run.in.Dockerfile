FROM rust:1.75
WORKDIR /usr/src/app
COPY . .
RUN cargo build
CMD ["cargo", "run"]
