FROM rust:1.75-bookworm
WORKDIR /usr/src/shortener
COPY . .
RUN make release
EXPOSE 8000
CMD ["./target/release/shortener"]
