FROM rust:1.80-alpine AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM scratch AS runtime
COPY --from=build /src/target/release/cli /cli
ENTRYPOINT ["/cli"]

FROM runtime AS debug
COPY --from=gcr.io/distroless/static-debian12:debug /busybox /busybox
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox

FROM runtime AS release
