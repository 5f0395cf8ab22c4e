FROM golang AS builder
COPY . /go/src/tool
WORKDIR /go/src/tool
RUN CGO_ENABLED=0 go build -o /go/bin/tool

FROM gcr.io/distroless/static-debian13
WORKDIR /go/src/tool
COPY --from=builder /go/bin/tool /go/bin/tool
ENTRYPOINT ["/go/bin/tool"]
