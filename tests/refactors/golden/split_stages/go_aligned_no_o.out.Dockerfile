FROM    golang:1.16.15 AS builder
RUN     mkdir -p /go/src/app
COPY    . /go/src/app
WORKDIR /go/src/app
RUN     go get
RUN     go build

FROM    debian:bullseye-slim
WORKDIR /go/src/app
COPY    --from=builder /go/src/app/app /go/src/app/app
EXPOSE  8080
CMD     ["./app"]
