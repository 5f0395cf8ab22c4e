FROM rust:1.80-alpine AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM scratch
COPY --from=build /src/target/release/cli /cli
ENTRYPOINT ["/cli"]
