FROM golang:1.13-alpine
WORKDIR /app
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /bin/server ./cmd/server
