FROM golang:1.14
ENV GO111MODULE=on
WORKDIR /src
COPY go.mod go.sum* ./
RUN go mod download
COPY . .
RUN go build -o /bin/app .
