FROM golang
COPY . /go/src/tool
WORKDIR /go/src/tool
RUN go build -o /go/bin/tool
ENTRYPOINT ["/go/bin/tool"]
