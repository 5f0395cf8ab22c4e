# escape=`
from --platform=linux/amd64 rust:1.80 as build
workdir /app
run cargo build --release `
    --bin server

from debian:12-slim
copy --from=build /app/target/release/server /server
cmd ["/server"]
