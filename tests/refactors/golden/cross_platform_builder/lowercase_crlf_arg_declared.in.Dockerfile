from golang:1.22 as build
workdir /src
copy . .
arg TARGETARCH
    run CGO_ENABLED=0 GOARCH=amd64 go build -o /bin/tool .

from scratch
copy --from=build /bin/tool /tool
entrypoint ["/tool"]
