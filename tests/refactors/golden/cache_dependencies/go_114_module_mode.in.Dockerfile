FROM golang:1.14
ENV GO111MODULE=on
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
