from --platform=$BUILDPLATFORM golang:1.22 as build
workdir /src
copy . .
arg TARGETARCH
    arg TARGETOS
    run CGO_ENABLED=0 GOARCH=$TARGETARCH GOOS=$TARGETOS go build -o /bin/tool .

from scratch
copy --from=build /bin/tool /tool
entrypoint ["/tool"]
