FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y nodejs npm
WORKDIR /src
COPY . .
RUN cd web && npm ci && npm run build
RUN CGO_ENABLED=0 go build -o /bin/server .
EXPOSE 8080
CMD ["/bin/server"]
