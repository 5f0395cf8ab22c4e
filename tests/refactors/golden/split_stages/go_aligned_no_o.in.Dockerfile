FROM    golang:1.16.15
RUN     mkdir -p /go/src/app
COPY    . /go/src/app
WORKDIR /go/src/app
EXPOSE  8080
RUN     go get
RUN     go build
CMD     ["./app"]
